package fr.spie.gateway.it.prod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fr.spie.gateway.it.GatewayTestSupport.startRecipient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fr.spie.gateway.it.GatewayTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, crash safety, on the production stack (real PostgreSQL, real Artemis broker, the gateway in its own JVM):
 * partners submit without pause while the gateway is killed with SIGKILL at random points, ten times, or while the
 * broker is killed and restarted. Afterwards every exchange that got a 202 is delivered to each of its recipients
 * under one idempotency key, recorded delivered once, nothing the partners did not send is delivered, and the ledger
 * holds every audit event and verifies offline.
 */
class CrashSafetyTest {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final List<String> RECIPIENTS = List.of("cd-51", "ml-reims");

    private PostgresServer postgres;
    private ArtemisServer broker;
    private WireMockServer cd51;
    private WireMockServer ft51;
    private WireMockServer mlReims;
    private String jdbcUrl;
    private GatewayProcess gateway;

    @BeforeEach
    void servers() {
        postgres = PostgresServer.start(PostgresServer.newDirectory("pg-crash"));
        broker = ArtemisServer.start(PostgresServer.newDirectory("artemis-crash"));
        cd51 = startRecipient();
        ft51 = startRecipient();
        mlReims = startRecipient();
        for (WireMockServer w : List.of(cd51, ft51, mlReims)) {
            w.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        }
        jdbcUrl = postgres.createDatabase("spie_crash");
        ProductionGateway.Cluster cluster = ProductionGateway.Cluster.create(jdbcUrl, broker, cd51, ft51, mlReims);
        gateway = new GatewayProcess(cluster, PostgresServer.newDirectory("gateway-crash").resolve("data"));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.kill();
        }
        for (WireMockServer w : new WireMockServer[] {cd51, ft51, mlReims}) {
            if (w != null) {
                w.stop();
            }
        }
        if (broker != null) {
            broker.kill();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void tenSigkillsUnderLoadLoseNothingAndDeliverNothingTwice() throws Exception {
        gateway.start();
        Set<String> accepted;
        long resent;
        try (SubmissionLoad load = new SubmissionLoad(gateway::port, 3)) {
            for (int kill = 1; kill <= 10; kill++) {
                PostgresServer.sleep(ThreadLocalRandom.current().nextLong(500, 3000));
                gateway.kill();
                gateway.start();
            }
            PostgresServer.sleep(1000);
            load.close();
            assertThat(load.failures()).isEmpty();
            accepted = load.accepted();
            resent = load.resent();
        }
        System.out.printf("crash test: %d exchanges accepted, %d submissions re-sent after a crash%n",
                accepted.size(), resent);
        assertThat(accepted.size()).isGreaterThan(50);
        assertDeliveredOnceEach(accepted);
        LedgerChecks.assertCompleteAndVerifies(jdbcUrl, gateway.port(), WAIT);
    }

    @Test
    void brokerKilledAndRestartedUnderLoadLosesNothing() throws Exception {
        gateway.start();
        Set<String> accepted;
        try (SubmissionLoad load = new SubmissionLoad(gateway::port, 3)) {
            for (int crash = 1; crash <= 3; crash++) {
                PostgresServer.sleep(ThreadLocalRandom.current().nextLong(1000, 3000));
                broker.kill();
                PostgresServer.sleep(ThreadLocalRandom.current().nextLong(200, 2000));
                broker.start();
            }
            PostgresServer.sleep(1000);
            load.close();
            assertThat(load.failures()).isEmpty();
            accepted = load.accepted();
        }
        assertThat(accepted.size()).isGreaterThan(20);
        assertDeliveredOnceEach(accepted);
        LedgerChecks.assertCompleteAndVerifies(jdbcUrl, gateway.port(), WAIT);
    }

    /**
     * The database holds exactly the accepted exchanges, each delivered once to each recipient; each recipient saw
     * each of them under one idempotency key, and no other key. A key seen twice is a redelivery after a crash between
     * the recipient's answer and the gateway's record of it: the recipient drops it by its key.
     */
    private void assertDeliveredOnceEach(Set<String> accepted) throws Exception {
        assertThat(LedgerChecks.count(jdbcUrl, "SELECT count(*) FROM exchange")).isEqualTo(accepted.size());
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> LedgerChecks.count(jdbcUrl,
                    "SELECT count(*) FROM delivery WHERE status = 'DELIVERED'") == (long) accepted.size()
                    * RECIPIENTS.size());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not every delivery was made; deliveries by recipient, status, queued:\n"
                    + LedgerChecks.rows(jdbcUrl, "SELECT recipient, status, enqueued, count(*), min(last_error) "
                    + "FROM delivery GROUP BY recipient, status, enqueued ORDER BY 1, 2, 3")
                    + "gateway log: " + gateway.log(), e);
        }
        for (String recipient : RECIPIENTS) {
            WireMockServer server = recipient.equals("cd-51") ? cd51 : mlReims;
            List<LoggedRequest> requests = server.findAll(postRequestedFor(anyUrl()));
            Map<String, Long> perKey = requests.stream()
                    .collect(Collectors.groupingBy(r -> r.getHeader("Idempotency-Key"), Collectors.counting()));
            Set<String> exchanges = requests.stream()
                    .map(r -> exchangeId(r.getBodyAsString()))
                    .collect(Collectors.toSet());
            assertThat(exchanges).as("exchanges received by " + recipient).isEqualTo(accepted);
            assertThat(perKey).as("one idempotency key per exchange at " + recipient).hasSize(accepted.size());
            long again = requests.size() - perKey.size();
            System.out.printf("crash test: %s received %d exchanges, %d redelivered under the same key%n",
                    recipient, perKey.size(), again);
        }
    }

    private static String exchangeId(String body) {
        return GatewayTestSupport.JSON.readTree(body).path("exchangeId").asString();
    }
}
