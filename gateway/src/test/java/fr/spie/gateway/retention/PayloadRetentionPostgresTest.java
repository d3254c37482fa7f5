package fr.spie.gateway.retention;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.it.prod.PostgresServer;
import fr.spie.gateway.observability.ExchangeMetrics;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.schema.SpieSchemas;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** The retention job's statements on a real PostgreSQL: pages read after the last, each exchange's retention. */
class PayloadRetentionPostgresTest {
    private static PostgresServer postgres;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate tx;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start(PostgresServer.newDirectory("pg"));
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(),
                postgres.createDatabase("payload_retention"), PostgresServer.USER, "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/postgresql")
                .load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theDueCopiesAreDeletedAcrossPagesWithTheRetentionOfTheirRoutes(@TempDir Path dir) throws IOException {
        RoutingConfigHolder config = new RoutingConfigHolder(RetentionFixtures.load(
                RetentionFixtures.configWithRetention(dir, "orientation-cd-to-ft", "30d")));
        AuditTrail audit = new AuditTrail(jdbc, new ExchangeMetrics(new SimpleMeterRegistry(), config,
                SpieSchemas.load()));
        Instant now = Instant.now();
        Instant longAgo = now.minus(Duration.ofDays(100));
        Instant fortyDaysAgo = now.minus(Duration.ofDays(40));
        List<UUID> notDue = RetentionFixtures.oldExchanges(jdbc, 1100, longAgo, now.minus(Duration.ofDays(10)),
                "rsa-caf-to-cd-and-ml");
        List<UUID> shortRoute = RetentionFixtures.oldExchanges(jdbc, 3, fortyDaysAgo, fortyDaysAgo,
                "orientation-cd-to-ft");
        List<UUID> both = RetentionFixtures.oldExchanges(jdbc, 2, fortyDaysAgo, fortyDaysAgo,
                "orientation-cd-to-ft", "rsa-caf-to-cd-and-ml");

        int deleted = new PayloadRetention(jdbc, tx, audit, config, Duration.ofDays(90)).purge(now);

        assertThat(deleted).isEqualTo(3);
        assertThat(RetentionFixtures.copies(jdbc, shortRoute)).as("30 days, read after two pages").isZero();
        assertThat(RetentionFixtures.copies(jdbc, both)).as("the longest of its routes, 90 days").isEqualTo(2);
        assertThat(RetentionFixtures.copies(jdbc, notDue)).isEqualTo(1100);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'PAYLOAD_DELETED'",
                Long.class)).isEqualTo(3);
    }
}
