package fr.spie.gateway.it.prod;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.startRecipient;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.cli.SpieCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two gateway instances (own data directories) on one PostgreSQL database and one Artemis broker share a load of
 * exchanges sent to both: each exchange reaches each recipient exactly once (by the recipient's idempotency keys),
 * one instance leads, and there is one ledger, gap-free, that verifies; when the leader stops, the other takes over
 * the same ledger.
 */
class ScaleOutTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int EXCHANGES = 200;

    private static PostgresServer postgres;
    private static ArtemisServer broker;
    private static WireMockServer cd51;
    private static WireMockServer ft51;
    private static WireMockServer mlReims;
    private static String jdbcUrl;
    private static ProductionGateway first;
    private static ProductionGateway second;

    @BeforeAll
    static void startServersAndTwoInstances() {
        postgres = PostgresServer.start(PostgresServer.newDirectory("pg"));
        broker = ArtemisServer.start(PostgresServer.newDirectory("artemis"));
        cd51 = startRecipient();
        ft51 = startRecipient();
        mlReims = startRecipient();
        for (WireMockServer w : List.of(cd51, ft51, mlReims)) {
            w.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        }
        jdbcUrl = postgres.createDatabase("spie_scale_out");
        ProductionGateway.Cluster cluster = ProductionGateway.Cluster.create(jdbcUrl, broker, cd51, ft51, mlReims);
        first = ProductionGateway.start(cluster, Map.of());
        second = ProductionGateway.start(cluster, Map.of());
    }

    @AfterAll
    static void stopAll() {
        for (ProductionGateway g : new ProductionGateway[] {first, second}) {
            if (g != null) {
                g.close();
            }
        }
        for (WireMockServer w : new WireMockServer[] {cd51, ft51, mlReims}) {
            if (w != null) {
                w.stop();
            }
        }
        if (broker != null) {
            broker.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void twoInstancesDeliverEachExchangeOnceAndKeepOneLedgerAcrossATakeover() throws Exception {
        assertThat(List.of(first.isLeader(), second.isLeader())).containsExactlyInAnyOrder(true, false);

        submitSpreadOverBoth(EXCHANGES);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
                count("SELECT count(*) FROM delivery WHERE status = 'DELIVERED'") == 2L * EXCHANGES);
        assertDeliveredOncePerRecipient(EXCHANGES);

        ProductionGateway leader = first.isLeader() ? first : second;
        ProductionGateway follower = leader == first ? second : first;
        assertThat(get(follower.port(), "/api/v1/audit/tree-head", token("auditor")).statusCode()).isEqualTo(503);
        assertOneLedgerThatVerifies(leader);

        // the leader goes; the other instance takes the lock and continues the same ledger
        leader.close();
        if (leader == first) {
            first = null;
        } else {
            second = null;
        }
        await().atMost(Duration.ofSeconds(30)).until(follower::isLeader);
        for (int i = 0; i < 20; i++) {
            assertThat(submit(follower.port(), "caf-51", envelope()).statusCode()).isEqualTo(202);
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
                count("SELECT count(*) FROM delivery WHERE status = 'DELIVERED'") == 2L * (EXCHANGES + 20));
        assertDeliveredOncePerRecipient(EXCHANGES + 20);
        assertOneLedgerThatVerifies(follower);
    }

    private static void submitSpreadOverBoth(int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int port = (i % 2 == 0 ? first : second).port();
                statuses.add(pool.submit(() -> submit(port, "caf-51", envelope()).statusCode()));
            }
            for (Future<Integer> s : statuses) {
                assertThat(s.get()).isEqualTo(202);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static ObjectNode envelope() {
        ObjectNode envelope = example("person.applicant-with-nir");
        ((ObjectNode) envelope.path("subject")).put("nir",
                "1850775" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000)));
        return envelope;
    }

    private static void assertDeliveredOncePerRecipient(int n) throws SQLException {
        RecipientChecks.assertEachExchangeOnce(cd51, "cd-51", n, jdbcUrl);
        RecipientChecks.assertEachExchangeOnce(mlReims, "ml-reims", n, jdbcUrl);
    }

    /** Every audit row in the ledger, positions 0..n-1 each once, a head over all, and the full export verifies. */
    private static void assertOneLedgerThatVerifies(ProductionGateway leader) throws Exception {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
            long rows = count("SELECT count(*) FROM audit_event");
            return count("SELECT count(*) FROM audit_event a WHERE NOT EXISTS "
                    + "(SELECT 1 FROM ledger_entry l WHERE l.seq = a.seq)") == 0
                    && count("SELECT coalesce(max(tree_size), 0) FROM tree_head") == rows;
        });
        long rows = count("SELECT count(*) FROM audit_event");
        assertThat(count("SELECT count(DISTINCT ledger_index) FROM ledger_entry")).isEqualTo(rows);
        assertThat(count("SELECT min(ledger_index) FROM ledger_entry")).isZero();
        assertThat(count("SELECT max(ledger_index) FROM ledger_entry")).isEqualTo(rows - 1);

        Path work = PostgresServer.newDirectory("export");
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + leader.port() + "/api/v1/audit/export/full"))
                .header("Authorization", "Bearer " + token("auditor")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        Path zipFile = Files.write(work.resolve("full.zip"), zip.body());
        Path key = Files.writeString(work.resolve("ledger-key.pem"),
                get(leader.port(), "/api/v1/gateway/ledger-key", null).body());
        CommandLine cli = SpieCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("audit", "verify", zipFile.toString(), "--public-key", key.toString());
        assertThat(code).as(out.toString()).isZero();
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
