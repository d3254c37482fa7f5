package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.privacy.Digests;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an administrator does to config/ while the gateway runs and exchanges are in flight, step by step on one
 * gateway (docs/routing.md, "Editing the configuration while the gateway runs"; docs/security.md, "Key and secret
 * rotation"): rotate a token, take a route, a recipient and a partner out, add a recipient, save invalid files and
 * fix them, save a file in two steps; and what the audit trail says of each.
 */
@SpringBootTest(classes = SpieGatewayMain.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigReloadWalkTest {
    static final String ADMIN = "test-token-admin";
    static final String CD_OLD_TOKEN = "test-token-cd-51";
    static final String CD_NEW_TOKEN = "rotated-token-cd-51";
    static final WireMockServer RECIPIENT = GatewayTestSupport.startRecipient();
    static final Path DATA = GatewayTestSupport.tempDataDir();
    static final Path CONFIG = ConfigReloadTest.copyTestConfig();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ConfigReloadTest.reloadingGateway(registry, DATA, CONFIG, RECIPIENT);
        // France Travail keeps a record long enough for a reload to happen between two of its attempts
        registry.add("TEST_FT_BACKOFF", () -> "1s");
        registry.add("TEST_FT_BACKOFF_MAX", () -> "2s");
    }

    String version() {
        return json(get(port, "/api/v1/admin/config", ADMIN)).path("version").asString();
    }

    HttpResponse<String> submit(String bearer, JsonNode envelope) {
        return post(port, "/api/v1/exchanges", bearer, "application/json",
                GatewayTestSupport.JSON.writeValueAsBytes(envelope));
    }

    /** The exchange as an admin sees it (GET /api/v1/exchanges/{id}: admins read every exchange). */
    JsonNode status(String id) {
        return json(get(port, "/api/v1/exchanges/" + id, ADMIN));
    }

    JsonNode awaitStatus(String id, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = status(id);
            return condition.test(last[0]);
        });
        return last[0];
    }

    /** Reloads now (the watcher may have been first: then the answer is 'unchanged'); the version in force after. */
    String reloaded(String before) {
        HttpResponse<String> reload = post(port, "/api/v1/admin/config/reload", ADMIN, null, new byte[0]);
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        String after = version();
        assertThat(after).isNotEqualTo(before);
        return after;
    }

    void edit(String file, String from, String to) throws IOException {
        String text = Files.readString(CONFIG.resolve(file));
        assertThat(text).as(file).contains(from);
        Files.writeString(CONFIG.resolve(file), text.replace(from, to));
    }

    String configVersionOf(String id, String eventType, String recipient) {
        List<String> versions = jdbc.queryForList("SELECT config_version FROM audit_event WHERE exchange_id = ? AND "
                + "event_type = ? AND (recipient = ? OR ? IS NULL) ORDER BY seq", String.class, UUID.fromString(id),
                eventType, recipient, recipient);
        assertThat(versions).as(eventType + " of " + id).isNotEmpty();
        return versions.get(versions.size() - 1).trim();
    }

    @Test
    @Order(1)
    void aRotatedTokenIsRefusedFromTheReloadOnAndTheExchangeSentJustBeforeIsDelivered() throws IOException {
        RECIPIENT.stubFor(any(urlEqualTo("/ft")).willReturn(aResponse().withStatus(200).withFixedDelay(500)));
        String before = version();
        ObjectNode sentBefore = GatewayTestSupport.example("orientation.psp-pending");
        assertThat(submit(CD_OLD_TOKEN, sentBefore).statusCode()).isEqualTo(202);

        edit("partners.yaml", Digests.sha256Hex(CD_OLD_TOKEN), Digests.sha256Hex(CD_NEW_TOKEN));
        String after = reloaded(before);

        assertThat(submit(CD_OLD_TOKEN, GatewayTestSupport.example("orientation.psp-pending")).statusCode())
                .isEqualTo(401);
        ObjectNode sentAfter = GatewayTestSupport.example("orientation.psp-pending");
        assertThat(submit(CD_NEW_TOKEN, sentAfter).statusCode()).isEqualTo(202);
        for (ObjectNode sent : List.of(sentBefore, sentAfter)) {
            String id = sent.path("exchangeId").asString();
            awaitStatus(id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()));
        }
        // an auditor tells which configuration accepted each: the version changed with the reload
        assertThat(configVersionOf(sentBefore.path("exchangeId").asString(), "RECEIVED", null)).isEqualTo(before);
        assertThat(configVersionOf(sentAfter.path("exchangeId").asString(), "RECEIVED", null)).isEqualTo(after);
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_event WHERE event_type = 'CONFIG_RELOADED' AND "
                + "config_version = ?", String.class, after)).startsWith("replaces " + before);
    }

    /**
     * The mission locale is down: its record is tried by probes, one every probeEvery. A probe released after a
     * reload sends what the configuration in force releases, so its events carry that version. Before: they carried
     * the version the exchange was accepted under, where an ordinary attempt carries the version in force.
     */
    @Test
    @Order(2)
    void aProbeAfterAReloadIsAuditedUnderTheVersionItWasReleasedUnder() throws IOException {
        RECIPIENT.resetAll();
        RECIPIENT.stubFor(any(urlEqualTo("/cd")).willReturn(aResponse().withStatus(200)));
        RECIPIENT.stubFor(any(urlEqualTo("/ml")).willReturn(aResponse().withStatus(503)));
        ObjectNode person = GatewayTestSupport.example("person.applicant-with-nir");
        assertThat(submit("test-token-caf-51", person).statusCode()).isEqualTo(202);
        String id = person.path("exchangeId").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM audit_event "
                + "WHERE exchange_id = ? AND event_type = 'DELIVERY_ATTEMPTED' AND detail LIKE 'probe%'",
                Integer.class, UUID.fromString(id)) > 0);

        String before = version();
        edit("routes.yaml", "RSA situations and persons from the CAF to the département and the mission locale",
                "RSA situations and persons from the CAF to the département and to the mission locale");
        String after = reloaded(before);
        long reloadedAt = jdbc.queryForObject("SELECT seq FROM audit_event WHERE event_type = 'CONFIG_RELOADED' "
                + "AND config_version = ?", Long.class, after);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM audit_event "
                + "WHERE exchange_id = ? AND recipient = 'ml-reims' AND event_type = 'DELIVERY_FAILED' AND seq > ?",
                Integer.class, UUID.fromString(id), reloadedAt) > 0);
        List<String> probedAfter = jdbc.queryForList("SELECT config_version FROM audit_event WHERE exchange_id = ? "
                + "AND recipient = 'ml-reims' AND event_type IN ('DELIVERY_ATTEMPTED', 'DELIVERY_FAILED') AND seq > ?",
                String.class, UUID.fromString(id), reloadedAt);
        assertThat(probedAfter).isNotEmpty().allMatch(v -> v.trim().equals(after), "the version in force: " + after);

        RECIPIENT.stubFor(any(urlEqualTo("/ml")).willReturn(aResponse().withStatus(200)));
        awaitStatus(id, s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status").asString()));
        assertThat(configVersionOf(id, "DELIVERED", "ml-reims")).isEqualTo(after);
    }

    /**
     * The département refuses every attempt until its record is dead-lettered, and a reload happens between two of
     * them: DEAD_LETTERED ends attempts released under the new version and carries it, as they do. Before: it carried
     * the version the exchange was accepted under.
     */
    @Test
    @Order(3)
    void aDeadLetterAfterAReloadIsAuditedUnderTheVersionOfItsLastAttempt() throws IOException {
        RECIPIENT.resetAll();
        RECIPIENT.stubFor(any(urlEqualTo("/ml")).willReturn(aResponse().withStatus(200)));
        RECIPIENT.stubFor(any(urlEqualTo("/cd")).willReturn(aResponse().withStatus(503).withFixedDelay(700)));
        ObjectNode person = GatewayTestSupport.example("person.applicant-with-nir");
        assertThat(submit("test-token-caf-51", person).statusCode()).isEqualTo(202);
        String id = person.path("exchangeId").asString();
        awaitStatus(id, s -> delivery(s, "cd-51").path("attempts").asInt() >= 1);

        String before = version();
        edit("routes.yaml", "and to the mission locale", "and to the mission locale of Reims");
        String after = reloaded(before);

        awaitStatus(id, s -> "DEAD_LETTERED".equals(delivery(s, "cd-51").path("status").asString()));
        assertThat(configVersionOf(id, "DELIVERY_FAILED", "cd-51")).as("the last attempt").isEqualTo(after);
        assertThat(configVersionOf(id, "DEAD_LETTERED", "cd-51")).isEqualTo(after);
        assertThat(configVersionOf(id, "RECEIVED", null)).isEqualTo(before);
        RECIPIENT.resetAll();
    }

    /**
     * France Travail loses its route and the mission locale is taken out of partners.yaml while records for both wait
     * for a retry: each is BLOCKED (route-not-in-config) under the new version, and the mission locale's token no
     * longer opens the API.
     */
    @Test
    @Order(4)
    void whatWaitsForARecipientNoRouteReleasesAnyMoreIsBlockedAndARemovedPartnerIsRefused() throws IOException {
        RECIPIENT.resetAll();
        RECIPIENT.stubFor(any(urlEqualTo("/cd")).willReturn(aResponse().withStatus(200)));
        RECIPIENT.stubFor(any(urlEqualTo("/ft")).willReturn(aResponse().withStatus(503)));
        RECIPIENT.stubFor(any(urlEqualTo("/ml")).willReturn(aResponse().withStatus(503)));
        String unknownExchange = "/api/v1/exchanges/" + UUID.randomUUID();
        assertThat(get(port, unknownExchange, "test-token-ml-reims").statusCode()).isEqualTo(404);
        ObjectNode toFt = GatewayTestSupport.example("orientation.psp-pending");
        assertThat(submit(CD_NEW_TOKEN, toFt).statusCode()).isEqualTo(202);
        List<String> toMl = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode person = GatewayTestSupport.example("person.applicant-with-nir");
            assertThat(submit("test-token-caf-51", person).statusCode()).isEqualTo(202);
            toMl.add(person.path("exchangeId").asString());
        }
        String ftId = toFt.path("exchangeId").asString();
        awaitStatus(ftId, s -> delivery(s, "ft-51").path("attempts").asInt() >= 1);
        // the records of one person go in order: the first is retried, the others wait behind it in the queue
        awaitStatus(toMl.get(0), s -> delivery(s, "ml-reims").path("attempts").asInt() >= 1);

        String before = version();
        Files.writeString(CONFIG.resolve("routes.yaml"), """
                routes:
                  - id: rsa-caf-to-cd-and-ml
                    description: RSA situations and persons from the CAF to the département
                    recordTypes: [person, rsa-situation]
                    from: [caf-51]
                    to: [cd-51]
                    purpose: rsa-orientation
                    legalBasis: {type: legal-obligation, reference: "CASF art. L262-40"}
                  - id: jobseeker-ft-to-cd
                    description: Job seeker situations from France Travail to the département
                    recordTypes: [jobseeker-situation]
                    from: [ft-51]
                    to: [cd-51]
                    purpose: rsa-follow-up
                    legalBasis: {type: public-task, reference: "Code du travail art. L5312-1 et L5411-5-1"}
                  - id: pulled-ft-to-cd
                    description: Diagnostics and orientations read from France Travail's APIs
                    recordTypes: [diagnostic, orientation]
                    from: [ft-51]
                    to: [cd-51]
                    purpose: rsa-follow-up
                    legalBasis: {type: public-task, reference: "Code du travail art. L5312-1 et L5411-5-1"}
                """);
        String partners = Files.readString(CONFIG.resolve("partners.yaml"));
        Files.writeString(CONFIG.resolve("partners.yaml"), partners.substring(0, partners.indexOf("  - id: ml-reims")));
        String after = reloaded(before);

        JsonNode config = json(get(port, "/api/v1/admin/config", ADMIN));
        assertThat(config.path("partners").asInt()).isEqualTo(3);
        assertThat(config.path("routes").toString()).doesNotContain("orientation-cd-to-ft", "diagnostic-cd-to-ml");
        assertThat(get(port, unknownExchange, "test-token-ml-reims").statusCode()).isEqualTo(401);
        assertThat(submit("test-token-ml-reims", GatewayTestSupport.example("person.applicant-with-nir"))
                .statusCode()).isEqualTo(401);

        JsonNode ft = awaitStatus(ftId, s -> "BLOCKED".equals(delivery(s, "ft-51").path("status").asString()));
        assertThat(delivery(ft, "ft-51").path("blockRule").asString()).isEqualTo("route-not-in-config");
        assertThat(configVersionOf(ftId, "BLOCKED", "ft-51")).isEqualTo(after);
        for (String id : toMl) {
            JsonNode ml = awaitStatus(id, s -> "BLOCKED".equals(delivery(s, "ml-reims").path("status").asString()));
            assertThat(delivery(ml, "ml-reims").path("blockRule").asString()).isEqualTo("route-not-in-config");
            assertThat(delivery(ml, "cd-51").path("status").asString()).isEqualTo("DELIVERED");
            assertThat(configVersionOf(id, "BLOCKED", "ml-reims")).isEqualTo(after);
        }
    }

    @Test
    @Order(5)
    void anAddedRecipientGetsItsRouteAndTheFirstExchange() throws IOException {
        RECIPIENT.stubFor(any(urlEqualTo("/ccas")).willReturn(aResponse().withStatus(200)));
        String before = version();
        Files.writeString(CONFIG.resolve("partners.yaml"), Files.readString(CONFIG.resolve("partners.yaml")) + """
                  - id: ccas-reims
                    kind: ccas
                    name: CCAS de Reims (test)
                    delivery:
                      url: "${TEST_URL_CCAS}"
                """);
        Files.writeString(CONFIG.resolve("routes.yaml"), Files.readString(CONFIG.resolve("routes.yaml")) + """
                  - id: orientation-cd-to-ccas
                    description: Orientation decisions to the CCAS
                    recordTypes: [orientation]
                    from: [cd-51]
                    to: [ccas-reims]
                    purpose: rsa-orientation
                    legalBasis: {type: public-task, reference: "CASF art. L262-29"}
                """);
        String after = reloaded(before);

        ObjectNode first = GatewayTestSupport.example("orientation.psp-pending");
        assertThat(submit(CD_NEW_TOKEN, first).statusCode()).isEqualTo(202);
        String id = first.path("exchangeId").asString();
        awaitStatus(id, s -> "DELIVERED".equals(delivery(s, "ccas-reims").path("status").asString()));
        assertThat(RECIPIENT.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlEqualTo("/ccas")))).hasSize(1);
        assertThat(configVersionOf(id, "DELIVERED", "ccas-reims")).isEqualTo(after);
    }

    int refusals() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'CONFIG_RELOAD_REFUSED'",
                Integer.class);
    }

    /**
     * A YAML error, an unknown field, a route naming an unknown partner: each refused with file, line and column, the
     * configuration in force stays (and routes), the refusal is audited and shown; the fixed file is then loaded by
     * the watcher.
     */
    @Test
    @Order(6)
    void anInvalidEditIsRefusedWhereItIsWrongTheConfigInForceStaysAndTheFixIsLoaded() throws IOException {
        String inForce = version();
        String routes = Files.readString(CONFIG.resolve("routes.yaml"));
        String partners = Files.readString(CONFIG.resolve("partners.yaml"));
        record Edit(String file, String text, String problem) {
        }
        List<Edit> edits = List.of(
                new Edit("routes.yaml", routes.replace("    to: [ccas-reims]", "    to: [ccas-reims"),
                        "routes.yaml:"),
                new Edit("partners.yaml", partners.replace("    name: CCAS de Reims (test)",
                        "    name: CCAS de Reims (test)\n    colour: blue"), "partners.yaml:"),
                new Edit("routes.yaml", routes.replace("    to: [ccas-reims]", "    to: [ccas-51]"),
                        "'to' names unknown partner 'ccas-51'"));
        for (Edit edit : edits) {
            int refusedBefore = refusals();
            Files.writeString(CONFIG.resolve(edit.file()), edit.text());
            HttpResponse<String> reload = post(port, "/api/v1/admin/config/reload", ADMIN, null, new byte[0]);
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(422);
            List<String> problems = json(reload).path("problems").valueStream().map(JsonNode::asString).toList();
            assertThat(problems).as(edit.text()).isNotEmpty().allMatch(p -> p.matches(
                    "(partners|routes)\\.yaml:[1-9][0-9]*:[1-9][0-9]*: .*"), "file:line:column: message")
                    .anyMatch(p -> p.contains(edit.problem()));
            JsonNode config = json(get(port, "/api/v1/admin/config", ADMIN));
            assertThat(config.path("version").asString()).isEqualTo(inForce);
            assertThat(config.path("lastRefusedReload").path("problems").valueStream().map(JsonNode::asString)
                    .toList()).isEqualTo(problems);
            assertThat(refusals()).isGreaterThan(refusedBefore);
            assertThat(jdbc.queryForObject("SELECT config_version FROM audit_event WHERE event_type = "
                    + "'CONFIG_RELOAD_REFUSED' ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY", String.class).trim())
                    .isEqualTo(inForce);
            // the configuration in force still routes
            ObjectNode meanwhile = GatewayTestSupport.example("orientation.psp-pending");
            assertThat(submit(CD_NEW_TOKEN, meanwhile).statusCode()).isEqualTo(202);
            awaitStatus(meanwhile.path("exchangeId").asString(),
                    s -> "DELIVERED".equals(delivery(s, "ccas-reims").path("status").asString()));
            Files.writeString(CONFIG.resolve(edit.file()), edit.file().equals("routes.yaml") ? routes : partners);
        }
        // fixed: the watcher loads it, no reload asked
        Files.writeString(CONFIG.resolve("routes.yaml"), routes.replace("Orientation decisions to the CCAS",
                "Orientation decisions to the CCAS of Reims"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !version().equals(inForce));
    }

    /** An editor or a copy that truncates the file, then writes it: the empty file is neither loaded nor refused. */
    @Test
    @Order(7)
    void aFileWrittenInTwoStepsIsLoadedOnceWhole() throws IOException {
        String before = version();
        int refusedBefore = refusals();
        String partners = Files.readString(CONFIG.resolve("partners.yaml"));
        // two saves well within one interval (200 ms): at most one look can see the empty file
        Files.writeString(CONFIG.resolve("partners.yaml"), "");
        Files.writeString(CONFIG.resolve("partners.yaml"), partners.replace("CCAS de Reims (test)",
                "CCAS de la ville de Reims (test)"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !version().equals(before));
        assertThat(json(get(port, "/api/v1/admin/config", ADMIN)).path("partners").asInt()).isEqualTo(4);
        assertThat(refusals()).isEqualTo(refusedBefore);
    }
}
