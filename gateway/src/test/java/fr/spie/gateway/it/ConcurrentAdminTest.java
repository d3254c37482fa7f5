package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

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
 * Administrators' operations racing each other (two operators, a command run twice): a dead letter is replayed or
 * discarded once, pending deliveries queued again twice are delivered once, a file is quarantined once.
 */
class ConcurrentAdminTest extends RunningGatewayTest {
    private static final int THREADS = 8;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theSameDeadLetterReplayedConcurrentlyIsReplayedOnceAndDeliveredOnce() {
        for (int round = 0; round < 2; round++) {
            String id = deadLetterToFt51();

            List<HttpResponse<String>> answers = SameInstant.run(THREADS, i -> admin("/api/v1/admin/dead-letters/replay",
                    "{\"recipient\":\"ft-51\",\"exchangeIds\":[\"" + id + "\"]}"));

            assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
            assertThat(outcomes(answers)).containsOnly("REPLAYED", "SKIPPED").containsOnlyOnce("REPLAYED");
            awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()),
                    WAIT);
            assertThat(events(id, "DEAD_LETTER_REPLAYED")).isEqualTo(1);
            assertThat(events(id, "DELIVERED")).isEqualTo(1);
            assertThat(requestsTo(id)).as("the refused attempt and the replay").isEqualTo(2);
        }
    }

    @Test
    void aDeadLetterDiscardedAndReplayedAtOnceIsEitherDiscardedOrReplayed() throws Exception {
        for (int round = 0; round < 3; round++) {
            String id = deadLetterToFt51();
            String selection = "{\"recipient\":\"ft-51\",\"exchangeIds\":[\"" + id + "\"]";

            List<HttpResponse<String>> answers = SameInstant.run(THREADS, i -> i % 2 == 0
                    ? admin("/api/v1/admin/dead-letters/replay", selection + "}")
                    : admin("/api/v1/admin/dead-letters/discard", selection + ",\"reason\":\"race " + i + "\"}"));

            assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
            List<String> outcomes = outcomes(answers);
            assertThat(outcomes.stream().filter(o -> !o.equals("SKIPPED"))).as(outcomes.toString()).hasSize(1);
            if (outcomes.contains("REPLAYED")) {
                awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status")
                        .asString()), WAIT);
                assertThat(events(id, "DEAD_LETTER_DISCARDED")).isZero();
                assertThat(requestsTo(id)).isEqualTo(2);
            } else {
                Thread.sleep(500);
                assertThat(delivery(GatewayTestSupport.status(port, "admin", id), "ft-51").path("status").asString())
                        .isEqualTo("DISCARDED");
                assertThat(events(id, "DEAD_LETTER_DISCARDED")).isEqualTo(1);
                assertThat(events(id, "DEAD_LETTER_REPLAYED")).isZero();
                assertThat(requestsTo(id)).isEqualTo(1);
            }
        }
    }

    @Test
    void aDeadLetterWhoseReplayThePolicyRefusesIsClosedOnceWhenReplayedAndDiscardedAtOnce() {
        for (int round = 0; round < 3; round++) {
            // a diagnostic to ml-reims under a consent, refused for good by ml-reims; then the consent is withdrawn:
            // a replay is refused by the policy (the dead letter becomes BLOCKED), a discard makes it DISCARDED
            ObjectNode subject = ConsentFlowTest.person();
            UUID consentId = UUID.randomUUID();
            tools.jackson.databind.node.ObjectNode consent = GatewayTestSupport.JSON.createObjectNode();
            consent.set("subject", subject);
            consent.set("consent", ConsentFlowTest.receipt(consentId, "ml-reims"));
            assertThat(post(port, "/api/v1/consents", token("cd-51"), "application/json",
                    GatewayTestSupport.JSON.writeValueAsBytes(consent)).statusCode()).isEqualTo(201);
            ML_REIMS.resetMappings();
            ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(400)));
            ObjectNode diagnostic = ConsentFlowTest.diagnostic(subject);
            String id = diagnostic.path("exchangeId").asString();
            assertThat(submit(port, "cd-51", diagnostic).statusCode()).isEqualTo(202);
            awaitStatus(port, "cd-51", id, s -> "DEAD_LETTERED".equals(delivery(s, "ml-reims").path("status")
                    .asString()), WAIT);
            assertThat(post(port, "/api/v1/consents/" + consentId + "/withdraw", token("cd-51"), "application/json",
                    "{\"reason\": \"the person asked\"}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
            String selection = "{\"recipient\":\"ml-reims\",\"exchangeIds\":[\"" + id + "\"]";

            List<HttpResponse<String>> answers = SameInstant.run(THREADS, i -> i % 2 == 0
                    ? admin("/api/v1/admin/dead-letters/replay", selection + "}")
                    : admin("/api/v1/admin/dead-letters/discard", selection + ",\"reason\":\"race " + i + "\"}"));

            assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
            List<String> outcomes = outcomes(answers);
            assertThat(outcomes.stream().filter(o -> !o.equals("SKIPPED"))).as(outcomes.toString()).hasSize(1);
            String status = delivery(GatewayTestSupport.status(port, "admin", id), "ml-reims").path("status")
                    .asString();
            long refused = events(id, "DEAD_LETTER_REPLAY_REFUSED");
            long discarded = events(id, "DEAD_LETTER_DISCARDED");
            if (outcomes.contains("REFUSED")) {
                assertThat(status).isEqualTo("BLOCKED");
                assertThat(refused).isEqualTo(1);
                assertThat(discarded).isZero();
            } else {
                assertThat(outcomes).contains("DISCARDED");
                assertThat(status).isEqualTo("DISCARDED");
                assertThat(discarded).isEqualTo(1);
                assertThat(refused).isZero();
            }
        }
    }

    @Test
    void pendingDeliveriesQueuedAgainByTwoAdministratorsAtOnceAreDeliveredOnce() {
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()), WAIT);
        // as after a restore of the database alone (DeliveryRequeueTest): pending and queued, its task gone
        jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0 WHERE exchange_id = ? AND recipient = 'ft-51'",
                UUID.fromString(id));

        List<HttpResponse<String>> answers = SameInstant.run(THREADS, i -> admin("/api/v1/admin/deliveries/requeue",
                "{\"recipient\":\"ft-51\",\"reason\":\"restore, operator " + i + "\"}"));

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()), WAIT);
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(requestsTo(id)).as("the first delivery and the one after the restore").isEqualTo(2);
        assertThat(events(id, "DELIVERED")).isEqualTo(2);
    }

    @Test
    void aFileNoInstanceReadsQuarantinedByTwoAdministratorsAtOnceIsQuarantinedOnce() {
        // a file whose bytes are in the store of an instance that is gone: unfinished, no lease
        UUID fileId = UUID.randomUUID();
        String digest = fr.spie.gateway.privacy.Digests.sha256Hex(fileId.toString().getBytes(StandardCharsets.UTF_8));
        jdbc.update("INSERT INTO received_file (file_id, partner, original_name, digest, size_bytes, format, channel, "
                + "status, received_at, store_id, stored_by) VALUES (?, 'caf-51', 'RSABEM_gone.xml', ?, 10, "
                + "'cnaf-vrsb0801', 'UPLOAD', 'RECEIVED', CURRENT_TIMESTAMP, 'store-of-a-deleted-pod', 'gw-gone')",
                fileId, digest);
        jdbc.update("INSERT INTO received_file_digest (partner, digest, file_id) VALUES ('caf-51', ?, ?)", digest,
                fileId);

        List<HttpResponse<String>> answers = SameInstant.run(THREADS, i -> admin("/api/v1/admin/files/" + fileId
                + "/quarantine", "{\"reason\":\"pod deleted, OPS-" + i + "\"}"));

        assertThat(answers.stream().filter(a -> a.statusCode() == 200)).as("quarantined").hasSize(1);
        assertThat(answers).allSatisfy(a -> {
            if (a.statusCode() != 200) {
                assertThat(a.statusCode()).as(a.body()).isEqualTo(409);
                assertThat(json(a).path("type").asString()).isEqualTo("https://spie-gateway.fr/problems/file-finished");
            }
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'FILE_QUARANTINED' "
                + "AND detail LIKE ?", Long.class, "file " + fileId + " quarantined by an administrator%")).isEqualTo(1);
    }

    @Test
    void aFileQuarantinedWhileItIsReadIsRefusedAndReadToItsEndOnce() throws Exception {
        String household = String.format("5%04d", java.util.concurrent.ThreadLocalRandom.current().nextInt(10000));
        byte[] file;
        try (var in = getClass().getResourceAsStream("/files/cnaf-monthly.xml")) {
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("77777", household)
                    .getBytes(StandardCharsets.UTF_8);
        }
        HttpResponse<String> uploaded = post(port, "/api/v1/partners/caf-51/files?name=RSABEM_q.xml", token("caf-51"),
                "application/xml", file);
        assertThat(uploaded.statusCode()).isEqualTo(202);
        String fileId = json(uploaded).path("fileId").asString();

        List<HttpResponse<String>> answers = SameInstant.run(THREADS, i -> admin("/api/v1/admin/files/" + fileId
                + "/quarantine", "{\"reason\":\"race " + i + "\"}"));

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.statusCode()).as(a.body()).isEqualTo(409);
            assertThat(json(a).path("type").asString()).isIn("https://spie-gateway.fr/problems/file-being-read",
                    "https://spie-gateway.fr/problems/file-finished");
        });
        var done = org.awaitility.Awaitility.await().atMost(WAIT).until(() -> json(GatewayTestSupport.get(port,
                "/api/v1/files/" + fileId, token("caf-51"))), f -> !f.path("status").asString().equals("RECEIVED")
                && !f.path("status").asString().equals("PROCESSING"));
        assertThat(done.path("status").asString()).isEqualTo("DONE");
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(6);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> CD_51.findAll(postRequestedFor(anyUrl())
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(household))).size() >= 6);
        Thread.sleep(300);
        assertThat(CD_51.findAll(postRequestedFor(anyUrl())
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(household)))).hasSize(6);
    }

    /** An orientation to ft-51 that ft-51 refused for good (400): a dead letter at once. Its exchange id. */
    private String deadLetterToFt51() {
        FT_51.resetMappings();
        FT_51.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(400)));
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "cd-51", id, s -> "DEAD_LETTERED".equals(delivery(s, "ft-51").path("status").asString()),
                WAIT);
        FT_51.resetMappings(); // the requests received are kept
        FT_51.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        return id;
    }

    /** What ft-51 received of this exchange. */
    private long requestsTo(String id) {
        return FT_51.findAll(postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(id))).size();
    }

    private long events(String id, String type) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE exchange_id = ? AND event_type = ?",
                Long.class, UUID.fromString(id), type);
    }

    private static List<String> outcomes(List<HttpResponse<String>> answers) {
        return answers.stream().flatMap(a -> {
            List<String> o = new java.util.ArrayList<>();
            json(a).path("results").forEach(r -> o.add(r.path("outcome").asString()));
            return o.stream();
        }).toList();
    }

    private HttpResponse<String> admin(String path, String body) {
        return post(port, path, token("admin"), "application/json", body.getBytes(StandardCharsets.UTF_8));
    }
}
