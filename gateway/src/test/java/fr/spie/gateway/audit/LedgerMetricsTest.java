package fr.spie.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.cluster.LeaderElection;
import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.db.LedgerWriter;
import fr.spie.gateway.ledger.tsa.TimestampDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The ledger's gauges (and, on a standby instance, its health's figures). An operator alerts on a ledger that falls behind with the age of the oldest audit event not yet
 * in it (what the ledger health compares with spie.ledger.max-lag): the age of the latest signed head is no such
 * signal, since a head is signed only when the ledger grew, so it grows on a quiet, healthy gateway too.
 */
class LedgerMetricsTest {
    @TempDir
    Path dir;
    JdbcDataSource ds;
    Connection keepOpen;
    LedgerWriter writer;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void ledger() throws Exception {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:" + dir.resolve("db/spie").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        ds.setUser("sa");
        keepOpen = ds.getConnection();
        try (Statement s = keepOpen.createStatement()) {
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V1__exchanges_deliveries_audit.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V3__ledger.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V5__tsa.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V6__ledger_entry.sql'");
        }
        LedgerDb db = new LedgerDb(ds);
        writer = new LedgerWriter(db, dir.resolve("ledger/leaves.bin"), new TreeHeadSigner(GatewayKeys.generate()),
                new LedgerWriter.Settings(100, 1_000_000, Duration.ofHours(1), Duration.ofMillis(10)),
                Clock.systemUTC());
        writer.open();
        // the gauges read ten minutes later than now
        new LedgerMetrics(writer, db, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10))).bindTo(registry);
    }

    @AfterEach
    void close() throws Exception {
        writer.close();
        keepOpen.close();
    }

    @Test
    void theOldestPendingEventsAgeIsMeasuredAndTheHeadAgeGrowsOnAQuietLedger() throws Exception {
        assertThat(gauge("spie.ledger.oldest.pending.age")).isZero();
        assertThat(gauge("spie.ledger.head.age")).isNaN(); // no head signed yet
        try (PreparedStatement ps = keepOpen.prepareStatement(
                "INSERT INTO audit_event (recorded_at, event_type, actor, detail) VALUES (?,?,?,?)")) {
            for (int i = 0; i < 3; i++) {
                ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(90 - i));
                ps.setString(2, "RECEIVED");
                ps.setString(3, "caf-51");
                ps.setString(4, "event " + i);
                ps.executeUpdate();
            }
        }
        assertThat(gauge("spie.ledger.lag")).isEqualTo(3);
        // recorded 90 s before now, read 10 min after now
        assertThat(gauge("spie.ledger.oldest.pending.age")).isBetween(689.0, 720.0);
        assertThat(registry.get("spie.ledger.oldest.pending.age").gauge().getId().getBaseUnit()).isEqualTo("seconds");

        writer.runOnce();
        writer.publishHead();
        assertThat(gauge("spie.ledger.size")).isEqualTo(3);
        assertThat(gauge("spie.ledger.lag")).isZero();
        assertThat(gauge("spie.ledger.oldest.pending.age")).isZero();
        // nothing waits, yet the head is as old as the time without events
        assertThat(gauge("spie.ledger.head.age")).isBetween(599.0, 630.0);
    }

    @Test
    void aStandbyInstanceReportsTheLedgerOfTheDatabase() throws Exception {
        insertEvents(2);
        writer.runOnce();
        writer.publishHead();
        // another instance on the same database, which does not lead: its writer is not open
        LedgerWriter standbyWriter = new LedgerWriter(new LedgerDb(ds), dir.resolve("standby/leaves.bin"),
                new TreeHeadSigner(GatewayKeys.generate()),
                new LedgerWriter.Settings(100, 1_000_000, Duration.ofHours(1), Duration.ofMillis(10)),
                Clock.systemUTC());
        SimpleMeterRegistry standby = new SimpleMeterRegistry();
        new LedgerMetrics(standbyWriter, new LedgerDb(ds), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)))
                .bindTo(standby);
        assertThat(standby.get("spie.ledger.size").gauge().value()).isEqualTo(2);
        assertThat(standby.get("spie.ledger.head.age").gauge().value()).isBetween(599.0, 630.0);
        assertThat(standby.get("spie.ledger.lag").gauge().value()).isZero();
    }

    @Test
    void aStandbyInstancesHealthShowsTheLedgerOfTheDatabase() throws Exception {
        insertEvents(2);
        writer.runOnce();
        writer.publishHead();
        LedgerWriter standbyWriter = new LedgerWriter(new LedgerDb(ds), dir.resolve("standby/leaves.bin"),
                new TreeHeadSigner(GatewayKeys.generate()),
                new LedgerWriter.Settings(100, 1_000_000, Duration.ofHours(1), Duration.ofMillis(10)),
                Clock.systemUTC());
        // PostgreSQL elects a leader: not started, this instance does not lead
        LeaderElection notLeading = new LeaderElection(null, true, 1, Duration.ofSeconds(5));
        Health health = new LedgerHealthIndicator(standbyWriter, new LedgerDb(ds), new LedgerSettings(null, null, null,
                null, null, null, null, null, null, null), new LedgerTsa(new TimestampDb(ds), null), notLeading,
                GatewayKeys.generate()).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("role", "standby").containsEntry("size", 2L)
                .containsEntry("latestHeadSize", 2L).containsEntry("lag", 0L);
        assertThat(health.getDetails().get("latestHeadAgeMs")).isNotNull();
    }

    private void insertEvents(int n) throws Exception {
        try (PreparedStatement ps = keepOpen.prepareStatement(
                "INSERT INTO audit_event (recorded_at, event_type, actor, detail) VALUES (?,?,?,?)")) {
            for (int i = 0; i < n; i++) {
                ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(2, "RECEIVED");
                ps.setString(3, "caf-51");
                ps.setString(4, "event " + i);
                ps.executeUpdate();
            }
        }
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
