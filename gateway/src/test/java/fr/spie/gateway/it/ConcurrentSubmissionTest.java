package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fr.spie.gateway.privacy.CanonicalJson;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * The same exchange id arriving several times at the same instant (a partner's HTTP client retrying, two instances
 * of the partner's system): one exchange, delivered once to each recipient, received once in the audit trail.
 */
class ConcurrentSubmissionTest extends RunningGatewayTest {
    private static final int THREADS = 12;
    private static final int ROUNDS = 3;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theSameExchangeSentConcurrentlyIsOneExchangeDeliveredOnceToEachRecipient() {
        for (int round = 0; round < ROUNDS; round++) {
            ObjectNode envelope = example("rsa-situation.open-payable-applicant");
            String id = envelope.path("exchangeId").asString();

            List<HttpResponse<String>> answers = SameInstant.run(THREADS, i -> submit(port, "caf-51", envelope));

            assertThat(answers).allSatisfy(answer -> {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                assertThat(json(answer).path("exchangeId").asString()).isEqualTo(id);
            });
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
            assertThat(count("SELECT COUNT(*) FROM exchange WHERE exchange_id = ?", id)).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM delivery WHERE exchange_id = ?", id)).isEqualTo(2);
            assertThat(count("SELECT COUNT(*) FROM audit_event WHERE exchange_id = ? AND event_type = 'RECEIVED'",
                    id)).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM audit_event WHERE exchange_id = ? AND event_type = 'DELIVERED'",
                    id)).isEqualTo(2);
            assertThat(count("SELECT COUNT(*) FROM audit_event WHERE exchange_id = ? AND event_type = 'REJECTED'",
                    id)).isZero();
            assertThat(deliveredTo(CD_51, id, "cd-51")).hasSize(1);
            assertThat(deliveredTo(ML_REIMS, id, "ml-reims")).hasSize(1);
        }
    }

    @Test
    void theSameExchangeIdWithDifferentContentsConcurrentlyHasOneWinnerAndTheOthersAre409() {
        for (int round = 0; round < ROUNDS; round++) {
            ObjectNode base = example("rsa-situation.open-payable-applicant");
            String id = base.path("exchangeId").asString();
            ObjectNode[] variants = new ObjectNode[THREADS];
            for (int i = 0; i < THREADS; i++) {
                variants[i] = base.deepCopy();
                variants[i].put("occurredAt", String.format("2025-03-%02dT10:00:00Z", i + 1));
            }

            List<HttpResponse<String>> answers = SameInstant.run(THREADS, i -> submit(port, "caf-51", variants[i]));

            List<Integer> accepted = new java.util.ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                HttpResponse<String> answer = answers.get(i);
                if (answer.statusCode() == 202) {
                    accepted.add(i);
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
                    assertThat(json(answer).path("type").asString())
                            .isEqualTo("https://spie-gateway.fr/problems/exchange-id-conflict");
                }
            }
            assertThat(accepted).as("the winners").hasSize(1);
            ObjectNode winner = variants[accepted.get(0)];
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
            assertThat(jdbc.queryForObject("SELECT content_digest FROM exchange WHERE exchange_id = ?", String.class,
                    UUID.fromString(id))).isEqualTo(CanonicalJson.digest(winner));
            assertThat(JSON.readTree(jdbc.queryForObject("SELECT envelope FROM exchange_payload WHERE exchange_id = ?",
                    String.class, UUID.fromString(id)))).isEqualTo(winner);
            assertThat(JSON.readTree(deliveredTo(CD_51, id, "cd-51").get(0).getBodyAsString())).isEqualTo(winner);
            for (var recipient : List.of(new Object[] {CD_51, "cd-51"}, new Object[] {ML_REIMS, "ml-reims"})) {
                List<LoggedRequest> sent = deliveredTo((WireMockServer) recipient[0], id, (String) recipient[1]);
                assertThat(sent).hasSize(1);
                // the winner's content (ml-reims is not given the NIR: partners.yaml, subjectFields)
                assertThat(JSON.readTree(sent.get(0).getBodyAsString()).path("occurredAt"))
                        .isEqualTo(winner.path("occurredAt"));
            }
            assertThat(count("SELECT COUNT(*) FROM audit_event WHERE exchange_id = ? AND event_type = 'RECEIVED'",
                    id)).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM audit_event WHERE exchange_id = ? AND event_type = 'REJECTED'",
                    id)).isEqualTo(THREADS - 1);
        }
    }

    private long count(String sql, String exchangeId) {
        return jdbc.queryForObject(sql, Long.class, UUID.fromString(exchangeId));
    }

    /** The recipient's requests for this exchange, each with the exchange's Idempotency-Key for that recipient. */
    private static List<LoggedRequest> deliveredTo(WireMockServer recipient, String id, String recipientId) {
        String key = UUID.nameUUIDFromBytes((id + "/" + recipientId).getBytes(StandardCharsets.UTF_8)).toString();
        List<LoggedRequest> all = recipient.findAll(postRequestedFor(anyUrl())
                .withHeader("X-Spie-Exchange-Id", equalTo(id)));
        assertThat(all).allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo(key));
        return all;
    }
}
