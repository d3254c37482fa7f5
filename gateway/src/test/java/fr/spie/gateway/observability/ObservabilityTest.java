package fr.spie.gateway.observability;

import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.it.RunningGatewayTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 7, point 6: health components and probe groups, Prometheus meters after a small flow (counted exchanges by
 * event, partner and record type; delivery latency histograms; queue depths; ledger and file meters), correlation ids.
 */
class ObservabilityTest extends RunningGatewayTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PrometheusScrape scrape() {
        HttpResponse<String> r = get(port, "/actuator/prometheus", token("admin"));
        assertThat(r.statusCode()).isEqualTo(200);
        return new PrometheusScrape(r.body());
    }

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aSmallFlowIsCountedTimedAndScraped() {
        // deliveries to ft-51 left in flight by earlier tests (shared context) would be counted in this window
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("SELECT count(*) FROM delivery "
                + "WHERE recipient = 'ft-51' AND status IN ('PENDING', 'FAILED')", Long.class) == 0);
        PrometheusScrape before = scrape();
        String[] received = {"spie_exchanges_total", "event=received", "partner=cd-51", "record_type=orientation"};
        String[] delivered = {"spie_exchanges_total", "event=delivered", "partner=cd-51", "recipient=ft-51",
                "record_type=orientation"};
        String[] routed = {"spie_exchanges_total", "event=routed", "partner=cd-51", "recipient=ft-51",
                "record_type=orientation"};

        String id = null;
        for (int i = 0; i < 3; i++) {
            ObjectNode envelope = example("orientation.ped-france-travail");
            id = envelope.path("exchangeId").asString();
            assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
            awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(s.path("status").asString()),
                    Duration.ofSeconds(20));
        }
        ObjectNode bad = example("orientation.ped-france-travail");
        ((ObjectNode) bad.path("subject")).put("birthDate", "not a date");
        assertThat(submit(port, "cd-51", bad).statusCode()).isEqualTo(400);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusScrape after = scrape();
            assertThat(after.sum(received[0], tail(received)) - before.sum(received[0], tail(received)))
                    .isEqualTo(3);
            assertThat(after.sum(routed[0], tail(routed)) - before.sum(routed[0], tail(routed))).isEqualTo(3);
            assertThat(after.sum(delivered[0], tail(delivered)) - before.sum(delivered[0], tail(delivered)))
                    .isEqualTo(3);
            String[] rejected = {"event=rejected", "partner=cd-51"};
            assertThat(after.sum("spie_exchanges_total", rejected) - before.sum("spie_exchanges_total", rejected))
                    .isEqualTo(1);
            // latency histograms: reception to delivery, and each attempt
            assertThat(after.sum("spie_delivery_latency_seconds_count", "recipient=ft-51")
                    - before.sum("spie_delivery_latency_seconds_count", "recipient=ft-51")).isEqualTo(3);
            assertThat(after.has("spie_delivery_latency_seconds_bucket", "recipient=ft-51", "le=+Inf")).isTrue();
            assertThat(after.sum("spie_delivery_attempt_seconds_count", "recipient=ft-51", "outcome=delivered")
                    - before.sum("spie_delivery_attempt_seconds_count", "recipient=ft-51", "outcome=delivered"))
                    .isEqualTo(3);
            // queues are drained; gauges exist for every recipient's queue and dead-letter queue
            for (String recipient : new String[] {"cd-51", "ft-51", "ml-reims"}) {
                assertThat(after.has("spie_queue_depth", "recipient=" + recipient, "queue=delivery")).isTrue();
                assertThat(after.has("spie_queue_depth", "recipient=" + recipient, "queue=dead_letter")).isTrue();
            }
            assertThat(after.sum("spie_queue_depth", "recipient=ft-51", "queue=delivery")).isZero();
            assertThat(after.sum("spie_ledger_size")).isGreaterThanOrEqualTo(before.sum("spie_ledger_size") + 12);
            assertThat(after.has("spie_ledger_lag")).isTrue();
            assertThat(after.has("spie_ledger_head_age_seconds")).isTrue();
            assertThat(after.has("spie_ledger_oldest_pending_age_seconds")).isTrue();
            assertThat(after.has("spie_files", "status=done")).isTrue();
            assertThat(after.has("spie_files_records_total")).isTrue();
        });
    }

    @Test
    void failedAttemptsAndDeadLettersAreCountedAndTheDeadLetterQueueIsMeasured() {
        FT_51.resetAll();
        FT_51.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(422)));
        PrometheusScrape before = scrape();
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "cd-51", id, s -> "DEAD_LETTERED".equals(
                fr.spie.gateway.it.GatewayTestSupport.delivery(s, "ft-51").path("status").asString()),
                Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusScrape after = scrape();
            String[] dead = {"event=dead_lettered", "recipient=ft-51", "record_type=orientation"};
            assertThat(after.sum("spie_exchanges_total", dead) - before.sum("spie_exchanges_total", dead))
                    .isEqualTo(1);
            assertThat(after.sum("spie_delivery_attempt_seconds_count", "recipient=ft-51", "outcome=failed")
                    - before.sum("spie_delivery_attempt_seconds_count", "recipient=ft-51", "outcome=failed"))
                    .isEqualTo(1);
            assertThat(after.sum("spie_queue_depth", "recipient=ft-51", "queue=dead_letter")
                    - before.sum("spie_queue_depth", "recipient=ft-51", "queue=dead_letter")).isEqualTo(1);
        });
    }

    @Test
    void theAgeOfTheOldestDeliveryWaitingForItsFirstAttemptIsMeasured() {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("SELECT count(*) FROM delivery "
                + "WHERE recipient = 'ft-51' AND status IN ('PENDING', 'FAILED')", Long.class) == 0);
        assertThat(scrape().sum("spie_delivery_oldest_pending_age_seconds", "recipient=ft-51")).isZero();
        // the recipient takes 3 s to answer: the record waits for its first attempt's outcome meanwhile
        FT_51.resetAll();
        FT_51.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withFixedDelay(3_000)));
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(
                scrape().sum("spie_delivery_oldest_pending_age_seconds", "recipient=ft-51")).isGreaterThan(1.0));
        for (String recipient : new String[] {"cd-51", "ft-51", "ml-reims"}) {
            assertThat(scrape().has("spie_delivery_oldest_pending_age_seconds", "recipient=" + recipient)).isTrue();
        }
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(s.path("status").asString()), Duration.ofSeconds(20));
        assertThat(scrape().sum("spie_delivery_oldest_pending_age_seconds", "recipient=ft-51")).isZero();
    }

    /** The embedded database's file, which grows under load and gives nothing back while running, is measured. */
    @Test
    void theEmbeddedDatabaseFileSizeIsMeasured() throws IOException {
        double scraped = scrape().sum("spie_database_file_size_bytes");
        long onDisk = java.nio.file.Files.size(DATA.resolve("db").resolve("spie.mv.db"));
        assertThat(scraped).isPositive();
        // the file may grow (or H2 cut its free end) between the scrape and the look
        assertThat(scraped).isBetween(onDisk / 2.0, onDisk * 2.0);
    }

    @Test
    void healthHasItsComponentsAndProbeGroups() {
        JsonNode anonymous = json(get(port, "/actuator/health", null));
        assertThat(anonymous.path("status").asString()).isEqualTo("UP");
        for (String component : new String[] {"broker", "db", "ledger", "tsa"}) {
            assertThat(anonymous.path("components").path(component).path("status").asString())
                    .as(component).isEqualTo("UP");
        }
        // details are for admins only
        assertThat(anonymous.path("components").path("ledger").has("details")).isFalse();
        JsonNode admin = json(get(port, "/actuator/health", token("admin")));
        JsonNode ledger = admin.path("components").path("ledger").path("details");
        assertThat(ledger.path("signerKeyId").asString()).isNotBlank();
        assertThat(ledger.has("latestHeadAgeMs")).isTrue();
        assertThat(admin.path("components").path("broker").path("details").path("broker").asString())
                .isEqualTo("embedded");
        assertThat(admin.path("components").path("tsa").path("details").path("status").asString())
                .isEqualTo("disabled");

        // every component docs/operations.md names, and no other
        java.util.Set<String> components = new java.util.TreeSet<>();
        admin.path("components").propertyNames().forEach(components::add);
        assertThat(components).containsExactlyInAnyOrder("broker", "db", "ledger", "tsa", "diskSpace", "camelHealth",
                "camelLivenessState", "camelReadinessState", "livenessState", "readinessState", "ping", "ssl");

        JsonNode readiness = json(get(port, "/actuator/health/readiness", null));
        assertThat(readiness.path("status").asString()).isEqualTo("UP");
        assertThat(readiness.path("components").has("tsa")).isFalse();
        assertThat(readiness.path("components").has("broker")).isTrue();
        assertThat(json(get(port, "/actuator/health/liveness", null)).path("status").asString()).isEqualTo("UP");
    }

    @Test
    void aWellFormedCorrelationIdIsKeptAndAnythingElseIsReplaced() throws IOException, InterruptedException {
        HttpResponse<String> kept = HTTP.send(request("order-42.batch_7"), HttpResponse.BodyHandlers.ofString());
        assertThat(kept.statusCode()).isEqualTo(202);
        assertThat(kept.headers().firstValue("X-Correlation-Id")).contains("order-42.batch_7");

        HttpResponse<String> replaced = HTTP.send(request("no spaces <allowed>"), HttpResponse.BodyHandlers.ofString());
        assertThat(replaced.statusCode()).isEqualTo(202);
        String generated = replaced.headers().firstValue("X-Correlation-Id").orElseThrow();
        assertThat(generated).matches("[0-9a-f-]{36}");

        // something that could be a NIR is never taken (nor logged)
        HttpResponse<String> nirLike = HTTP.send(request("2820251108030"), HttpResponse.BodyHandlers.ofString());
        assertThat(nirLike.headers().firstValue("X-Correlation-Id").orElseThrow()).isNotEqualTo("2820251108030");

        assertThat(get(port, "/actuator/health", null).headers().firstValue("X-Correlation-Id")).isPresent();
    }

    private HttpRequest request(String correlationId) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/exchanges"))
                .header("Authorization", "Bearer " + token("cd-51"))
                .header("Content-Type", "application/json")
                .header("X-Correlation-Id", correlationId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        JSON.writeValueAsBytes(example("orientation.ped-france-travail"))))
                .build();
    }

    private static String[] tail(String[] a) {
        return java.util.Arrays.copyOfRange(a, 1, a.length);
    }
}
