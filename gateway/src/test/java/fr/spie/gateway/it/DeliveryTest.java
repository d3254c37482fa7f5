package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import fr.spie.gateway.delivery.OutboxDispatcher;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.StoredExchange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Durable delivery: retries with backoff, dead letters per recipient, no recipient holds the others up. */
class DeliveryTest extends RunningGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ExchangeStore store;
    @Autowired
    OutboxDispatcher outbox;

    @Test
    void aRecipientThatFailsThenRecoversGetsTheRecordAfterRetries() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        ML_REIMS.stubFor(any(anyUrl()).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("up"));
        ML_REIMS.stubFor(any(anyUrl()).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        ObjectNode envelope = example("rsa-situation.open-payable-applicant");
        String id = envelope.path("exchangeId").asString();

        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);

        JsonNode status = awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        assertThat(delivery(status, "ml-reims").path("attempts").asInt()).isEqualTo(3);
        assertThat(delivery(status, "cd-51").path("attempts").asInt()).isEqualTo(1);
        ML_REIMS.verify(3, postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(id)));
        List<String> idempotencyKeys = ML_REIMS.findAll(postRequestedFor(anyUrl())).stream()
                .map(r -> r.getHeader("Idempotency-Key")).distinct().toList();
        assertThat(idempotencyKeys).hasSize(1);
        assertThat(auditTypes(id, "ml-reims")).containsExactly("ROUTED", "DELIVERY_ATTEMPTED", "DELIVERY_FAILED",
                "DELIVERY_ATTEMPTED", "DELIVERY_FAILED", "DELIVERY_ATTEMPTED", "DELIVERED");
    }

    @Test
    void aRecipientThatIsDownIsDeadLetteredWhileTheOthersAreServed() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode envelope = example("person.applicant-with-nir");
            ids.add(envelope.path("exchangeId").asString());
            assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        }

        for (String id : ids) {
            JsonNode status = awaitStatus(port, "caf-51", id,
                    s -> "DEAD_LETTERED".equals(s.path("status").asString()), WAIT);
            assertThat(delivery(status, "cd-51").path("status").asString()).isEqualTo("DELIVERED");
            JsonNode dead = delivery(status, "ml-reims");
            assertThat(dead.path("attempts").asInt()).isEqualTo(5);
            assertThat(dead.path("lastError").asString()).isEqualTo("HTTP 503");
            assertThat(auditTypes(id, "ml-reims")).endsWith("DELIVERY_FAILED", "DEAD_LETTERED");
        }
        // the database is the dead-letter store: the admins' list shows them
        JsonNode deadLetters = json(get(port, "/api/v1/admin/dead-letters?recipient=ml-reims&limit=500",
                token("admin")));
        List<String> deadLettered = new ArrayList<>();
        deadLetters.path("items").forEach(d -> deadLettered.add(d.path("exchangeId").asString()));
        assertThat(deadLettered).containsAll(ids);
    }

    @Test
    void aRecordTheRecipientRefusesForGoodIsDeadLetteredWithoutRetries() {
        FT_51.resetAll();
        FT_51.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(422)));
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();

        assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);

        JsonNode status = awaitStatus(port, "cd-51", id, s -> "DEAD_LETTERED".equals(s.path("status").asString()),
                WAIT);
        assertThat(delivery(status, "ft-51").path("attempts").asInt()).isEqualTo(1);
        assertThat(delivery(status, "ft-51").path("lastError").asString()).isEqualTo("HTTP 422");
    }

    @Test
    void acceptedDeliveriesThatNeverReachedTheirQueueAreQueuedByTheOutbox() {
        UUID id = UUID.randomUUID();
        StoredExchange exchange = new StoredExchange(id, "cd-51", "orientation", "1.0", "rsa-orientation",
                "public-task", "c".repeat(64), "d".repeat(64), "e".repeat(64), "f".repeat(64), Instant.now());
        ObjectNode envelope = example("orientation.ped-france-travail").put("exchangeId", id.toString());
        // as if the gateway had stopped between its database commit and the queue
        store.insert(exchange, envelope.toString());
        store.insertDeliveries(id, List.of(new ExchangeStore.NewDelivery("ft-51", "orientation-cd-to-ft",
                DeliveryStatus.PENDING, null)), Instant.now().minusSeconds(60));

        outbox.dispatchPending();

        awaitStatus(port, "cd-51", id.toString(), s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        assertThat(FT_51.findAll(postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id",
                equalTo(id.toString())))).isNotEmpty();
        assertThat(outbox.dispatchPending()).isZero();
    }

    private List<String> auditTypes(String exchangeId, String recipient) {
        return jdbc.queryForList("SELECT event_type FROM audit_event WHERE exchange_id = ? AND recipient = ? "
                + "ORDER BY seq", String.class, UUID.fromString(exchangeId), recipient);
    }
}
