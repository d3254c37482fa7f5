package fr.spie.gateway.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.cli.SpieCli;
import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.TreeHeadSigner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The writer over a real H2 file database with the gateway's migrations. */
class LedgerWriterTest {
    static final GatewayKeys KEYS = GatewayKeys.generate();

    @TempDir
    Path dir;
    JdbcDataSource ds;
    Connection keepOpen; // without a pool, H2 would close and reopen the database file around every statement
    LedgerDb db;
    Path leaves;

    @BeforeEach
    void database() throws Exception {
        ds = new JdbcDataSource();
        // retry:, as the gateway and its offline commands open it (one process opens a database by one name only)
        ds.setURL("jdbc:h2:retry:" + dir.resolve("db/spie").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        ds.setUser("sa");
        keepOpen = ds.getConnection();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V1__exchanges_deliveries_audit.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V3__ledger.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V6__ledger_entry.sql'");
        }
        db = new LedgerDb(ds);
        leaves = dir.resolve("ledger/leaves.bin");
    }

    @AfterEach
    void closeDatabase() throws Exception {
        keepOpen.close();
    }

    static void insertAudit(javax.sql.DataSource ds, int n, String detail) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_event (recorded_at, event_type, actor, subject_pseudonym, detail) VALUES (?,?,?,?,?)")) {
            for (int i = 0; i < n; i++) {
                ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(2, "RECEIVED");
                ps.setString(3, "caf-51");
                ps.setString(4, "ab".repeat(32));
                ps.setString(5, detail + " " + i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    LedgerWriter writer(long headEveryEvents) {
        return writer(headEveryEvents, null);
    }

    LedgerWriter writer(long headEveryEvents, Long acceptRewindTo) {
        LedgerWriter.Settings settings = new LedgerWriter.Settings(100, headEveryEvents, Duration.ofHours(1),
                Duration.ofMillis(10));
        LedgerWriter w = new LedgerWriter(db, leaves, new TreeHeadSigner(KEYS),
                acceptRewindTo == null ? settings : settings.acceptingRewindTo(acceptRewindTo), Clock.systemUTC());
        w.open();
        return w;
    }

    @Test
    void assignsGapFreeIndexesInTailingOrderAndSignsHeads() throws Exception {
        insertAudit(ds, 250, "a");
        try (LedgerWriter w = writer(100)) {
            assertThat(w.catchUp()).isEqualTo(250);
            assertThat(w.size()).isEqualTo(250);
            assertThat(db.committedSize()).isEqualTo(250);
            assertThat(db.pendingCount()).isZero();
            assertThat(w.latestHead()).isPresent();
            assertThat(TreeHeadSigner.verify(w.latestHead().get(), KEYS.publicKey())).isTrue();
            // heads at 100, 200 (by count) and the first one (no head yet -> due by time)
            assertThat(db.allHeads()).extracting(h -> h.treeSize()).contains(100L, 200L);
            List<AuditRow> rows = new java.util.ArrayList<>();
            db.forEachInLedgerOrder(0, 250, rows::add);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i).ledgerIndex()).isEqualTo(i);
                assertThat(rows.get(i).recomputedLeafHash()).isEqualTo(rows.get(i).leafHash());
                assertThat(MerkleHash.hex(w.leafHash(i))).isEqualTo(rows.get(i).leafHash());
            }
            assertThat(w.publishHead().treeSize()).isEqualTo(250);
        }
    }

    @Test
    void aRowCommittedLateWithALowerSeqGetsTheNextIndex() throws Exception {
        try (Connection late = ds.getConnection()) {
            late.setAutoCommit(false);
            try (PreparedStatement ps = late.prepareStatement("INSERT INTO audit_event (recorded_at, event_type, actor) "
                    + "VALUES (?, 'RECEIVED', 'late')")) {
                ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            insertAudit(ds, 5, "early");
            try (LedgerWriter w = writer(1000)) {
                assertThat(w.catchUp()).isEqualTo(5);
                late.commit();
                assertThat(w.catchUp()).isEqualTo(1);
                List<AuditRow> rows = new java.util.ArrayList<>();
                db.forEachInLedgerOrder(0, 6, rows::add);
                assertThat(rows.get(5).actor()).isEqualTo("late");
                assertThat(rows.get(5).sequence()).isLessThan(rows.get(0).sequence());
            }
        }
    }

    @Test
    void aLeafFileAheadOfTheDatabaseIsTruncatedAndTheRowsAppendedAgain() throws Exception {
        insertAudit(ds, 120, "a");
        byte[] root;
        try (LedgerWriter w = writer(1000)) {
            w.catchUp();
            root = w.rootHash(120);
        }
        // crash after the fsync of 30 more leaves but before the database update
        insertAudit(ds, 30, "b");
        try (FileChannel ch = FileChannel.open(leaves, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[30 * 32 + 7]));
        }
        try (LedgerWriter w = writer(1000)) {
            assertThat(Files.size(leaves)).isEqualTo(120 * 32);
            assertThat(w.rootHash(120)).isEqualTo(root);
            assertThat(w.catchUp()).isEqualTo(30);
            assertThat(Files.size(leaves)).isEqualTo(150 * 32);
            assertThat(db.committedSize()).isEqualTo(150);
        }
    }

    /**
     * A crash after the fsync of a batch of 150 (spie.ledger.batch-size 1000 then), restarted with batch-size 100:
     * still an ordinary crash (its 150 rows wait for the ledger in the database), not a database restored behind it.
     */
    @Test
    void aLeafFileAheadByABatchLargerThanTodaysBatchSizeIsACrashNotARestore() throws Exception {
        insertAudit(ds, 120, "a");
        try (LedgerWriter w = writer(1000)) {
            w.catchUp();
        }
        insertAudit(ds, 150, "b");
        try (FileChannel ch = FileChannel.open(leaves, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[150 * 32]));
        }
        try (LedgerWriter w = writer(1000)) {                 // batches of 100
            assertThat(w.size()).isEqualTo(120);
            assertThat(w.catchUp()).isEqualTo(150);
        }
    }

    @Test
    void aLeafFileBehindTheDatabaseIsReDerivedAndAForeignOneRefused() throws Exception {
        insertAudit(ds, 80, "a");
        try (LedgerWriter w = writer(1000)) {
            w.catchUp();
        }
        try (FileChannel ch = FileChannel.open(leaves, StandardOpenOption.WRITE)) {
            ch.truncate(50 * 32);
        }
        try (LedgerWriter w = writer(1000)) {
            assertThat(w.size()).isEqualTo(80);
            assertThat(Files.size(leaves)).isEqualTo(80 * 32);
        }
        // a leaf file that is not this ledger's: no leaf of it is the database's
        try (FileChannel ch = FileChannel.open(leaves, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[80 * 32]), 0);
        }
        assertThatThrownBy(() -> writer(1000)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not match");
    }

    /**
     * Two instances on one database, each with its own leaf file: A appends and fsyncs a batch, then stops before
     * its commit; B, leading meanwhile, commits other entries at those indexes and signs a head over them. A's file
     * must not keep its uncommitted leaves when it opens again (at its restart's check, or when it leads again).
     */
    @Test
    void aBatchThisInstanceNeverCommittedIsReplacedByWhatAnotherInstanceCommittedThere() throws Exception {
        insertAudit(ds, 120, "a");
        try (LedgerWriter a = writer(1000)) {
            a.catchUp();
        }
        // A's uncommitted batch: 40 leaves fsynced, no ledger_entry rows
        byte[] uncommitted = new byte[40 * 32];
        java.util.Arrays.fill(uncommitted, (byte) 7);
        try (FileChannel ch = FileChannel.open(leaves, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(uncommitted));
        }
        Path leavesOfA = Files.move(leaves, dir.resolve("ledger/leaves-of-a.bin"));
        insertAudit(ds, 60, "b");
        Path leavesOfB = dir.resolve("ledger-b/leaves.bin");
        byte[] rootAt180;
        try (LedgerWriter b = new LedgerWriter(db, leavesOfB, new TreeHeadSigner(KEYS),
                new LedgerWriter.Settings(100, 1000, Duration.ofHours(1), Duration.ofMillis(10)), Clock.systemUTC())) {
            b.open();
            assertThat(b.catchUp()).isEqualTo(60);
            assertThat(b.publishHead().treeSize()).isEqualTo(180);
            rootAt180 = b.rootHash(180);
        }
        Files.move(leavesOfA, leaves);
        try (LedgerWriter a = writer(1000)) {
            assertThat(a.size()).isEqualTo(180);
            assertThat(a.rootHash(180)).isEqualTo(rootAt180);
        }
        try (var kept = Files.list(dir.resolve("ledger"))) {
            Path diverged = kept.filter(f -> f.getFileName().toString().startsWith("diverged-120-160-")).findFirst()
                    .orElseThrow();
            assertThat(Files.readAllBytes(diverged)).isEqualTo(uncommitted);
        }
    }

    /**
     * As above, but A opens again (its restart, or its writer re-opening after a failed commit) before B has signed a
     * head over the indexes it filled: the leaves there cannot be told from altered ones yet. A must not open with its
     * uncommitted leaves in the middle of its file (they would go into the next head it signs); once B's head covers
     * them, A opens with B's leaves.
     */
    @Test
    void aBatchThisInstanceNeverCommittedIsReplacedOnlyOnceAHeadCoversWhatAnotherInstanceCommittedThere()
            throws Exception {
        insertAudit(ds, 120, "a");
        try (LedgerWriter a = writer(1000)) {
            a.catchUp();
        }
        byte[] uncommitted = new byte[40 * 32];
        java.util.Arrays.fill(uncommitted, (byte) 7);
        try (FileChannel ch = FileChannel.open(leaves, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(uncommitted));
        }
        insertAudit(ds, 60, "b");
        LedgerWriter.Settings settings = new LedgerWriter.Settings(100, 1000, Duration.ofHours(1), Duration.ofMillis(10));
        try (LedgerWriter b = new LedgerWriter(db, dir.resolve("ledger-b/leaves.bin"), new TreeHeadSigner(KEYS),
                settings, Clock.systemUTC())) {
            b.open();
            assertThat(b.catchUp()).isEqualTo(60);        // no head yet: B's next is due in an hour
            assertThatThrownBy(() -> writer(1000)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not match ledger_entry at ledger index 120");
            assertThat(b.publishHead().treeSize()).isEqualTo(180);
            try (LedgerWriter a = writer(1000)) {
                assertThat(a.size()).isEqualTo(180);
                assertThat(a.rootHash(180)).isEqualTo(b.rootHash(180));
            }
        }
    }

    /**
     * One instance alone: an entry of its last batch, beyond its latest signed head, is rewritten in the database
     * together with its recorded leaf hash (a careful forger). Its leaf file is the only witness of the original: the
     * difference must stop the writer, not be "repaired" from the database as if another instance had led. Nor may a
     * head that the database holds but that the ledger key did not sign vouch for the altered leaves.
     */
    @Test
    void anEntryAlteredInTheDatabaseBeyondTheLatestHeadIsRefusedNotCopiedIntoTheLeafFile() throws Exception {
        insertAudit(ds, 150, "a");
        try (LedgerWriter w = writer(100)) {
            w.catchUp();
            assertThat(w.latestHead().orElseThrow().treeSize()).isEqualTo(100);
        }
        byte[] original = Files.readAllBytes(leaves);
        forgeEntry(149);
        assertThatThrownBy(() -> writer(100)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not match ledger_entry at ledger index 149");
        assertThat(Files.readAllBytes(leaves)).as("the witness is left as it is").isEqualTo(original);

        // a head over the forged leaves, signed with another key and put in tree_head, vouches for nothing
        try (LedgerWriter forger = new LedgerWriter(db, dir.resolve("forger/leaves.bin"),
                new TreeHeadSigner(GatewayKeys.generate()),
                new LedgerWriter.Settings(100, 1000, Duration.ofHours(1), Duration.ofMillis(10)), Clock.systemUTC())) {
            forger.open();
            assertThat(forger.publishHead().treeSize()).isEqualTo(150);
        }
        assertThatThrownBy(() -> writer(100)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ledger index 149");
        assertThat(Files.readAllBytes(leaves)).isEqualTo(original);
        try (var files = Files.list(dir.resolve("ledger"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("diverged-"));
        }
    }

    /** Rewrites the audit row at {@code index} and its recorded leaf hash to match: a consistent forgery. */
    private void forgeEntry(long index) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_event SET detail = 'forged' WHERE seq = (SELECT seq FROM ledger_entry "
                    + "WHERE ledger_index = " + index + ")");
        }
        List<AuditRow> rows = new java.util.ArrayList<>();
        db.forEachInLedgerOrder(index, index + 1, rows::add);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ledger_entry SET leaf_hash = ? WHERE ledger_index = ?")) {
            ps.setString(1, rows.get(0).recomputedLeafHash());
            ps.setLong(2, index);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    /**
     * A standby instance's start-up check while the leader writes: the leader commits a batch and signs a head over it
     * while the standby's writer opens (here: right before the standby reads the latest head). The head is then beyond
     * the size the standby read first; that is no mismatch and must not stop the standby.
     */
    @Test
    void aStandbyOpeningWhileTheLeaderCommitsAndSignsIsNotRefused() throws Exception {
        insertAudit(ds, 120, "a");
        LedgerWriter.Settings settings = new LedgerWriter.Settings(100, 1000, Duration.ofHours(1), Duration.ofMillis(10));
        try (LedgerWriter leader = new LedgerWriter(db, dir.resolve("leader/leaves.bin"), new TreeHeadSigner(KEYS),
                settings, Clock.systemUTC())) {
            leader.open();
            leader.catchUp();
            leader.publishHead();
            insertAudit(ds, 30, "b");
            boolean[] written = {false};
            javax.sql.DataSource whileTheLeaderWrites = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (p, m, a) -> {
                        Object result = m.invoke(ds, a);
                        if (!m.getName().equals("getConnection")) {
                            return result;
                        }
                        Connection c = (Connection) result;
                        return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {Connection.class}, (cp, cm, ca) -> {
                                    if (cm.getName().equals("prepareStatement") && !written[0]
                                            && ((String) ca[0]).contains("FROM tree_head ORDER BY tree_size DESC")) {
                                        written[0] = true;
                                        assertThat(leader.catchUp()).isEqualTo(30);
                                        assertThat(leader.publishHead().treeSize()).isEqualTo(150);
                                    }
                                    try {
                                        return cm.invoke(c, ca);
                                    } catch (java.lang.reflect.InvocationTargetException e) {
                                        throw e.getCause();
                                    }
                                });
                    });
            try (LedgerWriter standby = new LedgerWriter(new LedgerDb(whileTheLeaderWrites), leaves,
                    new TreeHeadSigner(KEYS), settings, Clock.systemUTC())) {
                standby.open();
                assertThat(written[0]).isTrue();
                assertThat(standby.size()).isGreaterThanOrEqualTo(120);
                assertThat(standby.rootHash(standby.size())).isEqualTo(leader.rootHash(standby.size()));
            }
        }
    }

    /** The database as a backup made when it held {@code at} entries left it, brought back over the current one. */
    private void restore(Path backup) throws Exception {
        keepOpen.close();
        org.h2.tools.DeleteDbFiles.execute(dir.resolve("db").toString(), "spie", true);
        org.h2.tools.Restore.execute(backup.toString(), dir.resolve("db").toString(), "spie");
        keepOpen = ds.getConnection();
    }

    private Path backup() throws Exception {
        Path zip = dir.resolve("backup-" + System.nanoTime() + ".zip");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("BACKUP TO '" + zip + "'");
        }
        return zip;
    }

    @Test
    void aDatabaseRestoredFromABackupOlderThanASignedHeadIsRefusedUnlessTheRewindIsAccepted() throws Exception {
        insertAudit(ds, 150, "a");
        try (LedgerWriter w = writer(100)) {
            w.catchUp();
        }
        Path backup = backup();                       // 150 entries, a head at 100
        insertAudit(ds, 250, "b");
        byte[] lostRoot;
        try (LedgerWriter w = writer(100)) {
            w.catchUp();
            assertThat(w.publishHead().treeSize()).isEqualTo(400);
            lostRoot = w.rootHash(400);
        }
        byte[] lostLeaves = java.util.Arrays.copyOfRange(Files.readAllBytes(leaves), 150 * 32, 400 * 32);
        restore(backup);
        assertThat(db.committedSize()).isEqualTo(150);

        assertThatThrownBy(() -> writer(100)).isInstanceOf(DatabaseBehindLedgerException.class)
                .hasMessageContaining("the database holds 150 ledger entries but this instance signed a tree head of "
                        + "size 400")
                .hasMessageContaining("restored from an older backup")
                .hasMessageContaining("Ledger indexes 150..399 were written (150..399 signed) and are not in it")
                .hasMessageContaining("spie.ledger.accept-rewind-to=150");
        assertThat(Files.size(leaves)).as("nothing changed by a refusal").isEqualTo(400 * 32);
        // accepting another size than the database's is no acceptance
        assertThatThrownBy(() -> writer(100, 149L)).isInstanceOf(DatabaseBehindLedgerException.class);

        List<LedgerWriter.Rewind> told = new java.util.ArrayList<>();
        try (LedgerWriter w = writer(100, 150L)) {
            assertThat(w.size()).isEqualTo(150);
            w.onRewound(told::add);                   // told even when it registers after the opening
            insertAudit(ds, 10, "after the restore");
            assertThat(w.catchUp()).isEqualTo(10);
            assertThat(db.committedSize()).isEqualTo(160);
        }
        assertThat(told).hasSize(1);
        LedgerWriter.Rewind rewind = told.get(0);
        assertThat(rewind.databaseSize()).isEqualTo(150);
        assertThat(rewind.leafFileLeaves()).isEqualTo(400);
        assertThat(rewind.signedHere().treeSize()).isEqualTo(400);
        assertThat(rewind.signedHere().rootHash()).isEqualTo(lostRoot);
        assertThat(Files.readAllBytes(rewind.lostLeaves())).isEqualTo(lostLeaves);
        assertThat(rewind.lostLeaves().getFileName().toString()).startsWith("rewound-150-400-");

        // once continued, the ledger opens as usual, without the setting, and nothing is told again
        try (LedgerWriter w = writer(100)) {
            assertThat(w.size()).isEqualTo(160);
            w.onRewound(told::add);
        }
        assertThat(told).hasSize(1);
    }

    /**
     * The start with the setting fails after the writer accepted the rewind but before the LEDGER_REWOUND event is on
     * the record (the gateway stops before its listener registers, or the listener's insert fails): the next start
     * with the same setting must find the rewind again, and tell it once, naming the leaves kept by the first.
     */
    @Test
    void aRewindAcceptedByAStartThatFailsBeforeItIsRecordedIsToldAtTheNextStart() throws Exception {
        insertAudit(ds, 150, "a");
        try (LedgerWriter w = writer(100)) {
            w.catchUp();
        }
        Path backup = backup();
        insertAudit(ds, 250, "b");
        try (LedgerWriter w = writer(100)) {
            w.catchUp();
            w.publishHead();
        }
        restore(backup);
        try (LedgerWriter w = writer(100, 150L)) {
            assertThat(w.size()).isEqualTo(150);            // stopped before any listener registered
        }
        try (LedgerWriter w = writer(100, 150L)) {
            assertThatThrownBy(() -> w.onRewound(r -> {
                throw new IllegalStateException("the audit insert failed");
            })).hasMessageContaining("the audit insert failed");
        }
        assertThatThrownBy(() -> writer(100)).as("not on the record yet: still refused without the setting")
                .isInstanceOf(DatabaseBehindLedgerException.class);
        List<LedgerWriter.Rewind> told = new java.util.ArrayList<>();
        try (LedgerWriter w = writer(100, 150L)) {
            w.onRewound(told::add);
        }
        assertThat(told).hasSize(1);
        assertThat(told.get(0).databaseSize()).isEqualTo(150);
        assertThat(told.get(0).signedHere().treeSize()).isEqualTo(400);
        assertThat(told.get(0).leafFileLeaves()).isEqualTo(400);
        assertThat(told.get(0).lostLeaves().getFileName().toString()).startsWith("rewound-150-400-");
        try (LedgerWriter w = writer(100)) {
            w.onRewound(told::add);
        }
        assertThat(told).hasSize(1);
    }

    @Test
    void aLeafFileAheadByMoreThanOneBatchIsARestoredDatabaseEvenWithoutASignedHeadBeyondIt() throws Exception {
        insertAudit(ds, 150, "a");
        try (LedgerWriter w = writer(1_000_000)) {
            w.catchUp();                              // one head, at 100 (the first is due at once)
        }
        Path backup = backup();
        insertAudit(ds, 250, "b");
        try (LedgerWriter w = writer(1_000_000)) {
            w.catchUp();
            assertThat(w.latestHead().orElseThrow().treeSize()).isEqualTo(100);
        }
        restore(backup);
        assertThatThrownBy(() -> writer(1_000_000)).isInstanceOf(DatabaseBehindLedgerException.class)
                .hasMessageContaining("holds 400 leaves, more than one batch (100) beyond")
                .hasMessageContaining("Ledger indexes 150..399 were written and are not in it");
        try (LedgerWriter w = writer(1_000_000, 150L)) {
            assertThat(w.size()).isEqualTo(150);
        }
    }

    @Test
    void theCliExportsTheWholeLedgerOfAStoppedGatewayAndVerifiesIt() throws Exception {
        insertAudit(ds, 300, "a");
        try (LedgerWriter w = writer(128)) {
            w.catchUp();
        }
        insertAudit(ds, 3, "not yet in the ledger");
        Files.createDirectories(dir.resolve("keys"));
        Path pem = Files.writeString(dir.resolve("keys/ledger-public-key.pem"), KEYS.publicKeyPem());
        Path out = dir.resolve("export");
        assertThat(cli("audit", "export-full", "--data-dir", dir.toString(), "--out", out.toString()).code)
                .isZero();
        Cli ok = cli("audit", "verify", out.toString(), "--public-key", pem.toString());
        assertThat(ok.code).as(ok.out).isZero();

        // an export is evidence: never overwritten by another
        byte[] exported = Files.readAllBytes(out.resolve("ledger.jsonl"));
        Cli again = cli("audit", "export-full", "--data-dir", dir.toString(), "--out", out.toString());
        assertThat(again.code).as(again.out).isEqualTo(2);
        assertThat(again.out).contains("already holds an export");
        assertThat(Files.readAllBytes(out.resolve("ledger.jsonl"))).isEqualTo(exported);
        // and a failed export leaves nothing that looks like one (here a leaf file shorter than the ledger)
        Path leavesKept = Files.copy(leaves, dir.resolve("leaves.keep"));
        try (FileChannel ch = FileChannel.open(leaves, StandardOpenOption.WRITE)) {
            ch.truncate(100 * 32);
        }
        Path failed = dir.resolve("failed-export");
        Cli cut = cli("audit", "export-full", "--data-dir", dir.toString(), "--out", failed.toString());
        assertThat(cut.code).as(cut.out).isEqualTo(1);
        try (var left = Files.list(failed)) {
            assertThat(left.toList()).isEmpty();
        }
        Files.move(leavesKept, leaves, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        // an entry deleted in the middle
        List<String> lines = Files.readAllLines(out.resolve("ledger.jsonl"));
        int target = lines.size() - 100;
        lines.remove(target);
        Files.write(out.resolve("ledger.jsonl"), lines);
        Cli bad = cli("audit", "verify", out.toString(), "--public-key", pem.toString());
        assertThat(bad.code).as(bad.out).isEqualTo(1);
        assertThat(bad.out).contains("deleted").contains("ledger index");

        assertThat(cli("audit", "verify", out.toString()).code).isEqualTo(2);
        assertThat(cli("audit", "verify", "--help").code).isZero();
    }

    record Cli(int code, String out) {
    }

    static Cli cli(String... args) {
        CommandLine cli = SpieCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return new Cli(cli.execute(args), out.toString());
    }
}
