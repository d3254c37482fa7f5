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
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import fr.spie.gateway.delivery.OutboxDispatcher;
import fr.spie.gateway.observability.PrometheusScrape;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.StoredExchange;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Durable delivery: retries with backoff, dead letters per recipient, no recipient holds the others up, a recipient
 * that is down keeps its backlog and drains it at its rate.
 */
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
        // what the recipient answered, then what was released to it
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_event WHERE exchange_id = ? AND recipient = ? "
                + "AND event_type = 'DELIVERED'", String.class, UUID.fromString(id), "ml-reims"))
                .startsWith("acknowledged at attempt 3; HTTP 200; ");
    }

    /**
     * ml-reims (test config: maxAttempts 5, backoff up to 400 ms, pause after 3 failures, probe every 400 ms, at most
     * 20 deliveries a second) is down far longer than its attempts would last: its backlog waits in its queue, not a
     * single dead letter, while cd-51 gets every record; when it is back, the backlog drains at 20 a second at most,
     * each person's records in the order they were submitted.
     */
    @Test
    void aRecipientThatIsDownKeepsItsBacklogWhileTheOthersAreServedThenDrainsItAtItsRateInOrder() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        int persons = 3;
        int perPerson = 8;
        Map<String, List<String>> submitted = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < perPerson; i++) {
            for (int p = 0; p < persons; p++) {
                ObjectNode envelope = example("person.applicant-with-nir");
                ((ObjectNode) envelope.path("subject")).put("nir", "282025110804" + p);
                String id = envelope.path("exchangeId").asString();
                ids.add(id);
                submitted.computeIfAbsent("person-" + p, k -> new ArrayList<>()).add(id);
                assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
            }
        }
        for (String id : ids) {
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(delivery(s, "cd-51").path("status").asString()),
                    WAIT);
        }
        // down for well over what 5 attempts with backoff up to 400 ms would last (about 1 s): probes go on
        await().atMost(WAIT).until(() -> ML_REIMS.countRequestsMatching(postRequestedFor(anyUrl()).build())
                .getCount() > 12);
        List<Map<String, Object>> waiting = jdbc.queryForList("SELECT exchange_id, status, attempts FROM delivery "
                + "WHERE recipient = 'ml-reims' AND exchange_id IN (" + String.join(",",
                java.util.Collections.nCopies(ids.size(), "?")) + ")", ids.stream().map(UUID::fromString).toArray());
        assertThat(waiting).hasSize(ids.size()).allSatisfy(d -> assertThat(d.get("STATUS")).isIn("PENDING", "FAILED"));
        // the backlog is untouched: only the records in hand when the recipient was found down used attempts
        assertThat(waiting.stream().filter(d -> ((Number) d.get("ATTEMPTS")).intValue() == 0).count())
                .isGreaterThanOrEqualTo(ids.size() - 4L);
        // the operator sees it: the recipient is down, its backlog ages; the others are not
        PrometheusScrape down = scrape();
        assertThat(down.sum("spie_recipient_down", "recipient=ml-reims")).isEqualTo(1);
        assertThat(down.sum("spie_recipient_down", "recipient=cd-51")).isZero();
        assertThat(down.sum("spie_delivery_oldest_pending_age_seconds", "recipient=ml-reims")).isPositive();

        long recovered = System.currentTimeMillis();
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        for (String id : ids) {
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status")
                    .asString()), WAIT);
        }

        assertThat(scrape().sum("spie_recipient_down", "recipient=ml-reims")).isZero();

        List<ServeEvent> delivered = ML_REIMS.getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() == 200)
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .toList();
        assertThat(delivered).hasSize(ids.size());
        assertThat(delivered.get(0).getRequest().getLoggedDate().getTime()).isGreaterThanOrEqualTo(recovered);
        // never faster than 20 a second: any 10 consecutive intervals of the backlog last at least 10 x 50 ms (20 %
        // tolerance for the time between the throttle and the recipient). The few records in hand when the recipient
        // was found down (attempts > 0, at most one per consumer) are retried where they failed, after the throttle:
        // they may come at any moment of the drain, so they are left out of the rate check
        Set<String> inHand = waiting.stream().filter(d -> ((Number) d.get("ATTEMPTS")).intValue() > 0)
                .map(d -> d.get("EXCHANGE_ID").toString()).collect(java.util.stream.Collectors.toSet());
        List<ServeEvent> backlog = delivered.stream()
                .filter(e -> !inHand.contains(e.getRequest().getHeader("X-Spie-Exchange-Id"))).toList();
        assertThat(backlog).hasSizeGreaterThanOrEqualTo(ids.size() - 4);
        for (int i = 0; i + 10 < backlog.size(); i++) {
            long span = backlog.get(i + 10).getRequest().getLoggedDate().getTime()
                    - backlog.get(i).getRequest().getLoggedDate().getTime();
            assertThat(span).as("10 deliveries from #%d", i).isGreaterThanOrEqualTo(400);
        }
        List<String> order = delivered.stream().map(e -> e.getRequest().getHeader("X-Spie-Exchange-Id")).toList();
        for (List<String> person : submitted.values()) {
            assertThat(order.stream().filter(person::contains).toList()).containsExactlyElementsOf(person);
        }
        for (String id : ids) {
            assertThat(auditTypes(id, "ml-reims")).doesNotContain("DEAD_LETTERED").endsWith("DELIVERED");
        }
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

    /**
     * One person's records to one recipient: the first is retried (503, 503, then accepted), the second refused for
     * good (422), the third accepted. The second waits for the first's retries, and the refusal (a dead letter at
     * once) does not hold up the third.
     */
    @Test
    void aPersonsRecordsKeepTheirOrderThroughRetriesAndARefusalDoesNotHoldUpTheNextOnes() {
        List<String> ids = new ArrayList<>();
        List<ObjectNode> envelopes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode envelope = example("person.applicant-with-nir");
            ((ObjectNode) envelope.path("subject")).put("nir", "2820251108077");
            envelopes.add(envelope);
            ids.add(envelope.path("exchangeId").asString());
        }
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        ML_REIMS.stubFor(any(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(ids.get(0))).inScenario("first")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503)).willSetStateTo("again"));
        ML_REIMS.stubFor(any(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(ids.get(0))).inScenario("first")
                .whenScenarioStateIs("again").willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        ML_REIMS.stubFor(any(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(ids.get(0))).inScenario("first")
                .whenScenarioStateIs("up").willReturn(aResponse().withStatus(200)));
        ML_REIMS.stubFor(any(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(ids.get(1)))
                .willReturn(aResponse().withStatus(422)));
        for (ObjectNode envelope : envelopes) {
            assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        }

        for (String id : List.of(ids.get(0), ids.get(2))) {
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status")
                    .asString()), WAIT);
        }
        JsonNode refused = awaitStatus(port, "caf-51", ids.get(1),
                s -> "DEAD_LETTERED".equals(delivery(s, "ml-reims").path("status").asString()), WAIT);
        assertThat(delivery(refused, "ml-reims").path("attempts").asInt()).isEqualTo(1);
        // WireMock lists the requests it served newest first
        List<String> order = new ArrayList<>(ML_REIMS.getAllServeEvents().stream()
                .map(e -> e.getRequest().getHeader("X-Spie-Exchange-Id") + " " + e.getResponse().getStatus())
                .toList());
        java.util.Collections.reverse(order);
        assertThat(order).containsExactly(ids.get(0) + " 503", ids.get(0) + " 503", ids.get(0) + " 200",
                ids.get(1) + " 422", ids.get(2) + " 200");
    }

    /**
     * ml-reims's backoff is at most 400 ms; its 503 asks for 2 seconds (Retry-After): the next attempt waits for them.
     */
    @Test
    void aRetryWaitsForTheRetryAfterTheRecipientAskedForBeyondTheConfiguredBackoff() {
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "2")).willSetStateTo("up"));
        ML_REIMS.stubFor(any(anyUrl()).inScenario("busy").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));

        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);

        awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status").asString()),
                WAIT);
        List<ServeEvent> attempts = new ArrayList<>(ML_REIMS.getAllServeEvents());
        assertThat(attempts).hasSize(2);
        long waited = attempts.get(0).getRequest().getLoggedDate().getTime()
                - attempts.get(1).getRequest().getLoggedDate().getTime();
        assertThat(waited).isGreaterThanOrEqualTo(1900);
    }

    /**
     * One record that ml-reims answers 503 to, whatever the time (its other records go through), alone at first:
     * its failures make ml-reims count as down (3 in a row) and it is then the probe, every 400 ms. Another record
     * that comes meanwhile is the next probe: it goes through, which resumes delivery, and the first record uses
     * its remaining attempts and is dead-lettered. (Each probe used to go to the record that failed the previous
     * one: it woke up just after the next probe was due, ahead of the records waiting for it, so one bad record
     * held its recipient for as long as the timing held.)
     */
    @Test
    void aRecordThatKeepsFailingDoesNotKeepTheProbeForItselfWhileOtherRecordsWait() {
        ObjectNode bad = example("person.applicant-with-nir");
        ((ObjectNode) bad.path("subject")).put("nir", "2820251108091");
        String badId = bad.path("exchangeId").asString();
        ObjectNode good = example("person.applicant-with-nir");
        ((ObjectNode) good.path("subject")).put("nir", "2820251108092");
        String goodId = good.path("exchangeId").asString();
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        ML_REIMS.stubFor(any(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(badId))
                .willReturn(aResponse().withStatus(503)));

        assertThat(submit(port, "caf-51", bad).statusCode()).isEqualTo(202);
        // 3 failed attempts, then probes
        await().atMost(WAIT).until(() -> ML_REIMS.countRequestsMatching(postRequestedFor(anyUrl())
                .withHeader("X-Spie-Exchange-Id", equalTo(badId)).build()).getCount() >= 5);
        assertThat(submit(port, "caf-51", good).statusCode()).isEqualTo(202);

        awaitStatus(port, "caf-51", goodId, s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status")
                .asString()), Duration.ofSeconds(4));
        JsonNode badStatus = awaitStatus(port, "caf-51", badId,
                s -> "DEAD_LETTERED".equals(delivery(s, "ml-reims").path("status").asString()), WAIT);
        assertThat(delivery(badStatus, "ml-reims").path("attempts").asInt()).isEqualTo(5);
    }

    /**
     * Every consumer of ml-reims (4) holds a record the recipient keeps refusing with a temporary error; their
     * failures make it count as down, and the probes went round those 4 records only, none counted: they waited for
     * ever, and the good records behind them in the queue too. A probe that has gone round the records in hand now
     * goes to the oldest record waiting in the queue (the first of its person): it goes through, delivery resumes,
     * and the bad records use their remaining attempts and are dead-lettered.
     */
    /** The records a probe may take from the queue: only the first not settled of each person, in order. */
    @Test
    void aProbeFromTheQueueTakesOnlyThePersonsFirstRecordWaiting() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        List<String> ids = new ArrayList<>();
        for (String nir : List.of("2820251108301", "2820251108301", "2820251108302")) {
            ObjectNode envelope = example("person.applicant-with-nir");
            ((ObjectNode) envelope.path("subject")).put("nir", nir);
            ids.add(envelope.path("exchangeId").asString());
            assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        }
        try {
            await().atMost(WAIT).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE recipient = "
                    + "'ml-reims' AND status IN ('PENDING', 'FAILED') AND exchange_id IN (?, ?, ?)", Integer.class,
                    UUID.fromString(ids.get(0)), UUID.fromString(ids.get(1)), UUID.fromString(ids.get(2))) == 3);

            List<String> waiting = store.waitingFirstOfTheirPerson("ml-reims", 64).stream().map(UUID::toString)
                    .toList();

            assertThat(waiting).contains(ids.get(0), ids.get(2)).doesNotContain(ids.get(1));
        } finally {
            ML_REIMS.resetAll();
            ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
            for (String id : ids) {
                awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status")
                        .asString()), Duration.ofSeconds(90));
            }
        }
    }

    @Test
    void whenEveryConsumerHoldsARecordTheRecipientKeepsRefusingTheGoodRecordsBehindStillFlow() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ObjectNode envelope = example("person.applicant-with-nir");
            ((ObjectNode) envelope.path("subject")).put("nir", "282025110810" + i);
            bad.add(envelope.path("exchangeId").asString());
            ML_REIMS.stubFor(any(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(bad.get(i)))
                    .willReturn(aResponse().withStatus(503)));
            assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        }
        // each consumer holds one of them, and ml-reims counts as down (3 failures in a row)
        await().atMost(WAIT).until(() -> bad.stream().allMatch(id -> ML_REIMS.countRequestsMatching(
                postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(id)).build()).getCount() >= 2));
        List<String> good = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ObjectNode envelope = example("person.applicant-with-nir");
            ((ObjectNode) envelope.path("subject")).put("nir", "282025110820" + i);
            good.add(envelope.path("exchangeId").asString());
            assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        }

        for (String id : good) {
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status")
                    .asString()), Duration.ofSeconds(10));
        }
        for (String id : bad) {
            JsonNode status = awaitStatus(port, "caf-51", id,
                    s -> "DEAD_LETTERED".equals(delivery(s, "ml-reims").path("status").asString()), WAIT);
            assertThat(delivery(status, "ml-reims").path("attempts").asInt()).isEqualTo(5);
        }
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

    private PrometheusScrape scrape() {
        HttpResponse<String> r = get(port, "/actuator/prometheus", token("admin"));
        assertThat(r.statusCode()).isEqualTo(200);
        return new PrometheusScrape(r.body());
    }
}
