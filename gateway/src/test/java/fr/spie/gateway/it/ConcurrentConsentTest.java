package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
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
 * Consents given or withdrawn several times at the same instant (a partner's client retrying, the person asking two
 * partners at once): one consent, one withdrawal, one notice per recipient.
 */
class ConcurrentConsentTest extends RunningGatewayTest {
    private static final int THREADS = 10;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theSameConsentGivenConcurrentlyIsRegisteredOnceAndTheOthersAre409() {
        for (int round = 0; round < 3; round++) {
            UUID consentId = UUID.randomUUID();
            byte[] body = JSON.writeValueAsBytes(consentBody(ConsentFlowTest.person(), consentId));

            List<HttpResponse<String>> answers = SameInstant.run(THREADS,
                    i -> post(port, "/api/v1/consents", token("cd-51"), "application/json", body));

            assertThat(answers.stream().filter(a -> a.statusCode() == 201)).as("registered").hasSize(1);
            assertThat(answers).allSatisfy(a -> {
                if (a.statusCode() != 201) {
                    assertThat(a.statusCode()).as(a.body()).isEqualTo(409);
                    assertThat(json(a).path("type").asString())
                            .isEqualTo("https://spie-gateway.fr/problems/consent-id-conflict");
                }
            });
            assertThat(count("SELECT COUNT(*) FROM consent WHERE consent_id = ?", consentId)).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM audit_event WHERE event_type = 'CONSENT_GIVEN' AND detail LIKE ?",
                    "consent " + consentId + " given%")).isEqualTo(1);
        }
    }

    @Test
    void theSameConsentRecordSentConcurrentlyIsRegisteredOnce() {
        for (int round = 0; round < 3; round++) {
            ObjectNode record = GatewayTestSupport.example("consent.diagnostic-to-mission-locale");
            record.set("subject", ConsentFlowTest.person());
            UUID consentId = UUID.randomUUID();
            ((ObjectNode) record.path("payload")).put("consentId", consentId.toString());
            // half of the threads send the same exchange (a retry), the other half other exchanges with the consent
            List<HttpResponse<String>> answers = SameInstant.run(THREADS, i -> GatewayTestSupport.submit(port, "cd-51",
                    i % 2 == 0 ? record : record.deepCopy().put("exchangeId", UUID.randomUUID().toString())));

            assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isIn(202, 409));
            assertThat(answers.stream().filter(a -> a.statusCode() == 409)).allSatisfy(a -> assertThat(
                    json(a).path("type").asString()).isEqualTo("https://spie-gateway.fr/problems/consent-id-conflict"));
            assertThat(count("SELECT COUNT(*) FROM consent WHERE consent_id = ?", consentId)).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM audit_event WHERE event_type = 'CONSENT_GIVEN' AND detail LIKE ?",
                    "consent " + consentId + " given%")).isEqualTo(1);
            String winner = jdbc.queryForObject("SELECT exchange_id FROM audit_event WHERE event_type = 'CONSENT_GIVEN' "
                    + "AND detail LIKE ?", String.class, "consent " + consentId + " given%");
            for (int i = 0; i < THREADS; i++) {
                if (answers.get(i).statusCode() == 202) {
                    assertThat(json(answers.get(i)).path("exchangeId").asString()).isEqualTo(winner);
                }
                if (i % 2 == 0 && record.path("exchangeId").asString().equals(winner)) {
                    assertThat(answers.get(i).statusCode()).as("a retry of the exchange that registered it")
                            .isEqualTo(202);
                }
            }
        }
    }

    @Test
    void theSameConsentWithdrawnConcurrentlyIsWithdrawnOnceAndItsRecipientNotifiedOnce() throws Exception {
        for (int round = 0; round < 3; round++) {
            ObjectNode subject = ConsentFlowTest.person();
            UUID consentId = UUID.randomUUID();
            assertThat(post(port, "/api/v1/consents", token("cd-51"), "application/json",
                    JSON.writeValueAsBytes(consentBody(subject, consentId))).statusCode()).isEqualTo(201);
            // ml-reims received a diagnostic of the person under the consent: it is to be told of the withdrawal
            ObjectNode diagnostic = ConsentFlowTest.diagnostic(subject);
            String delivered = diagnostic.path("exchangeId").asString();
            assertThat(GatewayTestSupport.submit(port, "cd-51", diagnostic).statusCode()).isEqualTo(202);
            GatewayTestSupport.awaitStatus(port, "cd-51", delivered, s -> "DELIVERED".equals(
                    GatewayTestSupport.delivery(s, "ml-reims").path("status").asString()), WAIT);

            List<HttpResponse<String>> answers = SameInstant.run(THREADS, i -> post(port,
                    "/api/v1/consents/" + consentId + "/withdraw", token("cd-51"), "application/json",
                    ("{\"reason\": \"asked twice " + i + "\"}").getBytes()));

            assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
            assertThat(answers.stream().map(a -> json(a).path("withdrawnAt").asString()).distinct()).hasSize(1);
            assertThat(count("SELECT COUNT(*) FROM audit_event WHERE event_type = 'CONSENT_WITHDRAWN' "
                    + "AND detail LIKE ?", "consent " + consentId + " withdrawn%")).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM consent_event WHERE consent_id = ? AND event_type = 'WITHDRAWN'",
                    consentId)).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM audit_event WHERE event_type = 'RECEIVED' AND detail LIKE ?",
                    "withdrawal notice of consent " + consentId + "%")).isEqualTo(1);
            await().atMost(WAIT).until(() -> notices(consentId).size() >= 1);
            Thread.sleep(300);
            assertThat(notices(consentId)).hasSize(1);
        }
    }

    private List<ServeEvent> notices(UUID consentId) {
        return ML_REIMS.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getBodyAsString().contains("\"consentId\":\"" + consentId + "\"")
                        && e.getRequest().getBodyAsString().contains("consent-withdrawn"))
                .toList();
    }

    private static ObjectNode consentBody(JsonNode subject, UUID consentId) {
        ObjectNode body = JSON.createObjectNode();
        body.set("subject", subject);
        body.set("consent", ConsentFlowTest.receipt(consentId, "ml-reims"));
        return body;
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }
}
