package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Consent in the running gateway (test route diagnostic-cd-to-ml-consent: cd-51 → ml-reims with allow-list
 * [/date, /needs], and ft-51 whole record; legal basis consent; notifyWithdrawal).
 */
class ConsentFlowTest extends RunningGatewayTest {
    static final String ADMIN = "test-token-admin";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JdbcTemplate jdbc;

    /** A person known to the département by a fresh identifier (tests share one database). */
    static ObjectNode person() {
        ObjectNode subject = JSON.createObjectNode();
        subject.putArray("identifiers").addObject().put("scheme", "departement-id")
                .put("value", "D" + UUID.randomUUID().toString().substring(0, 8));
        return subject;
    }

    /** The person of {@link #person()} as the consents API names them: cd-51's departement-id, with its issuer. */
    static String personParam(JsonNode subject) {
        return "departement-id@cd-51:" + subject.path("identifiers").get(0).path("value").asString();
    }

    static ObjectNode receipt(UUID id, String... recipients) {
        return GatewayTestSupport.consentReceipt(id, recipients);
    }

    HttpResponse<String> give(String bearer, JsonNode subject, JsonNode receipt) {
        ObjectNode body = JSON.createObjectNode();
        body.set("subject", subject);
        body.set("consent", receipt);
        return post(port, "/api/v1/consents", bearer, "application/json", JSON.writeValueAsBytes(body));
    }

    static ObjectNode diagnostic(JsonNode subject) {
        ObjectNode e = GatewayTestSupport.example("diagnostic.complete");
        e.put("source", "cd-51").put("purpose", "social-support");
        e.putObject("legalBasis").put("type", "consent").put("reference", "RGPD art. 6(1)(a)");
        e.set("subject", subject);
        return e;
    }

    String submitted(JsonNode envelope) {
        HttpResponse<String> r = submit(port, "cd-51", envelope);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return envelope.path("exchangeId").asString();
    }

    JsonNode settled(String exchangeId) {
        return awaitStatus(port, "cd-51", exchangeId, s -> {
            for (JsonNode d : s.path("deliveries")) {
                String st = d.path("status").asString();
                if (!st.equals("DELIVERED") && !st.equals("BLOCKED") && !st.equals("DEAD_LETTERED")) {
                    return false;
                }
            }
            return true;
        }, WAIT);
    }

    List<String> auditDetails(String exchangeId, String type, String recipient) {
        return jdbc.queryForList("SELECT detail FROM audit_event WHERE exchange_id = ? AND event_type = ? "
                + "AND recipient = ? ORDER BY seq", String.class, UUID.fromString(exchangeId), type, recipient);
    }

    @Test
    void withoutConsentEveryRecipientIsBlockedWithTheRule() {
        String id = submitted(diagnostic(person()));
        JsonNode status = settled(id);
        for (String recipient : List.of("ml-reims", "ft-51")) {
            assertThat(delivery(status, recipient).path("status").asString()).isEqualTo("BLOCKED");
            assertThat(delivery(status, recipient).path("lastError").asString()).contains("[consent-missing]");
            assertThat(auditDetails(id, "BLOCKED", recipient)).singleElement().asString()
                    .contains("consent-missing");
        }
    }

    @Test
    void aConsentReleasesOnlyTheAllowedFieldsToTheRecipientItNames() {
        JsonNode subject = person();
        UUID consentId = UUID.randomUUID();
        HttpResponse<String> given = give(token("cd-51"), subject, receipt(consentId, "mission-locale"));
        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);

        String id = submitted(diagnostic(subject));
        JsonNode status = settled(id);
        assertThat(delivery(status, "ml-reims").path("status").asString()).isEqualTo("DELIVERED");
        assertThat(delivery(status, "ft-51").path("status").asString()).isEqualTo("BLOCKED");
        // the sender is told the rule, not what the person's consents hold; the admin and the audit trail are
        assertThat(delivery(status, "ft-51").path("lastError").asString()).contains("[consent-recipient]")
                .doesNotContain(consentId.toString(), "mission-locale");
        JsonNode asAdmin = json(get(port, "/api/v1/exchanges/" + id, ADMIN));
        assertThat(delivery(asAdmin, "ft-51").path("lastError").asString())
                .contains("[consent-recipient]", consentId.toString(), "it names [mission-locale]");
        assertThat(auditDetails(id, "BLOCKED", "ft-51")).singleElement().asString().contains(consentId.toString());

        JsonNode received = received(ML_REIMS.getAllServeEvents(), id);
        assertThat(received.path("payload").propertyNames()).containsExactlyInAnyOrder("date", "needs");
        assertThat(received.path("subject")).isEqualTo(subject);
        assertThat(auditDetails(id, "DELIVERED", "ml-reims")).singleElement().asString()
                .contains("released fields /date, /needs", "consent-granted");
    }

    /**
     * cd-51 names its beneficiaries by its own id, without issuer over the API; its files give the same id the issuer
     * cd-51 (docs/routing.md). A consent given over the API must cover the records of its files, and a
     * departement-id without issuer from anyone else names no one.
     */
    @Test
    void aConsentGivenOverTheApiByItsOwnIdCoversTheDepartementsRecordsFromFiles() {
        ObjectNode overTheApi = person();
        assertThat(give(token("cd-51"), overTheApi, receipt(UUID.randomUUID(), "mission-locale")).statusCode())
                .isEqualTo(201);
        ObjectNode asInItsFiles = overTheApi.deepCopy();
        ((ObjectNode) asInItsFiles.path("identifiers").get(0)).put("issuer", "cd-51");

        String fromFile = submitted(diagnostic(asInItsFiles));
        assertThat(delivery(settled(fromFile), "ml-reims").path("status").asString()).isEqualTo("DELIVERED");
        String overApi = submitted(diagnostic(overTheApi));
        assertThat(delivery(settled(overApi), "ml-reims").path("status").asString()).isEqualTo("DELIVERED");
        // the envelope is stored and delivered as sent: the issuer is given for keying only
        assertThat(received(ML_REIMS.getAllServeEvents(), overApi).path("subject")).isEqualTo(overTheApi);

        String value = overTheApi.path("identifiers").get(0).path("value").asString();
        assertThat(json(get(port, "/api/v1/consents?person=departement-id:" + value, token("cd-51")))
                .path("consents")).hasSize(1);
        HttpResponse<String> whose = get(port, "/api/v1/consents?person=departement-id:" + value, ADMIN);
        assertThat(whose.statusCode()).isEqualTo(400);
        assertThat(whose.body()).contains("issuer");
        // an administrator registering a consent must say whose departement-id it is
        HttpResponse<String> noIssuer = give(ADMIN, person(), receipt(UUID.randomUUID(), "mission-locale"));
        assertThat(noIssuer.statusCode()).isEqualTo(400);
        assertThat(json(noIssuer).path("errors").get(0).path("pointer").asString())
                .isEqualTo("/subject/identifiers/0/issuer");
    }

    @Test
    void aRecipientConfiguredWithoutTheNirReceivesTheSubjectWithoutIt() {
        ObjectNode subject = person();
        subject.put("nir", "1850751" + String.format("%06d", System.nanoTime() % 1_000_000L));
        subject.put("birthName", "MARTIN").putArray("givenNames").add("Lucie");
        subject.put("birthDate", "1985-07-14");
        assertThat(give(token("cd-51"), subject, receipt(UUID.randomUUID(), "ml-reims")).statusCode()).isEqualTo(201);

        String id = submitted(diagnostic(subject));
        assertThat(delivery(settled(id), "ml-reims").path("status").asString()).isEqualTo("DELIVERED");

        ObjectNode withoutNir = subject.deepCopy();
        withoutNir.remove("nir");
        JsonNode received = received(ML_REIMS.getAllServeEvents(), id);
        assertThat(received.path("subject")).isEqualTo(withoutNir);
        assertThat(auditDetails(id, "DELIVERED", "ml-reims")).singleElement().asString()
                .contains("released fields /date, /needs, subject fields birthName, usageName, givenNames, "
                        + "birthDate, sex, birthPlace, identifiers [consent-granted");
    }

    /**
     * Matricules are unique within one CAF only, and a matricule names a household, not a person: the consent of
     * someone else who has the same matricule at another CAF, or of another member of the household, must not release
     * the data of a person.
     */
    @Test
    void theConsentOfSomeoneElseWithTheSameMatriculeAtAnotherCafDoesNotCoverAPersonNamedByNir() {
        String matricule = String.valueOf(1_000_000 + (System.nanoTime() & 0x7ffff));
        ObjectNode other = JSON.createObjectNode();
        other.putArray("identifiers").addObject().put("scheme", "caf-matricule").put("value", matricule)
                .put("issuer", "CAF 021");
        other.putArray("givenNames").add("Camille");
        other.put("birthDate", "1990-02-03");
        assertThat(give(token("cd-51"), other, receipt(UUID.randomUUID(), "mission-locale")).statusCode())
                .isEqualTo(201);

        ObjectNode person = JSON.createObjectNode();
        person.put("nir", "2850551" + String.format("%06d", System.nanoTime() % 1_000_000L));
        person.putArray("identifiers").addObject().put("scheme", "caf-matricule").put("value", matricule)
                .put("issuer", "CAF 511");
        String id = submitted(diagnostic(person));
        JsonNode status = settled(id);
        assertThat(delivery(status, "ml-reims").path("status").asString()).isEqualTo("BLOCKED");
        assertThat(delivery(status, "ml-reims").path("lastError").asString()).contains("[consent-missing]");

        // named by a matricule alone: a household, whose members' consents are never a guess
        person.remove("nir");
        String byMatricule = submitted(diagnostic(person));
        JsonNode byMatriculeStatus = settled(byMatricule);
        assertThat(delivery(byMatriculeStatus, "ml-reims").path("status").asString()).isEqualTo("BLOCKED");
        assertThat(delivery(byMatriculeStatus, "ml-reims").path("lastError").asString()).contains("[consent-missing]");
        // another member of the consenting person's household: not covered
        ObjectNode spouse = other.deepCopy();
        spouse.putArray("givenNames").add("Dominique");
        spouse.put("birthDate", "1988-12-24");
        String aboutTheSpouse = submitted(diagnostic(spouse));
        assertThat(delivery(settled(aboutTheSpouse), "ml-reims").path("lastError").asString())
                .contains("[consent-missing]");
        // while the person who gave the consent, named the same way, is covered
        String sameCaf = submitted(diagnostic(other.deepCopy()));
        assertThat(delivery(settled(sameCaf), "ml-reims").path("status").asString()).isEqualTo("DELIVERED");
    }

    @Test
    void aConsentNamingAHouseholdOnlyIsRefused() {
        ObjectNode household = JSON.createObjectNode();
        household.putArray("identifiers").addObject().put("scheme", "caf-matricule").put("value", "7654321")
                .put("issuer", "CAF 511");
        HttpResponse<String> given = give(token("cd-51"), household, receipt(UUID.randomUUID(), "mission-locale"));
        assertThat(given.statusCode()).as(given.body()).isEqualTo(400);
        assertThat(json(given).path("detail").asString()).contains("a CAF/MSA matricule names a household");
    }

    @Test
    void aConsentNamingABirthNameAndDateWithoutAGivenNameIsRefusedSayingWhatIsMissing() {
        ObjectNode namesake = JSON.createObjectNode();
        namesake.put("birthName", "MARTIN").put("birthDate", "1985-07-14");
        namesake.putArray("givenNames").add("-");
        HttpResponse<String> given = give(token("cd-51"), namesake, receipt(UUID.randomUUID(), "mission-locale"));
        assertThat(given.statusCode()).as(given.body()).isEqualTo(400);
        assertThat(json(given).path("detail").asString()).contains("first given name")
                .contains("a birth name and a birth date alone name everyone born that day");
    }

    @Test
    void aWithdrawalBlocksWhatIsStillQueuedAndNotifiesTheRecipient() {
        JsonNode subject = person();
        UUID consentId = UUID.randomUUID();
        assertThat(give(token("cd-51"), subject, receipt(consentId, "ml-reims")).statusCode()).isEqualTo(201);
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        String delivered = submitted(diagnostic(subject));
        assertThat(delivery(settled(delivered), "ml-reims").path("status").asString()).isEqualTo("DELIVERED");
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withFixedDelay(1500)));

        String id = submitted(diagnostic(subject));
        // withdrawn while the first attempt waits for its (slow) 503: the next attempt must see the withdrawal. Not
        // after the attempt is counted, which is at its end: a quick retry could then start before the withdrawal
        await().atMost(WAIT).until(() -> !ML_REIMS.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(id))).isEmpty());
        HttpResponse<String> withdrawn = post(port, "/api/v1/consents/" + consentId + "/withdraw", token("ft-51"),
                "application/json", "{\"reason\": \"the person asked France Travail\"}".getBytes());
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        assertThat(json(withdrawn).path("withdrawnBy").asString()).isEqualTo("ft-51");
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        JsonNode status = settled(id);
        assertThat(delivery(status, "ml-reims").path("status").asString()).isEqualTo("BLOCKED");
        assertThat(delivery(status, "ml-reims").path("lastError").asString()).contains("[consent-withdrawn]")
                .doesNotContain(consentId.toString(), "ft-51");
        assertThat(delivery(status, "ml-reims").path("blockRule").asString()).isEqualTo("consent-withdrawn");
        assertThat(jdbc.queryForObject("SELECT block_rule FROM delivery WHERE exchange_id = ? AND recipient = ?",
                String.class, UUID.fromString(id), "ml-reims")).isEqualTo("consent-withdrawn");
        assertThat(auditDetails(id, "BLOCKED", "ml-reims")).singleElement().asString()
                .startsWith("at delivery: [consent-withdrawn]");

        await().atMost(WAIT).until(() -> ML_REIMS.getAllServeEvents().stream()
                .anyMatch(e -> e.getRequest().getBodyAsString().contains(consentId.toString())));
        JsonNode notice = ML_REIMS.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getBodyAsString().contains(consentId.toString()))
                .map(e -> JSON.readTree(e.getRequest().getBodyAsString())).findFirst().orElseThrow();
        assertThat(notice.path("noticeType").asString()).isEqualTo("consent-withdrawn");
        assertThat(notice.path("routeId").asString()).isEqualTo("diagnostic-cd-to-ml-consent");
        assertThat(notice.path("subject")).isEqualTo(subject);
        assertThat(ML_REIMS.getAllServeEvents()).noneMatch(e -> e.getRequest().getBodyAsString().contains(id));
    }

    @Test
    void aRecipientThatReceivedNothingAboutThePersonIsNotSentAWithdrawalNotice() {
        JsonNode subject = person();
        UUID consentId = UUID.randomUUID();
        assertThat(give(token("cd-51"), subject, receipt(consentId, "ml-reims")).statusCode()).isEqualTo(201);

        HttpResponse<String> withdrawn = post(port, "/api/v1/consents/" + consentId + "/withdraw", token("cd-51"),
                "application/json", "{\"reason\": \"the person changed their mind\"}".getBytes());
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);

        // the notice exchange would have been written in the withdrawal's own transaction: none was
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'RECEIVED' "
                + "AND detail LIKE ?", Integer.class, "withdrawal notice of consent " + consentId + "%")).isZero();
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'CONSENT_WITHDRAWN' "
                + "AND detail LIKE ?", String.class, "consent " + consentId + " withdrawn%")).singleElement()
                .asString().endsWith("; no withdrawal notice to ml-reims (route 'diagnostic-cd-to-ml-consent'): "
                        + "nothing about the person was delivered to them on that route");
    }

    @Test
    void aWithdrawalTakesEffectAtOnceEvenWhenALaterWithdrawalDateWasRecorded() {
        JsonNode subject = person();
        UUID consentId = UUID.randomUUID();
        ObjectNode receipt = receipt(consentId, "ml-reims");
        receipt.put("withdrawnAt", java.time.Instant.now().plus(java.time.Duration.ofDays(365)).toString());
        assertThat(give(token("cd-51"), subject, receipt).statusCode()).isEqualTo(201);

        HttpResponse<String> withdrawn = post(port, "/api/v1/consents/" + consentId + "/withdraw", token("ml-reims"),
                "application/json", "{\"reason\": \"the person asked the mission locale\"}".getBytes());
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        assertThat(java.time.Instant.parse(json(withdrawn).path("withdrawnAt").asString()))
                .isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(json(withdrawn).path("withdrawnBy").asString()).isEqualTo("ml-reims");

        String id = submitted(diagnostic(subject));
        JsonNode status = settled(id);
        assertThat(delivery(status, "ml-reims").path("status").asString()).isEqualTo("BLOCKED");
        assertThat(delivery(status, "ml-reims").path("lastError").asString()).contains("[consent-withdrawn]");
    }

    @Test
    void aConsentRecordIsRegisteredNotRouted() {
        ObjectNode envelope = GatewayTestSupport.example("consent.diagnostic-to-mission-locale");
        JsonNode subject = person();
        envelope.set("subject", subject);
        UUID consentId = UUID.randomUUID();
        ((ObjectNode) envelope.path("payload")).put("consentId", consentId.toString());

        HttpResponse<String> notCollector = submit(port, "ft-51", withSource(envelope.deepCopy(), "ft-51"));
        assertThat(notCollector.statusCode()).isEqualTo(403);
        assertThat(notCollector.body()).contains("collector-mismatch");

        String id = submitted(envelope);
        assertThat(GatewayTestSupport.status(port, "cd-51", id).path("deliveries")).isEmpty();
        JsonNode consents = json(get(port, "/api/v1/consents?person=" + personParam(subject), ADMIN));
        assertThat(consents.path("consents")).singleElement()
                .satisfies(c -> assertThat(c.path("id").asString()).isEqualTo(consentId.toString()));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE exchange_id = ? AND event_type = "
                + "'CONSENT_GIVEN'", Integer.class, UUID.fromString(id))).isEqualTo(1);
        // the same consent id again with other content is a conflict
        ObjectNode again = envelope.deepCopy();
        again.put("exchangeId", UUID.randomUUID().toString());
        assertThat(submit(port, "cd-51", again).statusCode()).isEqualTo(409);
    }

    @Test
    void consentsAreReadByPersonAccordingToRole() {
        JsonNode subject = person();
        give(token("cd-51"), subject, receipt(UUID.randomUUID(), "mission-locale"));
        String person = personParam(subject);
        assertThat(json(get(port, "/api/v1/consents?person=" + person, ADMIN)).path("consents")).hasSize(1);
        assertThat(json(get(port, "/api/v1/consents?person=" + person, token("cd-51"))).path("consents")).hasSize(1);
        assertThat(json(get(port, "/api/v1/consents?person=" + person, token("ft-51"))).path("consents")).isEmpty();
        // named by its kind (mission-locale): it reads the consent its deliveries rest on
        assertThat(json(get(port, "/api/v1/consents?person=" + person, token("ml-reims"))).path("consents"))
                .hasSize(1);
        assertThat(get(port, "/api/v1/consents?person=" + person, "test-token-auditor").statusCode()).isEqualTo(403);
        // the same with the person in the body, out of URLs and proxies' access logs
        byte[] search = ("{\"person\": \"" + person + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json(post(port, "/api/v1/consents/search", token("cd-51"), "application/json", search))
                .path("consents")).hasSize(1);
        assertThat(json(post(port, "/api/v1/consents/search", token("ft-51"), "application/json", search))
                .path("consents")).isEmpty();
        HttpResponse<String> noPerson = post(port, "/api/v1/consents/search", token("cd-51"), "application/json",
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(noPerson.statusCode()).isEqualTo(400);
        assertThat(json(noPerson).path("type").asString()).endsWith("invalid-person");
        JsonNode c = json(get(port, "/api/v1/consents?person=" + person, ADMIN)).path("consents").get(0);
        assertThat(c.path("events").get(0).path("type").asString()).isEqualTo("GIVEN");
        assertThat(c.path("legalBasis").path("type").asString()).isEqualTo("consent");
    }

    /**
     * Any partner may withdraw a consent (GDPR art. 7(3)), but withdrawing is not a way to read one: a partner that
     * may not read the consent (not its collector, controller or recipient) is told only that it is withdrawn, when
     * and (if it was the one) by whom; neither the receipt's contents nor who else withdrew it.
     */
    @Test
    void withdrawingAConsentDoesNotShowItToAPartnerThatMayNotReadIt() {
        UUID consentId = UUID.randomUUID();
        assertThat(give(token("cd-51"), person(), receipt(consentId, "ml-reims")).statusCode()).isEqualTo(201);
        String path = "/api/v1/consents/" + consentId + "/withdraw";

        HttpResponse<String> first = post(port, path, token("caf-51"), "application/json", new byte[0]);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode answer = json(first);
        assertThat(answer.path("id").asString()).isEqualTo(consentId.toString());
        assertThat(answer.path("withdrawnBy").asString()).isEqualTo("caf-51");
        assertThat(answer.path("withdrawnAt").asString()).isNotBlank();
        assertThat(first.body()).doesNotContain("ref-0042", "GED-1", "ml-reims", "cd-51", "social-support",
                "signed-form");
        for (String field : new String[] {"subject", "controllers", "recipients", "purposes", "dataCategories",
                "collectedBy", "evidenceReference", "events"}) {
            assertThat(answer.has(field)).as(field).isFalse();
        }

        // the consent is now withdrawn: another partner withdrawing it again reads nothing of it either
        HttpResponse<String> again = post(port, path, token("ft-51"), "application/json", new byte[0]);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).path("withdrawnAt").asString()).isEqualTo(answer.path("withdrawnAt").asString());
        assertThat(json(again).path("withdrawnBy").isNull()).as("withdrawn by another partner").isTrue();
        assertThat(again.body()).doesNotContain("caf-51", "ref-0042", "GED-1", "ml-reims", "cd-51");

        // those that may read the consent see the whole receipt, as with GET
        for (String reader : new String[] {token("cd-51"), token("ml-reims"), ADMIN}) {
            JsonNode whole = json(post(port, path, reader, "application/json", new byte[0]));
            assertThat(whole.path("collectedBy").path("professional").asString()).isEqualTo("ref-0042");
            assertThat(whole.path("withdrawnBy").asString()).isEqualTo("caf-51");
        }
    }

    @Test
    void aConsentIsValidatedAndAPartnerGivesOnlyWhatItCollected() {
        ObjectNode bad = receipt(UUID.randomUUID(), "ml-reims");
        bad.remove("legalBasis");
        HttpResponse<String> invalid = give(token("cd-51"), person(), bad);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("/consent/legalBasis");
        assertThat(give(token("ft-51"), person(), receipt(UUID.randomUUID(), "ml-reims")).statusCode())
                .isEqualTo(403);
        // an administrator names whose departement-id it is (see aConsentGivenOverTheApiByItsOwnId...)
        ObjectNode byAdmin = person();
        ((ObjectNode) byAdmin.path("identifiers").get(0)).put("issuer", "cd-51");
        assertThat(give(ADMIN, byAdmin, receipt(UUID.randomUUID(), "ml-reims")).statusCode()).isEqualTo(201);
    }

    @Test
    void aLeapSecondTheSchemaAcceptsIsReadAsTheSecondBefore() {
        ObjectNode leap = receipt(UUID.randomUUID(), "ml-reims");
        leap.put("givenAt", "2016-12-31T23:59:60Z").put("validUntil", "2017-01-01T00:59:60+01:00");
        HttpResponse<String> given = give(token("cd-51"), person(), leap);
        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
        assertThat(json(given).path("givenAt").asString()).isEqualTo("2016-12-31T23:59:59Z");
        assertThat(json(given).path("validUntil").asString()).isEqualTo("2016-12-31T23:59:59Z");
    }

    @Test
    void aConsentRecordWithALeapSecondIsRegistered() {
        ObjectNode record = GatewayTestSupport.example("consent.diagnostic-to-mission-locale");
        JsonNode subject = person();
        record.set("subject", subject);
        ((ObjectNode) record.path("payload")).put("consentId", UUID.randomUUID().toString())
                .put("givenAt", "2016-12-31T23:59:60.25Z").put("validUntil", "2030-01-01T10:00:00.1234567891Z");
        submitted(record);
        assertThat(json(get(port, "/api/v1/consents?person=" + personParam(subject), ADMIN)).path("consents"))
                .singleElement().satisfies(c -> assertThat(c.path("givenAt").asString())
                        .isEqualTo("2016-12-31T23:59:59.250Z"))
                .satisfies(c -> assertThat(c.path("validUntil").asString()).isEqualTo("2030-01-01T10:00:00.123456789Z"));
    }

    @Test
    void aLeapSecondThatWasNeverInsertedIsA400NamingTheField() {
        ObjectNode notALeapSecond = receipt(UUID.randomUUID(), "ml-reims");
        notALeapSecond.put("givenAt", "2026-06-30T23:59:60Z");
        HttpResponse<String> refused = give(token("cd-51"), person(), notALeapSecond);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        assertThat(refused.body()).contains("/consent/givenAt");
    }

    @Test
    void explainShowsEachRecipientsDecisionAndProjectionWithoutSending() {
        JsonNode subject = person();
        give(token("cd-51"), subject, receipt(UUID.randomUUID(), "ml-reims"));
        ObjectNode envelope = diagnostic(subject);
        HttpResponse<String> r = post(port, "/api/v1/admin/routing/explain", ADMIN, "application/json",
                JSON.writeValueAsBytes(envelope));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode ml = json(r).path("recipients").get(0);
        assertThat(ml.path("decision").asString()).isEqualTo("deliver");
        assertThat(ml.path("rule").asString()).isEqualTo("consent-granted");
        assertThat(ml.path("projectedPayload").propertyNames()).containsExactlyInAnyOrder("date", "needs");
        JsonNode ft = json(r).path("recipients").get(1);
        assertThat(ft.path("decision").asString()).isEqualTo("blocked");
        assertThat(ft.path("rule").asString()).isEqualTo("consent-recipient");
        assertThat(get(port, "/api/v1/exchanges/" + envelope.path("exchangeId").asString(), token("cd-51"))
                .statusCode()).as("nothing was submitted").isEqualTo(404);
        assertThat(post(port, "/api/v1/admin/routing/explain", token("cd-51"), "application/json",
                JSON.writeValueAsBytes(envelope)).statusCode()).isEqualTo(403);
        // an envelope that names a member twice is refused by the intake: explain says so too (it explained the
        // last value as deliverable)
        String twice = JSON.writeValueAsString(envelope);
        twice = twice.substring(0, twice.length() - 1) + ", \"payload\": {\"date\": \"2025-01-15\"}}";
        HttpResponse<String> refused = post(port, "/api/v1/admin/routing/explain", ADMIN, "application/json",
                twice.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("malformed-json").contains("payload");
    }

    @Test
    void theAdminSeesTheConfigVersionAndAnUnchangedReload() {
        JsonNode config = json(get(port, "/api/v1/admin/config", ADMIN));
        assertThat(config.path("version").asString()).hasSize(64);
        assertThat(config.path("loadedAt").asString()).isNotEmpty();
        HttpResponse<String> reload = post(port, "/api/v1/admin/config/reload", ADMIN, null, new byte[0]);
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(json(reload).path("outcome").asString()).isEqualTo("unchanged");
        assertThat(get(port, "/api/v1/admin/config", token("cd-51")).statusCode()).isEqualTo(403);
    }

    static ObjectNode withSource(ObjectNode envelope, String source) {
        envelope.put("source", source);
        envelope.put("exchangeId", UUID.randomUUID().toString());
        ((ObjectNode) envelope.path("payload").path("collectedBy")).put("partner", "cd-51");
        return envelope;
    }

    static JsonNode received(List<ServeEvent> events, String exchangeId) {
        return events.stream().map(e -> JSON.readTree(e.getRequest().getBodyAsString()))
                .filter(b -> exchangeId.equals(b.path("exchangeId").asString())).findFirst()
                .orElseThrow(() -> new AssertionError("not received: " + exchangeId));
    }
}
