package fr.spie.gateway.ledger.tsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHead;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.db.LedgerDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background timestamper over an H2 database with the gateway's migrations and a Bouncy Castle TSA. */
class HeadTimestamperTest {
    static final TreeHeadSigner SIGNER = new TreeHeadSigner(GatewayKeys.generate());

    @TempDir
    Path dir;
    LedgerDb ledger;
    TimestampDb db;
    TestTsa tsa;
    HeadTimestamper timestamper;

    @BeforeEach
    void database() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("db/spie").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        ds.setUser("sa");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V1__exchanges_deliveries_audit.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V3__ledger.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V6__ledger_entry.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V5__tsa.sql'");
        }
        ledger = new LedgerDb(ds);
        db = new TimestampDb(ds);
        tsa = new TestTsa();
    }

    @AfterEach
    void stop() {
        if (timestamper != null) {
            timestamper.close();
        }
        tsa.close();
    }

    SignedTreeHead publish(long size) {
        byte[] root = new byte[32];
        root[0] = (byte) size;
        SignedTreeHead h = SIGNER.sign(new TreeHead(size, root, Instant.now()));
        ledger.insertHead(h);
        return h;
    }

    HeadTimestamper timestamper(Duration interval, Duration backoff) {
        return new HeadTimestamper(db, new TimestampClient(tsa.url(), Duration.ofSeconds(5), tsa.certificate()),
                new HeadTimestamper.Settings(interval, backoff, backoff.multipliedBy(4), 2), Clock.systemUTC());
    }

    @Test
    void timestampsEveryHeadOldestFirstAndTheTokensVerify() throws Exception {
        for (long n = 1; n <= 5; n++) {
            publish(n * 10);
        }
        assertThat(db.backlog()).isEqualTo(5);
        HeadTimestamper t = timestamper(Duration.ofHours(1), Duration.ofSeconds(1));
        assertThat(t.runOnce()).isEqualTo(5); // batches of 2: catches up within one round
        assertThat(db.backlog()).isZero();
        assertThat(db.untimestamped(10)).isEmpty();
        for (SignedTreeHead h : ledger.allHeads()) {
            TimestampToken token = db.find(h.treeSize()).orElseThrow();
            assertThat(TimestampVerifier.verify(token.token(), h.treeHead(), tsa.certificate())).isEqualTo(token);
        }
        // serial numbers follow the order of the heads: oldest first
        assertThat(Long.parseLong(db.find(10).orElseThrow().serial(), 16))
                .isLessThan(Long.parseLong(db.find(50).orElseThrow().serial(), 16));
        assertThat(t.status().up()).isTrue();
        assertThat(t.status().lastSuccess()).isNotNull();
    }

    @Test
    void anOutageKeepsTheBacklogAndItDrainsWhenTheTsaReturns() {
        publish(1);
        timestamper = timestamper(Duration.ofMillis(50), Duration.ofMillis(100));
        timestamper.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> db.backlog() == 0);

        tsa.failing = true;
        publish(2);
        publish(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> timestamper.failures() >= 2);
        HeadTimestamper.Status down = timestamper.status();
        assertThat(down.up()).isFalse();
        assertThat(down.lastError()).contains("HTTP 500");
        assertThat(down.running()).isTrue();
        publish(4);
        assertThat(db.backlog()).isEqualTo(3);

        tsa.failing = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> db.backlog() == 0);
        assertThat(timestamper.status().up()).isTrue();
        assertThat(db.all()).containsOnlyKeys(1L, 2L, 3L, 4L);
    }

    @Test
    void aFailedRoundThrowsAndCountsButTimestampsWhatItCould() {
        publish(1);
        HeadTimestamper t = new HeadTimestamper(db, head -> {
            throw new TimestampException("TSA down");
        }, HeadTimestamper.Settings.every(Duration.ofSeconds(1)), Clock.systemUTC());
        assertThatThrownBy(t::runOnce).hasMessage("TSA down");
        assertThat(t.failures()).isEqualTo(1);
        assertThat(t.status().lastError()).isEqualTo("TSA down");
        assertThat(t.backlog()).isEqualTo(1);
    }
}
