package fr.spie.gateway.retention;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.cluster.LeaderElection;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.deadletter.DeadLetters;
import fr.spie.gateway.delivery.OutboxDispatcher;
import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.it.RunningGatewayTest;
import fr.spie.gateway.routing.ReleaseGate;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.schema.SpieSchemas;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Envelope copies are deleted at the end of their retention once settled; digests, audit and status stay. */
class PayloadRetentionTest extends RunningGatewayTest {
    @Autowired
    PayloadRetention retention;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    DeadLetters deadLetters;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    AuditTrail audit;
    @Autowired
    RoutingConfigHolder config;
    @Autowired
    LeaderElection election;
    @Autowired
    ReleaseGate gate;
    @Autowired
    SpieSchemas schemas;
    @Autowired
    OutboxDispatcher outbox;

    @Test
    void aSettledExchangesEnvelopeCopyIsDeletedAfterItsRetentionAndAnUnsettledOneIsKept() {
        ObjectNode delivered = example("person.applicant-with-nir");
        String deliveredId = delivered.path("exchangeId").asString();
        assertThat(submit(port, "caf-51", delivered).statusCode()).isEqualTo(202);
        awaitStatus(port, "caf-51", deliveredId, s -> "DELIVERED".equals(s.path("status").asString()),
                Duration.ofSeconds(20));
        FT_51.resetAll();
        FT_51.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(4000)));
        ObjectNode pending = example("orientation.ped-france-travail");
        String pendingId = pending.path("exchangeId").asString();
        assertThat(submit(port, "cd-51", pending).statusCode()).isEqualTo(202);

        assertThat(retention.purge(Instant.now())).as("nothing is due today").isZero();
        int deleted = retention.purge(Instant.now().plus(Duration.ofDays(91)));

        assertThat(deleted).isPositive();
        assertThat(payloads(deliveredId)).isZero();
        assertThat(payloads(pendingId)).as("a delivery still in progress keeps its copy").isOne();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE exchange_id = ? "
                + "AND event_type = 'PAYLOAD_DELETED'", Long.class, UUID.fromString(deliveredId))).isOne();
        assertThat(jdbc.queryForObject("SELECT payload_digest FROM exchange WHERE exchange_id = ?", String.class,
                UUID.fromString(deliveredId))).hasSize(64);
        assertThat(GatewayTestSupport.status(port, "caf-51", deliveredId).path("status").asString())
                .isEqualTo("DELIVERED");
    }

    @Test
    void aDeadLetterOfAnOldExchangeKeepsItsCopyForTheRetentionCountedFromWhenItWasSettled() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(422)));
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "caf-51", id, s -> "DEAD_LETTERED".equals(s.path("status").asString()),
                Duration.ofSeconds(30));
        // received 100 days ago (a recipient down for months, which then refuses the record): dead-lettered today
        Instant now = Instant.now();
        Timestamp received = Timestamp.from(now.minus(Duration.ofDays(100)));
        jdbc.update("UPDATE exchange SET received_at = ? WHERE exchange_id = ?", received, UUID.fromString(id));
        jdbc.update("UPDATE exchange_payload SET stored_at = ? WHERE exchange_id = ?", received,
                UUID.fromString(id));
        jdbc.update("UPDATE delivery SET created_at = ?, updated_at = ? WHERE exchange_id = ? "
                + "AND recipient <> 'ml-reims'", received, received, UUID.fromString(id));

        retention.purge(now);

        assertThat(payloads(id)).as("a dead letter of today stays replayable for the retention").isOne();
        JsonNode listed = GatewayTestSupport.json(GatewayTestSupport.get(port,
                "/api/v1/admin/dead-letters?recipient=ml-reims&limit=500", GatewayTestSupport.token("admin")));
        assertThat(listed.path("items").valueStream().filter(d -> id.equals(d.path("exchangeId").asString()))
                .map(d -> d.path("replayable").asBoolean())).containsExactly(true);
        retention.purge(now.plus(Duration.ofDays(91)));
        assertThat(payloads(id)).as("deleted once the retention after its settlement is over").isZero();
    }

    @Test
    void aDeadLetterReplayedWhileRetentionRunsKeepsItsCopyAndIsDelivered() {
        String id = oldDeadLetter();
        DeadLetters.Key key = new DeadLetters.Key(UUID.fromString(id), "ml-reims");
        // the admin replays it after the retention run picked its copy, before the run deletes it
        JdbcTemplate interleaved = new JdbcTemplate(dataSource) {
            @Override
            public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
                List<T> rows = super.query(sql, mapper, args);
                if (sql.contains("FROM exchange_payload p") && rows.toString().contains(key.exchangeId().toString())) {
                    assertThat(deadLetters.replay(List.of(key), "test-admin").get(0).outcome())
                            .isEqualTo("REPLAYED");
                }
                return rows;
            }
        };
        PayloadRetention run = new PayloadRetention(interleaved, tx, audit, config, Duration.ofDays(90));

        run.purge(Instant.now());

        assertThat(payloads(id)).as("a delivery back in the outbox keeps its copy").isOne();
        awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(GatewayTestSupport.delivery(s, "ml-reims")
                .path("status").asString()), Duration.ofSeconds(30));
    }

    @Test
    void aReplayWhoseCopyIsDeletedWhileItIsCheckedIsRefusedAndStaysADeadLetter() {
        String id = oldDeadLetter();
        // the retention run deletes the copy after the replay read it, before the replay queues it again
        ExchangeStore interleaved = new ExchangeStore(jdbc) {
            @Override
            public Optional<String> envelope(UUID exchangeId) {
                Optional<String> copy = super.envelope(exchangeId);
                retention.purge(Instant.now());
                return copy;
            }
        };
        DeadLetters desk = new DeadLetters(interleaved, gate, schemas, audit, tx, outbox);

        DeadLetters.Result result = desk.replay(List.of(new DeadLetters.Key(UUID.fromString(id), "ml-reims")),
                "test-admin").get(0);

        assertThat(payloads(id)).isZero();
        assertThat(result.outcome()).isEqualTo("REFUSED");
        assertThat(result.reason()).contains("envelope copy was deleted");
        assertThat(jdbc.queryForObject("SELECT status FROM delivery WHERE exchange_id = ? AND recipient = 'ml-reims'",
                String.class, UUID.fromString(id))).isEqualTo("DEAD_LETTERED");
    }

    /** A dead letter to ml-reims of an exchange received and settled 100 days ago; ml-reims answers again. */
    private String oldDeadLetter() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(422)));
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "caf-51", id, s -> "DEAD_LETTERED".equals(s.path("status").asString()),
                Duration.ofSeconds(30));
        Timestamp old = Timestamp.from(Instant.now().minus(Duration.ofDays(100)));
        jdbc.update("UPDATE exchange SET received_at = ? WHERE exchange_id = ?", old, UUID.fromString(id));
        jdbc.update("UPDATE exchange_payload SET stored_at = ? WHERE exchange_id = ?", old, UUID.fromString(id));
        jdbc.update("UPDATE delivery SET created_at = ?, updated_at = ? WHERE exchange_id = ?", old, old,
                UUID.fromString(id));
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        return id;
    }

    @Test
    void aRouteSetsItsOwnRetentionAndABadOneIsAConfigErrorWithItsPlace(@TempDir Path dir) throws IOException {
        for (String file : new String[] {"partners.yaml", "routes.yaml", "access.yaml"}) {
            Files.copy(Path.of(GatewayTestSupport.TEST_CONFIG, file), dir.resolve(file));
        }
        Path routes = dir.resolve("routes.yaml");
        String original = Files.readString(routes);
        Map<String, String> env = Map.of("TEST_URL_CD_51", "http://localhost:1/x", "TEST_URL_FT_51",
                "http://localhost:1/x", "TEST_URL_ML_REIMS", "http://localhost:1/x");
        GatewayConfigLoader loader = new GatewayConfigLoader(RecordTypes.V1, env::get);

        Files.writeString(routes, original.replace("  - id: orientation-cd-to-ft\n",
                "  - id: orientation-cd-to-ft\n    retention: 30d\n"));
        GatewayConfig config = loadQuietly(loader, dir);
        assertThat(config.routes().stream().filter(r -> r.id().equals("orientation-cd-to-ft")).findFirst()
                .orElseThrow().retention()).isEqualTo(Duration.ofDays(30));

        Files.writeString(routes, original.replace("  - id: orientation-cd-to-ft\n",
                "  - id: orientation-cd-to-ft\n    retention: forever\n"));
        assertThatThrownBy(() -> loader.load(dir)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.problems()).anySatisfy(p -> {
                    assertThat(p.file()).isEqualTo("routes.yaml");
                    assertThat(p.line()).isPositive();
                    assertThat(p.message()).contains("'forever' is not a duration");
                }));
    }

    @Test
    void aRunReadsTheCopiesNotDueYetPageByPageInOneStatementPerPageAndFindsTheDueOnesAfterThem() {
        // 1,200 copies stored 100 days ago whose deliveries were settled 10 days ago (not due: 90 days from then),
        // then 3 stored and settled 95 days ago (due), behind them in the order the run reads
        Instant now = Instant.now();
        List<UUID> notDue = RetentionFixtures.oldExchanges(jdbc, 1200, now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(10)),
                "rsa-caf-to-cd-and-ml");
        List<UUID> due = RetentionFixtures.oldExchanges(jdbc, 3, now.minus(Duration.ofDays(95)), now.minus(Duration.ofDays(95)),
                "rsa-caf-to-cd-and-ml");
        try {
            AtomicInteger statements = new AtomicInteger();
            PayloadRetention counted = new PayloadRetention(new JdbcTemplate(countingStatements(statements)), tx,
                    audit, config, Duration.ofDays(90));

            counted.purge(now);

            assertThat(RetentionFixtures.copies(jdbc, due)).as("the due copies").isZero();
            assertThat(RetentionFixtures.copies(jdbc, notDue)).as("the copies not due").isEqualTo(1200);
            // before: a page query with a growing OFFSET and one query per copy for its routes' retention (1,200+)
            assertThat(statements.get()).as("statements outside the deletion's transaction").isLessThanOrEqualTo(10);
            assertThat(jdbc.queryForObject("EXPLAIN SELECT p.exchange_id FROM exchange_payload p "
                    + "WHERE p.stored_at <= TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00' "
                    + "ORDER BY p.stored_at, p.exchange_id LIMIT 500", String.class))
                    .as("the old copies are found by an index, not by reading the whole table")
                    .containsIgnoringCase("EXCHANGE_PAYLOAD_STORED_AT");
        } finally {
            RetentionFixtures.deleteExchanges(jdbc, notDue);
            RetentionFixtures.deleteExchanges(jdbc, due);
        }
    }

    @Test
    void eachExchangeKeepsItsCopyForTheLongestRetentionOfItsRoutes(@TempDir Path dir) throws IOException {
        RoutingConfigHolder thirtyDays = new RoutingConfigHolder(RetentionFixtures.load(
                RetentionFixtures.configWithRetention(dir, "orientation-cd-to-ft", "30d")));
        Instant now = Instant.now();
        Instant settled = now.minus(Duration.ofDays(40));
        List<UUID> shortRoute = RetentionFixtures.oldExchanges(jdbc, 2, settled, settled, "orientation-cd-to-ft");
        List<UUID> defaultRoute = RetentionFixtures.oldExchanges(jdbc, 2, settled, settled, "rsa-caf-to-cd-and-ml");
        List<UUID> both = RetentionFixtures.oldExchanges(jdbc, 2, settled, settled, "orientation-cd-to-ft", "rsa-caf-to-cd-and-ml");
        List<UUID> goneRoute = RetentionFixtures.oldExchanges(jdbc, 2, settled, settled, "a-route-no-longer-configured");
        try {
            new PayloadRetention(jdbc, tx, audit, thirtyDays, Duration.ofDays(90)).purge(now);

            assertThat(RetentionFixtures.copies(jdbc, shortRoute)).as("30 days, settled 40 days ago").isZero();
            assertThat(RetentionFixtures.copies(jdbc, defaultRoute)).as("90 days by default").isEqualTo(2);
            assertThat(RetentionFixtures.copies(jdbc, both)).as("the longest of its routes").isEqualTo(2);
            assertThat(RetentionFixtures.copies(jdbc, goneRoute)).as("a route no longer configured: the default")
                    .isEqualTo(2);
        } finally {
            for (List<UUID> ids : List.of(shortRoute, defaultRoute, both, goneRoute)) {
                RetentionFixtures.deleteExchanges(jdbc, ids);
            }
        }
    }

    /** The data source, counting the statements prepared or created on its connections. */
    private DataSource countingStatements(AtomicInteger statements) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("prepareStatement") || m.getName().equals("createStatement")
                                        || m.getName().equals("prepareCall")) {
                                    statements.incrementAndGet();
                                }
                                return invoke(connection, m, a);
                            });
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static GatewayConfig loadQuietly(GatewayConfigLoader loader, Path dir) {
        try {
            return loader.load(dir);
        } catch (InvalidConfigException e) {
            throw new AssertionError(e.problems().toString(), e);
        }
    }

    private long payloads(String exchangeId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM exchange_payload WHERE exchange_id = ?", Long.class,
                UUID.fromString(exchangeId));
    }
}
