package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The partners' API end to end: accept, deliver, follow, refuse with problem details, audit everything. */
@ExtendWith(OutputCaptureExtension.class)
class ExchangeApiTest extends RunningGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void acceptedExchangeIsDeliveredToEveryRecipientOfItsRouteAndAudited() {
        ObjectNode envelope = example("rsa-situation.open-payable-applicant");
        String id = envelope.path("exchangeId").asString();

        HttpResponse<String> response = submit(port, "caf-51", envelope);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).path("exchangeId").asString()).isEqualTo(id);
        assertThat(json(response).path("statusUrl").asString()).isEqualTo("/api/v1/exchanges/" + id);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/exchanges/" + id);

        JsonNode status = awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        assertThat(delivery(status, "cd-51").path("status").asString()).isEqualTo("DELIVERED");
        assertThat(delivery(status, "ml-reims").path("status").asString()).isEqualTo("DELIVERED");
        assertThat(delivery(status, "cd-51").path("attempts").asInt()).isEqualTo(1);

        String key = UUID.nameUUIDFromBytes((id + "/cd-51").getBytes(StandardCharsets.UTF_8)).toString();
        CD_51.verify(1, postRequestedFor(urlEqualTo("/spie/records"))
                .withHeader("Idempotency-Key", equalTo(key))
                .withHeader("X-Spie-Exchange-Id", equalTo(id))
                .withHeader("Content-Type", matching("application/json.*"))
                .withRequestBody(equalToJson(JSON.writeValueAsString(envelope))));
        ML_REIMS.verify(1, postRequestedFor(urlEqualTo("/spie/records")));
        FT_51.verify(0, postRequestedFor(anyUrl()));

        List<String> types = eventTypes(id);
        assertThat(types).containsExactlyInAnyOrder("RECEIVED", "ROUTED", "ROUTED", "DELIVERY_ATTEMPTED",
                "DELIVERY_ATTEMPTED", "DELIVERED", "DELIVERED");
        assertThat(types.get(0)).isEqualTo("RECEIVED");
        JsonNode routed = auditEvents("exchangeId=" + id + "&eventType=ROUTED").get(0);
        assertThat(routed.path("routeId").asString()).isEqualTo("rsa-caf-to-cd-and-ml");
        assertThat(routed.path("purpose").asString()).isEqualTo("rsa-orientation");
        assertThat(routed.path("legalBasisType").asString()).isEqualTo("legal-obligation");
        assertThat(routed.path("configVersion").asString()).hasSize(64);
        assertThat(routed.path("payloadDigest").asString()).hasSize(64);
        assertThat(routed.path("subjectPseudonym").asString()).hasSize(64);
    }

    @Test
    void theSameExchangeSubmittedTwiceIsAcceptedOnceAndDeliveredOnce() {
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();

        HttpResponse<String> first = submit(port, "caf-51", envelope);
        HttpResponse<String> second = submit(port, "caf-51", envelope);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(json(second).path("exchangeId").asString()).isEqualTo(id);
        awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        CD_51.verify(1, postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(id)));
        assertThat(eventTypes(id).stream().filter("RECEIVED"::equals)).hasSize(1);
    }

    @Test
    void theSameExchangeIdWithOtherContentIsAConflict() {
        ObjectNode envelope = example("person.applicant-with-nir");
        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        ((ObjectNode) envelope.path("payload")).put("birthName", "AUTRE");

        HttpResponse<String> conflict = submit(port, "caf-51", envelope);

        assertProblem(conflict, 409, "exchange-id-conflict");
        assertThat(eventTypes(envelope.path("exchangeId").asString())).contains("REJECTED");
    }

    @Test
    void malformedJsonIsA400ProblemAndAudited() {
        long before = rejectedCount();
        HttpResponse<String> response = post(port, "/api/v1/exchanges", token("caf-51"), "application/json",
                "{\"exchangeId\": ".getBytes(StandardCharsets.UTF_8));
        assertProblem(response, 400, "malformed-json");
        assertThat(json(response).path("detail").asString()).contains("line 1");
        assertThat(rejectedCount()).isEqualTo(before + 1);
    }

    @Test
    void wrongContentTypeIsA400Problem() {
        long before = rejectedCount();
        HttpResponse<String> response = post(port, "/api/v1/exchanges", token("caf-51"), "text/plain",
                JSON.writeValueAsBytes(example("person.applicant-with-nir")));
        assertProblem(response, 400, "unsupported-content-type");
        assertThat(rejectedCount()).isEqualTo(before + 1);
    }

    @Test
    void unknownRecordTypeAndSchemaVersionAreNamed() {
        ObjectNode unknownType = example("person.applicant-with-nir").put("recordType", "horoscope");
        HttpResponse<String> typeResponse = submit(port, "caf-51", unknownType);
        assertProblem(typeResponse, 400, "schema-violation");
        assertThat(pointers(typeResponse)).containsExactly("/recordType");

        ObjectNode unknownVersion = example("person.applicant-with-nir").put("schemaVersion", "9.9");
        HttpResponse<String> versionResponse = submit(port, "caf-51", unknownVersion);
        assertProblem(versionResponse, 400, "schema-violation");
        assertThat(pointers(versionResponse)).containsExactly("/schemaVersion");
        assertThat(eventTypes(unknownVersion.path("exchangeId").asString())).containsExactly("REJECTED");
    }

    @Test
    void schemaViolationsAreListedOneByOneWithTheirJsonPointer() {
        ObjectNode envelope = example("rsa-situation.open-payable-applicant");
        ((ObjectNode) envelope.path("payload")).put("rightState", "maybe");
        envelope.put("occurredAt", "yesterday");

        HttpResponse<String> response = submit(port, "caf-51", envelope);

        assertProblem(response, 400, "schema-violation");
        assertThat(pointers(response)).contains("/payload/rightState", "/occurredAt");
        for (JsonNode error : json(response).path("errors")) {
            assertThat(error.path("detail").asString()).isNotBlank();
        }
        JsonNode rejected = auditEvents("exchangeId=" + envelope.path("exchangeId").asString()).get(0);
        assertThat(rejected.path("type").asString()).isEqualTo("REJECTED");
        assertThat(rejected.path("detail").asString()).contains("/payload/rightState").doesNotContain("maybe");
        // this exchange's id in no request: an exchange of an earlier test may still be arriving
        CD_51.verify(0, postRequestedFor(anyUrl()).withRequestBody(containing(envelope.path("exchangeId")
                .asString())));
    }

    @Test
    void aBodyOverTheLimitIsA413() {
        long before = rejectedCount();
        byte[] huge = ("{\"padding\": \"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = post(port, "/api/v1/exchanges", token("caf-51"), "application/json", huge);
        assertProblem(response, 413, "payload-too-large");
        assertThat(rejectedCount()).isEqualTo(before + 1);
    }

    @Test
    void missingOrUnknownTokensAre401AndAuditedAndDemoTokensOnlyWorkInDemoMode() {
        long before = rejectedCount();
        byte[] body = JSON.writeValueAsBytes(example("person.applicant-with-nir"));
        HttpResponse<String> none = post(port, "/api/v1/exchanges", null, "application/json", body);
        HttpResponse<String> unknown = post(port, "/api/v1/exchanges", "not-a-token", "application/json", body);
        HttpResponse<String> demo = post(port, "/api/v1/exchanges", "demo-token-caf-51", "application/json", body);
        assertProblem(none, 401, "unauthenticated");
        assertProblem(unknown, 401, "unauthenticated");
        assertProblem(demo, 401, "unauthenticated");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Bearer"));
        assertThat(rejectedCount()).isEqualTo(before + 3);
    }

    @Test
    void aPartnerMayOnlySendWhatARouteCarriesFromIt() {
        ObjectNode orientation = example("orientation.ped-france-travail").put("source", "caf-51");
        HttpResponse<String> response = submit(port, "caf-51", orientation);
        assertProblem(response, 403, "record-type-not-allowed");
        assertThat(eventTypes(orientation.path("exchangeId").asString())).containsExactly("REJECTED");
    }

    @Test
    void theSourceMustBeTheAuthenticatedPartner() {
        ObjectNode envelope = example("rsa-situation.open-payable-applicant");
        HttpResponse<String> response = submit(port, "ft-51", envelope);
        assertProblem(response, 403, "source-mismatch");
        assertThat(auditEvents("exchangeId=" + envelope.path("exchangeId").asString()).get(0)
                .path("actor").asString()).isEqualTo("ft-51");
    }

    @Test
    void anExchangeStatingAnotherPurposeThanTheRouteIsBlockedForItsRecipients() {
        ObjectNode envelope = example("rsa-situation.open-payable-applicant").put("purpose", "rsa-follow-up");
        String id = envelope.path("exchangeId").asString();

        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);

        JsonNode status = GatewayTestSupport.status(port, "caf-51", id);
        assertThat(status.path("status").asString()).isEqualTo("BLOCKED");
        assertThat(delivery(status, "cd-51").path("status").asString()).isEqualTo("BLOCKED");
        // the sender reads the rule in a fixed sentence; the admin and the audit trail read the route's purpose
        assertThat(delivery(status, "cd-51").path("blockRule").asString()).isEqualTo("purpose-mismatch");
        assertThat(delivery(status, "cd-51").path("lastError").asString())
                .startsWith("[purpose-mismatch] the route to this recipient is for another purpose")
                .doesNotContain("rsa-orientation");
        JsonNode asAdmin = json(get(port, "/api/v1/exchanges/" + id, token("admin")));
        assertThat(delivery(asAdmin, "cd-51").path("lastError").asString()).contains("purpose 'rsa-orientation'");
        assertThat(delivery(asAdmin, "cd-51").path("blockRule").asString()).isEqualTo("purpose-mismatch");
        assertThat(jdbc.queryForList("SELECT block_rule FROM delivery WHERE exchange_id = ?", String.class,
                UUID.fromString(id))).containsOnly("purpose-mismatch").hasSize(2);
        assertThat(eventTypes(id)).containsExactly("RECEIVED", "BLOCKED", "BLOCKED");
        CD_51.verify(0, postRequestedFor(anyUrl()).withRequestBody(containing(id)));
    }

    @Test
    void aDeliveryBlockedWithoutARecordedRuleShowsItsSenderNoneOfTheReason() {
        ObjectNode envelope = example("rsa-situation.open-payable-applicant").put("purpose", "rsa-follow-up");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        // as a row blocked before the rule had a column of its own (schema v10), with a reason that names a consent,
        // who withdrew it and the route, and does not start with "[consent-"
        String consent = UUID.randomUUID().toString();
        String reason = "at replay: [consent-withdrawn] route 'rsa-caf-to-cd-ft' needs the person's consent: consent "
                + consent + " was withdrawn at 2026-11-29T10:00:00Z (recorded by ft-51)";
        jdbc.update("UPDATE delivery SET last_error = ?, block_rule = NULL WHERE exchange_id = ? AND recipient = ?",
                reason, UUID.fromString(id), "cd-51");

        JsonNode status = GatewayTestSupport.status(port, "caf-51", id);
        assertThat(delivery(status, "cd-51").path("status").asString()).isEqualTo("BLOCKED");
        assertThat(delivery(status, "cd-51").path("lastError").asString())
                .startsWith("the routing policy blocked this delivery").doesNotContain(consent, "ft-51", "withdrawn");
        assertThat(delivery(status, "cd-51").path("blockRule").isNull()).isTrue();
        JsonNode asAdmin = json(get(port, "/api/v1/exchanges/" + id, token("admin")));
        assertThat(delivery(asAdmin, "cd-51").path("lastError").asString()).isEqualTo(reason);
    }

    @Test
    void onlyTheSenderOrAnAdminSeesAnExchangeAndOnlyAuditorsSeeTheTrail() {
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);

        assertThat(get(port, "/api/v1/exchanges/" + id, token("caf-51")).statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/v1/exchanges/" + id, token("admin")).statusCode()).isEqualTo(200);
        assertProblem(get(port, "/api/v1/exchanges/" + id, token("ft-51")), 404, "exchange-not-found");
        assertProblem(get(port, "/api/v1/exchanges/" + id, token("auditor")), 403, "forbidden");
        assertProblem(get(port, "/api/v1/exchanges/" + id, null), 401, "unauthenticated");
        assertProblem(get(port, "/api/v1/audit/events?exchangeId=" + id, token("caf-51")), 403, "forbidden");
        assertProblem(get(port, "/api/v1/audit/events?exchangeId=" + id, token("admin")), 403, "forbidden");
        assertThat(get(port, "/api/v1/audit/events?exchangeId=" + id, token("auditor")).statusCode()).isEqualTo(200);
    }

    @Test
    void noNirNameOrPayloadReachesTheAuditTrailOrTheLogs(CapturedOutput output) {
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        ObjectNode bad = example("person.applicant-with-nir");
        ((ObjectNode) bad.path("payload")).put("sex", "X");
        submit(port, "caf-51", bad);

        List<String> rows = jdbc.queryForList("SELECT CONCAT_WS('|', seq, event_type, exchange_id, actor, "
                + "source_partner, recipient, record_type, route_id, purpose, legal_basis_type, config_version, "
                + "payload_digest, subject_pseudonym, detail) FROM audit_event", String.class);
        String nir = envelope.path("subject").path("nir").asString();
        String birthName = envelope.path("subject").path("birthName").asString();
        String givenName = envelope.path("subject").path("givenNames").get(0).asString();
        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row)
                .doesNotContain(nir).doesNotContain(nir.substring(0, 13)).doesNotContain(birthName)
                .doesNotContain(givenName));
        assertThat(output.getAll()).doesNotContain(nir).doesNotContain(birthName).doesNotContain(givenName)
                .doesNotContain(token("caf-51"));
    }

    @Test
    void intakesAndDeliveryStepsAreCommittedThroughTheGroupCommit() {
        // every intake and every delivery attempt's outcome is a unit of the group commit (GroupCommit): concurrent
        // ones share a database commit; GroupCommitTest checks the sharing itself
        double intakesBefore = groupCommitUnits("intake");
        double deliveriesBefore = groupCommitUnits("delivery");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode envelope = example("rsa-situation.open-payable-applicant");
            envelope.put("exchangeId", UUID.randomUUID().toString());
            assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
            ids.add(envelope.path("exchangeId").asString());
        }
        for (String id : ids) {
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        }
        assertThat(groupCommitUnits("intake") - intakesBefore).isEqualTo(3);
        // 2 recipients each: 6 delivered attempts (more if an earlier test's deliveries are still being retried)
        assertThat(groupCommitUnits("delivery") - deliveriesBefore).isGreaterThanOrEqualTo(6);
        assertThat(meters.get("spie.storage.group.commit.size").summary().count()).isPositive();
    }

    private double groupCommitUnits(String kind) {
        return meters.find("spie.storage.group.commit.units").tag("kind", kind).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    /** Each start is on the record with the version it runs, so that a restart that changed the rules shows. */
    @Test
    void theGatewaysStartIsOnTheRecordWithTheConfigVersionItRuns(
            @Autowired fr.spie.gateway.routing.RoutingConfigHolder config) {
        List<Map<String, Object>> starts = jdbc.queryForList("SELECT actor, config_version, detail FROM audit_event "
                + "WHERE event_type = 'CONFIG_LOADED' ORDER BY seq");
        assertThat(starts).isNotEmpty();
        Map<String, Object> last = starts.get(starts.size() - 1);
        assertThat(last.get("actor")).isEqualTo("gateway");
        assertThat(((String) last.get("config_version")).trim()).isEqualTo(config.current().version());
        assertThat((String) last.get("detail")).startsWith("gateway started with this configuration: "
                + config.current().partners().size() + " partners, " + config.current().routes().size() + " routes; ");
    }

    @Test
    void theEmbeddedDatabaseGetsItsOwnMigrationAndTakesAuditSeqsFromALargeCache() {
        // db/vendor/h2 (spring.flyway.locations ... db/vendor/{vendor}): H2 persisted its identity sequence every 32
        // values, each time a file write of its own (docs/performance.md); ProductionProfileTest checks that
        // PostgreSQL gets only db/migration
        assertThat(jdbc.queryForList("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\"",
                String.class)).contains("8.1");
        assertThat(jdbc.queryForObject("SELECT identity_cache FROM information_schema.columns "
                + "WHERE table_name = 'audit_event' AND column_name = 'seq'", Long.class)).isEqualTo(4096L);
    }

    @Test
    void aPersonsAccessReportTellsWhoReceivedTheirDataWhenAndWhyInFrench() {
        ObjectNode envelope = example("person.applicant-with-nir");
        String nir = "1" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L).substring(0, 2)
                + "0551108031";
        ((ObjectNode) envelope.path("subject")).put("nir", nir.substring(0, 13));
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        byte[] person = JSON.writeValueAsBytes(JSON.createObjectNode().put("nir", nir.substring(0, 13)));

        HttpResponse<String> report = post(port, "/api/v1/audit/persons/report", token("auditor"),
                "application/json", person);

        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        JsonNode body = json(report);
        assertThat(body.path("entries")).hasSize(2);
        assertThat(body.path("text").asString())
                .contains("Conseil départemental de la Marne (test) a reçu votre identité et vos coordonnées")
                .contains("Fondement : une obligation légale (CASF art. L262-40)")
                .doesNotContain(nir.substring(0, 13));
        assertThat(post(port, "/api/v1/audit/persons/report", token("caf-51"), "application/json", person)
                .statusCode()).isEqualTo(200);
        assertProblem(post(port, "/api/v1/audit/persons/report", null, "application/json", person), 401,
                "unauthenticated");
        // a partner whose configuration does not say it acts for persons (partners[].personReports) learns nothing
        HttpResponse<String> notAllowed = post(port, "/api/v1/audit/persons/report", token("ml-reims"),
                "application/json", person);
        assertProblem(notAllowed, 403, "person-reports-not-allowed");
        assertThat(notAllowed.body()).doesNotContain("Conseil départemental").doesNotContain("entries");
        // each report produced is on the record: who asked, about which pseudonym, never the identity
        String pseudonym = jdbc.queryForObject("SELECT subject_pseudonym FROM audit_event WHERE exchange_id = ? "
                + "AND event_type = 'RECEIVED'", String.class, UUID.fromString(id));
        List<Map<String, Object>> consulted = jdbc.queryForList("SELECT actor, detail FROM audit_event "
                + "WHERE event_type = 'PERSON_REPORT_PRODUCED' AND subject_pseudonym = ? ORDER BY seq", pseudonym);
        assertThat(consulted).extracting(r -> r.get("actor")).containsExactly("test-auditor", "caf-51");
        // the refusal is on the record too, with the pseudonym of the person asked about
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'REJECTED' AND actor = "
                + "'ml-reims' AND subject_pseudonym = ?", String.class, pseudonym))
                .containsExactly("403 person-reports-not-allowed: person's access report asked by a partner whose "
                        + "configuration does not let it ask (partners[].personReports)");
        assertThat(consulted).extracting(r -> (String) r.get("detail"))
                .allMatch(d -> d.equals("searched by NIR; 2 deliveries reported"));
        assertProblem(post(port, "/api/v1/audit/persons/report", token("auditor"), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8)), 400, "invalid-person");

        // the same report from the command line, on the gateway's data directory
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = fr.spie.gateway.cli.SpieCli.commandLine();
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        int exit = cli.execute("audit", "report", "--data-dir", DATA.toString(), "--config",
                GatewayTestSupport.TEST_CONFIG, "--nir", nir.substring(0, 13));
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("2 envois de vos données ont eu lieu")
                .contains("Conseil départemental de la Marne (test) a reçu votre identité")
                .doesNotContain(nir.substring(0, 13));
    }

    /** Exchanges may carry the identity pivot with or without sex: a person's search finds them either way. */
    @Test
    void aPersonsReportByNamesFindsTheExchangesSentWithTheirSexWhenTheyDoNotGiveIt() {
        ObjectNode envelope = example("person.born-abroad-no-nir");
        String birthName = "REPORT" + (char) ('A' + System.nanoTime() % 26) + (char) ('A' + System.nanoTime() / 7 % 26)
                + (char) ('A' + System.nanoTime() / 53 % 26);
        ((ObjectNode) envelope.path("subject")).put("birthName", birthName);
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);

        for (String sex : new String[] {null, "F"}) {
            ObjectNode person = JSON.createObjectNode().put("birthName", birthName).put("birthDate", "1975-11-02");
            person.putArray("givenNames").add("MARIE");
            if (sex != null) {
                person.put("sex", sex);
            }
            HttpResponse<String> report = post(port, "/api/v1/audit/persons/report", token("auditor"),
                    "application/json", JSON.writeValueAsBytes(person));
            assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
            assertThat(json(report).path("entries")).as("sex " + sex).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.path("exchangeId").asString()).isEqualTo(id));
        }
        ObjectNode other = JSON.createObjectNode().put("birthName", birthName).put("birthDate", "1975-11-02")
                .put("sex", "M");
        other.putArray("givenNames").add("MARIE");
        assertThat(json(post(port, "/api/v1/audit/persons/report", token("auditor"), "application/json",
                JSON.writeValueAsBytes(other))).path("entries")).isEmpty();
    }

    private List<String> eventTypes(String exchangeId) {
        List<String> types = new ArrayList<>();
        auditEvents("exchangeId=" + exchangeId).forEach(e -> types.add(e.path("type").asString()));
        return types;
    }

    private JsonNode auditEvents(String query) {
        HttpResponse<String> response = get(port, "/api/v1/audit/events?" + query + "&limit=1000",
                token("auditor"));
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response).path("events");
    }

    private long rejectedCount() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'REJECTED'", Long.class);
    }

    private static List<String> pointers(HttpResponse<String> response) {
        List<String> pointers = new ArrayList<>();
        json(response).path("errors").forEach(e -> pointers.add(e.path("pointer").asString()));
        return pointers;
    }

    private static void assertProblem(HttpResponse<String> response, int status, String problem) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("application/problem+json"));
        JsonNode body = json(response);
        assertThat(body.path("type").asString()).isEqualTo("https://spie-gateway.fr/problems/" + problem);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("title").asString()).isNotBlank();
        assertThat(body.path("detail").asString()).isNotBlank();
    }
}
