package fr.spie.gateway.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.TreeHeadSigner;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's tail when transactions commit out of seq order, roll back, or outlive a restart; and the V6 migration
 * of a V3 ledger (positions on audit_event) into ledger_entry. Real H2 file database, the gateway's migrations.
 */
class LedgerTailTest {
    static final GatewayKeys KEYS = GatewayKeys.generate();

    @TempDir
    Path dir;
    JdbcDataSource ds;
    Connection keepOpen; // keeps the H2 file database open between the test's short-lived connections
    LedgerDb db;
    Path leaves;
    final TestClock clock = new TestClock();

    @BeforeEach
    void database() throws Exception {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("db/spie").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        ds.setUser("sa");
        keepOpen = ds.getConnection();
        try (Statement s = keepOpen.createStatement()) {
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V1__exchanges_deliveries_audit.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V3__ledger.sql'");
        }
        db = new LedgerDb(ds);
        leaves = dir.resolve("ledger/leaves.bin");
    }

    @AfterEach
    void close() throws Exception {
        keepOpen.close();
    }

    void migrateV6() throws Exception {
        try (Statement s = keepOpen.createStatement()) {
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V6__ledger_entry.sql'");
        }
    }

    LedgerWriter writer(int batch, Duration grace, Clock c) {
        LedgerWriter w = new LedgerWriter(db, leaves, new TreeHeadSigner(KEYS),
                new LedgerWriter.Settings(batch, 1000, Duration.ofHours(1), Duration.ofMillis(1), grace), c);
        w.open();
        return w;
    }

    static long insert(Connection c, String actor) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (recorded_at, event_type, actor, detail) "
                + "VALUES (?, 'RECEIVED', ?, 'tail test')", Statement.RETURN_GENERATED_KEYS)) {
            ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            ps.setString(2, actor);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    long count(String sql) throws Exception {
        try (Statement s = keepOpen.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Seqs in ledger order. */
    List<Long> ledgerSeqs() throws Exception {
        List<Long> out = new ArrayList<>();
        try (Statement s = keepOpen.createStatement();
             ResultSet rs = s.executeQuery("SELECT ledger_index, seq FROM ledger_entry ORDER BY ledger_index")) {
            while (rs.next()) {
                assertThat(rs.getLong(1)).as("gap-free ledger index").isEqualTo(out.size());
                out.add(rs.getLong(2));
            }
        }
        return out;
    }

    @Test
    void concurrentTransactionsCommittingOutOfSeqOrderAreEachAppendedExactlyOnce() throws Exception {
        migrateV6();
        int producers = 6;
        int transactions = 30;
        ConcurrentLinkedQueue<Long> committed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> rolledBack = new ConcurrentLinkedQueue<>();
        try (LedgerWriter w = writer(7, Duration.ofMinutes(5), clock);
             Connection slow = ds.getConnection()) {
            // one transaction certainly commits out of order: its seq is allocated first, it commits last
            slow.setAutoCommit(false);
            long slowSeq = insert(slow, "slow");
            w.start();
            ExecutorService pool = Executors.newFixedThreadPool(producers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                long seed = p;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    go.await();
                    try (Connection c = ds.getConnection()) {
                        c.setAutoCommit(false);
                        for (int t = 0; t < transactions; t++) {
                            List<Long> seqs = new ArrayList<>();
                            for (int r = 1 + random.nextInt(4); r > 0; r--) {
                                seqs.add(insert(c, "p" + seed));
                            }
                            Thread.sleep(random.nextInt(8)); // others allocate and commit higher seqs meanwhile
                            if (random.nextInt(8) == 0) {
                                c.rollback();
                                rolledBack.addAll(seqs);
                            } else {
                                c.commit();
                                committed.addAll(seqs);
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            await().atMost(Duration.ofSeconds(30)).until(() -> w.size() == committed.size());
            slow.commit();
            committed.add(slowSeq);
            await().atMost(Duration.ofSeconds(30)).until(() -> w.size() == committed.size());
            // the holes of the rolled-back transactions are given up after the grace: the horizon reaches the top
            assertThat(db.horizon()).isLessThan(rolledBack.stream().min(Long::compare).orElseThrow());
            clock.advance(Duration.ofMinutes(5));
            long top = count("SELECT MAX(seq) FROM audit_event");
            await().atMost(Duration.ofSeconds(30)).until(() -> db.horizon() == top);
            assertThat(w.status().lastError()).isNull();
            w.close();

            List<Long> inLedger = ledgerSeqs();
            assertThat(inLedger).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(committed);
            assertThat(inLedger).doesNotContainAnyElementsOf(rolledBack);
            assertThat(rolledBack).isNotEmpty();
            assertThat(inLedger.get(inLedger.size() - 1)).as("the slow transaction is last").isEqualTo(slowSeq);
            assertThat(slowSeq).isLessThan(inLedger.get(0));
            assertThat(db.pendingCount()).isZero();
            List<AuditRow> rows = new ArrayList<>();
            db.forEachInLedgerOrder(0, inLedger.size(), rows::add);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i).sequence()).isEqualTo(inLedger.get(i));
                assertThat(rows.get(i).recomputedLeafHash()).isEqualTo(rows.get(i).leafHash());
            }
        }
    }

    @Test
    void aRolledBackSeqIsWatchedUntilTheGraceThenGivenUp() throws Exception {
        migrateV6();
        long lost;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            lost = insert(c, "rolled back");
            c.rollback();
        }
        long after = insert(keepOpen, "after");
        try (LedgerWriter w = writer(100, Duration.ofMinutes(5), clock)) {
            assertThat(w.catchUp()).isEqualTo(1);
            assertThat(db.horizon()).as("waits below the hole").isEqualTo(lost - 1);
            clock.advance(Duration.ofMinutes(4));
            assertThat(w.runOnce()).isZero();
            assertThat(db.horizon()).isEqualTo(lost - 1);
            clock.advance(Duration.ofMinutes(1));
            assertThat(w.runOnce()).isZero();
            assertThat(db.horizon()).as("given up").isEqualTo(after);
        }
    }

    @Test
    void aTransactionStillOpenAcrossAWriterRestartIsAppendedWhenItCommits() throws Exception {
        migrateV6();
        try (Connection late = ds.getConnection()) {
            late.setAutoCommit(false);
            long lateSeq = insert(late, "late");
            long early = insert(keepOpen, "early");
            try (LedgerWriter w = writer(100, Duration.ofMinutes(5), clock)) {
                assertThat(w.catchUp()).isEqualTo(1);
            }
            clock.advance(Duration.ofMinutes(4));
            try (LedgerWriter w = writer(100, Duration.ofMinutes(5), clock)) {
                clock.advance(Duration.ofMinutes(4)); // 8 minutes since the hole was seen, 4 since the restart
                assertThat(w.runOnce()).isZero();
                assertThat(db.horizon()).isEqualTo(lateSeq - 1);
                late.commit();
                assertThat(w.catchUp()).isEqualTo(1);
                assertThat(ledgerSeqs()).containsExactly(early, lateSeq);
                assertThat(db.horizon()).isEqualTo(early);
                assertThat(db.pendingCount()).isZero();
            }
        }
    }

    @Test
    void v6MovesAV3LedgerIntoLedgerEntryAndTheWriterContinuesIt() throws Exception {
        // a V3 ledger: 4 rows with positions recorded on audit_event (the third committed late), 2 still pending
        try (Connection late = ds.getConnection()) {
            late.setAutoCommit(false);
            insert(keepOpen, "a");
            insert(keepOpen, "b");
            long lateSeq = insert(late, "pending, lower seq");
            insert(keepOpen, "c");
            insert(keepOpen, "d");
            insert(keepOpen, "pending");
            MerkleHash hasher = new MerkleHash();
            List<AuditRow> rows = new ArrayList<>();
            try (Statement s = keepOpen.createStatement(); ResultSet rs = s.executeQuery("SELECT "
                    + AuditRow.PENDING_COLUMNS + " FROM audit_event a ORDER BY a.seq LIMIT 4")) {
                while (rs.next()) {
                    rows.add(AuditRow.read(rs));
                }
            }
            Files.createDirectories(leaves.getParent());
            try (OutputStream out = Files.newOutputStream(leaves);
                 PreparedStatement ps = keepOpen.prepareStatement(
                         "UPDATE audit_event SET ledger_index = ?, leaf_hash = ? WHERE seq = ?")) {
                for (int i = 0; i < rows.size(); i++) {
                    byte[] leaf = hasher.leaf(rows.get(i).entry(i));
                    out.write(leaf);
                    ps.setLong(1, i);
                    ps.setString(2, MerkleHash.hex(leaf));
                    ps.setLong(3, rows.get(i).sequence());
                    ps.executeUpdate();
                }
            }
            late.commit();
            migrateV6();
            assertThat(count("SELECT COUNT(*) FROM ledger_entry")).isEqualTo(4);
            assertThat(db.horizon()).isEqualTo(lateSeq - 1);
            assertThat(db.pendingCount()).isEqualTo(2);
            try (LedgerWriter w = writer(100, Duration.ofMinutes(5), clock)) {
                assertThat(w.size()).isEqualTo(4);
                assertThat(w.catchUp()).isEqualTo(2);
                List<AuditRow> all = new ArrayList<>();
                db.forEachInLedgerOrder(0, 6, all::add);
                assertThat(all).extracting(AuditRow::actor).containsExactly("a", "b", "c", "d", "pending, lower seq",
                        "pending");
                for (int i = 0; i < all.size(); i++) {
                    assertThat(all.get(i).recomputedLeafHash()).isEqualTo(all.get(i).leafHash());
                    assertThat(MerkleHash.hex(w.leafHash(i))).isEqualTo(all.get(i).leafHash());
                }
                assertThat(db.horizon()).isEqualTo(count("SELECT MAX(seq) FROM audit_event"));
            }
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
