package fr.spie.gateway.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.it.TestRecipients;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The database becomes unusable under a running gateway with deliveries in progress, then comes back. The embedded
 * database is broken here as an I/O error breaks it (the store of H2's plain {@code file:}, which closes on a thread's
 * interrupt), and kept unusable by moving its file away (the URL opens only an existing database), as a PostgreSQL
 * server that is down would be. Meanwhile the delivery consumers wait, with a growing delay, instead of giving their
 * tasks back to the queue at once, each with two stack traces (thousands of log lines a second with a backlog), and
 * health says DOWN with HTTP 503 (it said UP, or DOWN with HTTP 200). Once the file is back, the gateway goes on by
 * itself: pooled connections of the closed database are checked with a query, not H2's isValid (true on a closed
 * database), so they are replaced, and nothing accepted is lost.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseOutageTest {
    private static final int EXCHANGES = 12;
    @RegisterExtension
    final TestRecipients recipients = new TestRecipients();
    private final Path data = GatewayTestSupport.tempDataDir();

    @Test
    void deliveriesWaitWhileTheDatabaseIsDownHealthSaysSoAndAllIsDeliveredOnceItIsBack(CapturedOutput output)
            throws Exception {
        recipients.ft.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(400)));
        recipients.cd.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        recipients.ml.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        Path file = data.resolve("db").resolve("spie.mv.db");
        String url = "jdbc:h2:file:" + data.resolve("db").resolve("spie") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        DriverManager.getConnection(url, "sa", "").close(); // created here: the gateway opens only an existing one
        LoggingSystem.get(getClass().getClassLoader()).cleanUp(); // (see ShutdownAndStartupTest)
        try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(SpieGatewayMain.class).run(
                recipients.with("--server.port=0", "--spie.data-dir=" + data,
                        "--spie.config-dir=" + GatewayTestSupport.TEST_CONFIG,
                        "--spring.datasource.url=" + url + ";IFEXISTS=TRUE",
                        "--spring.datasource.hikari.connection-timeout=1000"))) {
            int port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < EXCHANGES; i++) {
                ObjectNode envelope = example("orientation.ped-france-travail");
                envelope.put("exchangeId", UUID.randomUUID().toString());
                assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
                ids.add(envelope.path("exchangeId").asString());
            }

            breakTheDatabase(gateway.getBean(DataSource.class));
            Files.move(file, file.resolveSibling("spie.mv.db.away"));
            int before = lines(output).size();
            Thread.sleep(8_000);
            List<String> all = lines(output);
            List<String> duringOutage = all.subList(before, all.size());
            long consumerLines = duringOutage.stream().filter(l -> l.contains("[delivery.ft-51]")).count();
            // 4 with the consumers waiting (1 s, 2 s, 4 s...); 93 when they gave their 12 tasks back at once
            assertThat(consumerLines).as("lines the ft-51 consumers logged in 8 s of outage (4 consumers)")
                    .isLessThan(30);
            HttpResponse<String> health = get(port, "/actuator/health", null);
            JsonNode body = JSON.readTree(health.body());
            assertThat(body.path("components").path("db").path("status").asString()).isEqualTo("DOWN");
            assertThat(body.path("status").asString()).isEqualTo("DOWN");
            assertThat(health.statusCode()).as("HTTP status of a DOWN health").isEqualTo(503);
            assertThat(get(port, "/actuator/health/readiness", null).statusCode()).isEqualTo(503);
            ObjectNode refused = example("orientation.ped-france-travail");
            refused.put("exchangeId", UUID.randomUUID().toString());
            assertThat(submit(port, "cd-51", refused).statusCode()).isEqualTo(503);

            Files.move(file.resolveSibling("spie.mv.db.away"), file);
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                    .until(() -> get(port, "/actuator/health", null).statusCode() == 200);
            for (String id : ids) {
                awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()),
                        Duration.ofSeconds(60));
            }
            ObjectNode after = example("orientation.ped-france-travail");
            after.put("exchangeId", UUID.randomUUID().toString());
            assertThat(submit(port, "cd-51", after).statusCode()).isEqualTo(202);
        }
    }

    /** A writer interrupted again and again until H2's file store fails, which closes the database. */
    private static void breakTheDatabase(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE outage_probe (i INT)");
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO outage_probe VALUES (?)")) {
                for (int i = 0; i < 1_000_000 && failure.get() == null; i++) {
                    try {
                        insert.setInt(1, i);
                        insert.executeUpdate();
                    } catch (Exception e) {
                        failure.set(e);
                    }
                    Thread.interrupted();
                }
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        });
        writer.start();
        while (writer.isAlive()) {
            writer.interrupt();
            Thread.sleep(1);
        }
        assertThat(failure.get()).as("the database failed under the interrupts").isNotNull();
    }

    private static List<String> lines(CapturedOutput output) {
        return Arrays.asList(output.getAll().split("\\R"));
    }
}
