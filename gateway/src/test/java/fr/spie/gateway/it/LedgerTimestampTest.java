package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.audit.LedgerTsa;
import fr.spie.gateway.ledger.TreeHead;
import fr.spie.gateway.ledger.tsa.TestTsa;
import fr.spie.gateway.ledger.tsa.TimestampClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 3161 timestamping of tree heads with the gateway running (the RunningGatewayTest set-up with its own data
 * directory and a Bouncy Castle TSA on loopback): heads get timestamped, a TSA outage stops no exchange and shows in
 * the health detail and metrics, the backlog drains when the TSA returns, and exports carry verifiable tokens.
 */
@SpringBootTest(classes = SpieGatewayMain.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LedgerTimestampTest {
    static final WireMockServer CD_51 = GatewayTestSupport.startRecipient();
    static final WireMockServer FT_51 = GatewayTestSupport.startRecipient();
    static final WireMockServer ML_REIMS = GatewayTestSupport.startRecipient();
    static final Path DATA = GatewayTestSupport.tempDataDir();
    static final TestTsa TSA = new TestTsa();
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String AUDITOR = token("auditor");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spie.data-dir", DATA::toString);
        registry.add("spie.config-dir", () -> GatewayTestSupport.TEST_CONFIG);
        registry.add("spie.ledger.head-every", () -> "300ms");
        registry.add("spie.ledger.tsa.url", () -> TSA.url().toString());
        registry.add("spie.ledger.tsa.interval", () -> "200ms");
        registry.add("spie.ledger.tsa.min-backoff", () -> "200ms");
        registry.add("spie.ledger.tsa.max-backoff", () -> "500ms");
        registry.add("spie.ledger.tsa.trusted-certificate", () -> {
            try {
                return Files.writeString(DATA.resolve("tsa.pem"), TSA.certificatePem()).toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        registry.add("TEST_URL_CD_51", () -> CD_51.baseUrl() + "/spie/records");
        registry.add("TEST_URL_FT_51", () -> FT_51.baseUrl() + "/spie/records");
        registry.add("TEST_URL_ML_REIMS", () -> ML_REIMS.baseUrl() + "/spie/records");
    }

    @LocalServerPort
    int port;
    @Autowired
    LedgerTsa tsa;
    @Autowired
    @Qualifier("ledgerHealthIndicator")
    HealthIndicator ledgerHealth;
    @Autowired
    MeterRegistry meters;
    @TempDir
    Path work;

    @BeforeEach
    void recipientsUp() {
        TSA.failing = false;
        for (WireMockServer server : new WireMockServer[] {CD_51, FT_51, ML_REIMS}) {
            server.resetAll();
            server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        }
    }

    @AfterAll
    static void stopTsa() {
        TSA.close();
    }

    private List<String> exchanges(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode envelope = example("person.applicant-with-nir");
            ids.add(envelope.path("exchangeId").asString());
            assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        }
        for (String id : ids) {
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tsaHealth() {
        var health = ledgerHealth.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        return (Map<String, Object>) health.getDetails().get("tsa");
    }

    private double meter(String name) {
        var gauge = meters.find(name).gauge();
        return gauge != null ? gauge.value() : meters.find(name).functionCounter().count();
    }

    @Test
    void headsAreTimestampedAnOutageStopsNoExchangeAndTheBacklogDrains() throws Exception {
        exchanges(2);
        await().atMost(WAIT).until(() -> {
            HttpResponse<String> head = get(port, "/api/v1/audit/tree-head", AUDITOR);
            return head.statusCode() == 200 && json(head).has("timestampToken");
        });
        JsonNode head = json(get(port, "/api/v1/audit/tree-head", AUDITOR));
        assertThat(head.path("timestampAuthority").asString()).contains("SPIE Test TSA");
        assertThat(Instant.parse(head.path("timestampGenTime").asString()))
                .isAfterOrEqualTo(Instant.parse(head.path("timestamp").asString()).minusSeconds(1));
        assertThat(tsaHealth().get("status")).isEqualTo("up");

        // the TSA goes down: exchanges are still accepted and delivered, the backlog grows, health says so
        TSA.failing = true;
        double failuresBefore = meter("spie.ledger.tsa.failures");
        long sizeBefore = head.path("treeSize").asLong();
        exchanges(3);
        await().atMost(WAIT).until(() -> json(get(port, "/api/v1/audit/tree-head", AUDITOR))
                .path("treeSize").asLong() > sizeBefore && tsa.db().backlog() > 0);
        await().atMost(WAIT).until(() -> "down".equals(tsaHealth().get("status")));
        Map<String, Object> down = tsaHealth();
        assertThat((String) down.get("lastError")).contains("HTTP 500");
        assertThat((Long) down.get("untimestampedHeads")).isPositive();
        // reported as DEGRADED (HTTP 200) in the tsa component, never DOWN; readiness stays UP
        var overall = get(port, "/actuator/health", null);
        assertThat(overall.statusCode()).isEqualTo(200);
        assertThat(json(overall).path("status").asString()).isEqualTo("DEGRADED");
        assertThat(json(overall).path("components").path("tsa").path("status").asString()).isEqualTo("DEGRADED");
        assertThat(json(overall).path("components").path("ledger").path("status").asString()).isEqualTo("UP");
        assertThat(json(get(port, "/actuator/health/readiness", null)).path("status").asString()).isEqualTo("UP");
        assertThat(meter("spie.ledger.tsa.backlog")).isPositive();
        assertThat(meter("spie.ledger.tsa.failures")).isGreaterThan(failuresBefore);
        assertThat(json(get(port, "/api/v1/audit/tree-head", AUDITOR)).has("timestampToken")).isFalse();

        // it returns: every head is timestamped
        TSA.failing = false;
        await().atMost(WAIT).until(() -> tsa.db().backlog() == 0);
        await().atMost(WAIT).until(() -> "up".equals(tsaHealth().get("status")));
        assertThat(tsaHealth().get("untimestampedHeads")).isEqualTo(0L);
        assertThat(json(get(port, "/actuator/health", null)).path("status").asString()).isEqualTo("UP");
    }

    /**
     * Waits until the latest signed head carries a timestamp and no newer head follows it for a while (deliveries of
     * earlier exchanges may still add events and heads: an export taken then would prove against an untimestamped
     * head).
     */
    private void awaitQuietTimestampedHead() {
        long[] lastSize = {-1};
        await().atMost(WAIT).pollInterval(java.time.Duration.ofMillis(700)).until(() -> {
            HttpResponse<String> h = get(port, "/api/v1/audit/tree-head", AUDITOR);
            if (h.statusCode() != 200 || !json(h).has("timestampToken")) {
                lastSize[0] = -1;
                return false;
            }
            long size = json(h).path("treeSize").asLong();
            boolean stable = size == lastSize[0];
            lastSize[0] = size;
            return stable;
        });
    }

    static LedgerAuditTest.Run verifyWithTsa(Path export, Path key, Path tsaPem) {
        var cli = fr.spie.gateway.cli.SpieCli.commandLine();
        var out = new java.io.StringWriter();
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(out, true));
        int code = cli.execute("audit", "verify", export.toString(), "--public-key", key.toString(),
                "--tsa-certificate", tsaPem.toString());
        return new LedgerAuditTest.Run(code, out.toString());
    }

    @Test
    void exportsCarryTokensTheOfflineVerifierChecks() throws Exception {
        exchanges(1);
        awaitQuietTimestampedHead();
        Path key = Files.writeString(work.resolve("key.pem"), get(port, "/api/v1/gateway/ledger-key", null).body());
        HttpResponse<String> export = get(port, "/api/v1/audit/export?eventType=RECEIVED&format=jsonl", AUDITOR);
        assertThat(export.statusCode()).isEqualTo(200);
        Path file = Files.writeString(work.resolve("export.jsonl"), export.body());
        LedgerAuditTest.Run ok = LedgerAuditTest.verify(file, key);
        assertThat(ok.code()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("timestamped by").contains("SPIE Test TSA");

        awaitQuietTimestampedHead();
        HttpResponse<String> csv = get(port, "/api/v1/audit/export?eventType=RECEIVED&format=csv", AUDITOR);
        LedgerAuditTest.Run csvOk = LedgerAuditTest.verify(Files.writeString(work.resolve("export.csv"), csv.body()),
                key);
        assertThat(csvOk.code()).as(csvOk.out()).isZero();
        assertThat(csvOk.out()).contains("timestamped by");

        // with the TSA's certificate: verifies; with another TSA's: the token is not accepted
        Path tsaPem = Files.writeString(work.resolve("tsa.pem"), TSA.certificatePem());
        assertThat(verifyWithTsa(file, key, tsaPem).code()).isZero();
        try (TestTsa other = new TestTsa("CN=Other TSA")) {
            Path otherPem = Files.writeString(work.resolve("other-tsa.pem"), other.certificatePem());
            LedgerAuditTest.Run wrongTsa = verifyWithTsa(file, key, otherPem);
            assertThat(wrongTsa.code()).as(wrongTsa.out()).isEqualTo(1);
            assertThat(wrongTsa.out()).contains("not by the trusted TSA certificate");
        }

        // a genuine token of the same TSA, but over another head: the imprint does not match
        List<String> lines = Files.readAllLines(file);
        ObjectNode headRecord = (ObjectNode) GatewayTestSupport.JSON.readTree(lines.get(1));
        assertThat(headRecord.path("record").asString()).isEqualTo("tree-head");
        TreeHead other = new TreeHead(headRecord.path("treeSize").asLong() + 1, new byte[32], Instant.now());
        String foreign = new TimestampClient(TSA.url(), Duration.ofSeconds(5), null).timestamp(other).base64();
        headRecord.put("timestampToken", foreign);
        lines.set(1, GatewayTestSupport.JSON.writeValueAsString(headRecord));
        LedgerAuditTest.Run bad = LedgerAuditTest.verify(Files.write(work.resolve("swapped.jsonl"), lines), key);
        assertThat(bad.code()).as(bad.out()).isEqualTo(1);
        assertThat(bad.out()).startsWith("TAMPERED").contains("tree head at size")
                .contains("imprint does not match");

        // a full export verifies with every head's token
        HttpResponse<byte[]> zip = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/audit/export/full"))
                .header("Authorization", "Bearer " + AUDITOR).build(), HttpResponse.BodyHandlers.ofByteArray());
        LedgerAuditTest.Run full = LedgerAuditTest.verify(Files.write(work.resolve("full.zip"), zip.body()), key);
        assertThat(full.code()).as(full.out()).isZero();
        assertThat(full.out()).contains("timestamped by");
    }
}
