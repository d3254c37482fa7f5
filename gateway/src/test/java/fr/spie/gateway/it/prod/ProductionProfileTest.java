package fr.spie.gateway.it.prod;

import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.startRecipient;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.cli.SpieCli;
import fr.spie.gateway.observability.PrometheusScrape;
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
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The production profile on real servers started by the build: a PostgreSQL cluster (binaries from Maven Central)
 * and a standalone Artemis broker (the distribution from Maven Central). The same Flyway migrations as on H2 build
 * the schema; exchanges are accepted, queued on the external broker, delivered to WireMock recipients, audited in
 * PostgreSQL, and the ledger that the elected writer builds there verifies offline.
 */
class ProductionProfileTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static PostgresServer postgres;
    private static ArtemisServer broker;
    private static WireMockServer cd51;
    private static WireMockServer ft51;
    private static WireMockServer mlReims;
    private static String jdbcUrl;
    private static ProductionGateway gateway;

    @BeforeAll
    static void startServersAndGateway() {
        postgres = PostgresServer.start(PostgresServer.newDirectory("pg"));
        broker = ArtemisServer.start(PostgresServer.newDirectory("artemis"));
        cd51 = startRecipient();
        ft51 = startRecipient();
        mlReims = startRecipient();
        for (WireMockServer w : List.of(cd51, ft51, mlReims)) {
            w.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        }
        jdbcUrl = postgres.createDatabase("spie_production_profile");
        gateway = ProductionGateway.start(ProductionGateway.Cluster.create(jdbcUrl, broker, cd51, ft51, mlReims),
                Map.of());
    }

    @AfterAll
    static void stopAll() {
        // the gateway first: it must not outlive the servers it talks to
        if (gateway != null) {
            gateway.close();
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
    void theFlywayMigrationsOfH2BuildThePostgresSchema() throws Exception {
        List<String> expected;
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            expected = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+(_\\d+)?__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.'))
                    .sorted(java.util.Comparator.comparing((String v) -> Integer.parseInt(v.split("\\.")[0]))
                            .thenComparing(v -> v.contains(".") ? Integer.parseInt(v.split("\\.")[1]) : -1))
                    .map(v -> v + ":true").toList();
        }
        assertThat(expected).as("the migrations of the gateway").hasSizeGreaterThanOrEqualTo(8);
        List<String> applied = query("SELECT version || ':' || success FROM flyway_schema_history "
                + "WHERE version IS NOT NULL ORDER BY installed_rank", rs -> rs.getString(1));
        assertThat(applied).as("every migration applied on PostgreSQL, in order").isEqualTo(expected);
        List<String> uuidColumns = query("SELECT table_name FROM information_schema.columns "
                + "WHERE column_name = 'exchange_id' AND data_type = 'uuid' ORDER BY table_name", rs -> rs.getString(1));
        assertThat(uuidColumns).contains("exchange", "exchange_payload", "delivery", "audit_event");
    }

    @Test
    void exchangesAreDeliveredOnceAuditedAndTheLedgerVerifies() throws Exception {
        int n = 20;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode envelope = example("person.applicant-with-nir");
            ((ObjectNode) envelope.path("subject")).put("nir",
                    "2850775" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000)));
            ids.add(envelope.path("exchangeId").asString());
            HttpResponse<String> accepted = submit(gateway.port(), "caf-51", envelope);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                count("SELECT count(*) FROM delivery WHERE status = 'DELIVERED'") == 2L * n);

        // every exchange reached each recipient, once by its idempotency key; a repeated key is a retry that the
        // gateway counted as an attempt (e.g. an answer slower than the timeout), which the recipient deduplicates
        RecipientChecks.assertEachExchangeOnce(cd51, "cd-51", n, jdbcUrl);
        RecipientChecks.assertEachExchangeOnce(mlReims, "ml-reims", n, jdbcUrl);
        assertThat(ft51.getAllServeEvents()).isEmpty();

        // the audit trail (PostgreSQL) through the API
        JsonNode events = JSON.readTree(get(gateway.port(), "/api/v1/audit/events?exchangeId=" + ids.get(0),
                token("auditor")).body());
        List<String> types = new ArrayList<>();
        events.path("events").forEach(e -> types.add(e.path("type").asString()));
        assertThat(types).contains("RECEIVED", "ROUTED", "DELIVERED");

        // the leader's writer puts every audit row in the ledger, and a signed head covers them all
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            long rows = count("SELECT count(*) FROM audit_event");
            return count("SELECT count(*) FROM audit_event a WHERE NOT EXISTS "
                    + "(SELECT 1 FROM ledger_entry l WHERE l.seq = a.seq)") == 0
                    && count("SELECT coalesce(max(tree_size), 0) FROM tree_head") == rows;
        });
        assertThat(count("SELECT count(DISTINCT ledger_index) FROM ledger_entry"))
                .isEqualTo(count("SELECT max(ledger_index) + 1 FROM ledger_entry"));

        Path work = PostgresServer.newDirectory("export");
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/audit/export/full"))
                .header("Authorization", "Bearer " + token("auditor")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        Path zipFile = Files.write(work.resolve("full.zip"), zip.body());
        Path key = Files.writeString(work.resolve("ledger-key.pem"),
                get(gateway.port(), "/api/v1/gateway/ledger-key", null).body());
        CommandLine cli = SpieCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("audit", "verify", zipFile.toString(), "--public-key", key.toString());
        assertThat(code).as(out.toString()).isZero();
    }

    @Test
    void theInstanceLeadsByHoldingTheAdvisoryLockAndReportsItsRole() throws SQLException {
        assertThat(gateway.isLeader()).isTrue();
        assertThat(count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")).isEqualTo(1);
        JsonNode health = JSON.readTree(get(gateway.port(), "/actuator/health", token("admin")).body());
        assertThat(health.path("status").asString()).as(health.toString()).isEqualTo("UP");
    }

    /** The gauges read from the database when scraped answer on PostgreSQL too (a failing query reads NaN). */
    @Test
    void theMetersReadFromTheDatabaseAnswer() {
        HttpResponse<String> r = get(gateway.port(), "/actuator/prometheus", token("admin"));
        assertThat(r.statusCode()).isEqualTo(200);
        PrometheusScrape scrape = new PrometheusScrape(r.body());
        for (String name : new String[] {"spie_delivery_oldest_pending_age_seconds", "spie_files",
                "spie_files_records_total", "spie_files_records_remaining", "spie_ledger_size", "spie_ledger_lag",
                "spie_ledger_oldest_pending_age_seconds"}) {
            assertThat(scrape.all(name)).as(name).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.value()).as(name + " " + s.labels()).isNotNaN());
        }
        assertThat(scrape.all("spie_queue_depth")).filteredOn(s -> "dead_letter".equals(s.labels().get("queue")))
                .isNotEmpty().allSatisfy(s -> assertThat(s.value()).as("dead letters " + s.labels()).isNotNaN());
    }

    private static long count(String sql) throws SQLException {
        return query(sql, rs -> rs.getLong(1)).get(0);
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(String sql, Row<T> row) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        }
    }
}
