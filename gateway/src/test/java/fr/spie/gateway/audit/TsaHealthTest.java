package fr.spie.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.ledger.tsa.HeadTimestamper;
import fr.spie.gateway.ledger.tsa.TimestampDb;
import fr.spie.gateway.ledger.tsa.TimestampException;
import fr.spie.gateway.observability.TsaHealthIndicator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code tsa} health is DEGRADED while the TSA fails, on the instance that timestamps (the leader). On an instance
 * that does not lead, the timestamper does not run and nothing fails: UP, status standby (it said DEGRADED there, for
 * as long as the instance ran).
 */
class TsaHealthTest {
    @TempDir
    Path dir;
    Connection keepOpen;
    HeadTimestamper timestamper;
    TsaHealthIndicator health;

    @BeforeEach
    void timestamperWithAnUnreachableTsa() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:" + dir.resolve("db/spie").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        ds.setUser("sa");
        keepOpen = ds.getConnection();
        try (Statement s = keepOpen.createStatement()) {
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V1__exchanges_deliveries_audit.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V3__ledger.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V5__tsa.sql'");
            // a signed head waiting for its timestamp
            s.execute("INSERT INTO tree_head VALUES (1, '" + "ab".repeat(32) + "', 0, 'c2ln', 'Ed25519', 'k1', "
                    + "CURRENT_TIMESTAMP)");
        }
        TimestampDb db = new TimestampDb(ds);
        timestamper = new HeadTimestamper(db, head -> {
            throw new TimestampException("connection refused");
        }, HeadTimestamper.Settings.every(Duration.ofHours(1)), Clock.systemUTC());
        health = new TsaHealthIndicator(new LedgerTsa(db, timestamper));
    }

    @AfterEach
    void close() throws Exception {
        timestamper.close();
        keepOpen.close();
    }

    @Test
    void degradedOnlyWhereTheTimestamperRunsAndFails() {
        // another instance leads: this one does not timestamp
        Health standby = health.health();
        assertThat(standby.getStatus()).isEqualTo(Status.UP);
        assertThat(standby.getDetails().get("status")).isEqualTo("standby");
        assertThat(standby.getDetails().get("untimestampedHeads")).isEqualTo(1L);

        timestamper.start(); // this instance leads: its first round fails
        await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus()
                .equals(TsaHealthIndicator.DEGRADED));
        assertThat(health.health().getDetails().get("status")).isEqualTo("down");
        assertThat(health.health().getDetails().get("lastError")).asString().contains("connection refused");

        timestamper.close(); // it stands down
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}
