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
        ds.setURL("jdbc:h2:file:" + dir.resolve("db/spie").toAbsolutePath()
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
        LedgerWriter w = new LedgerWriter(db, leaves, new TreeHeadSigner(KEYS),
                new LedgerWriter.Settings(100, headEveryEvents, Duration.ofHours(1), Duration.ofMillis(10)),
                Clock.systemUTC());
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
        // a leaf file that is not this ledger's
        try (FileChannel ch = FileChannel.open(leaves, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[32]), 79 * 32);
        }
        assertThatThrownBy(() -> writer(1000)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not match");
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
