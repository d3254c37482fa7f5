package fr.spie.gateway.bench;

import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.db.LedgerWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Appends/s of the running ledger writer: inserts N audit rows (realistic widths) directly via JDBC into an H2 file
 * database with the gateway's migrations, then times the writer thread (batches of 1000: select, hash, append, fsync,
 * one insert transaction) until no row is pending. Also prints the CPU time of the writer thread and of the whole
 * process during that phase (on a shared machine, the wall-clock figure depends on the other load; the CPU figures
 * much less). Args: [workDir] [rows=200000] [batch=1000].
 */
public final class LedgerWriterBenchmark {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "/tmp/ledger-writer-bench");
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        if (Files.exists(work)) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        // a pooled data source, as in the gateway: without a pool, H2 would close and reopen the database file
        // every time the writer's last connection closes, and the benchmark would measure that
        com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource();
        ds.setJdbcUrl("jdbc:h2:file:" + work.resolve("db/spie").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        ds.setUsername("sa");
        ds.setMaximumPoolSize(4);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V1__exchanges_deliveries_audit.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V3__ledger.sql'");
            s.execute("RUNSCRIPT FROM 'classpath:db/migration/V6__ledger_entry.sql'");
        }
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_event (recorded_at, event_type, exchange_id, actor, source_partner, recipient, "
                        + "record_type, route_id, purpose, legal_basis_type, config_version, payload_digest, "
                        + "subject_pseudonym, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            c.setAutoCommit(false);
            String hex = "0123456789abcdef".repeat(4);
            for (int i = 0; i < rows; i++) {
                ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(2, i % 4 == 0 ? "RECEIVED" : "DELIVERED");
                ps.setObject(3, UUID.randomUUID());
                ps.setString(4, "caf-51");
                ps.setString(5, "caf-51");
                ps.setString(6, "cd-51");
                ps.setString(7, "rsa-situation");
                ps.setString(8, "caf-to-cd51-rsa");
                ps.setString(9, "rsa-orientation");
                ps.setString(10, "legal-obligation");
                ps.setString(11, hex);
                ps.setString(12, hex);
                ps.setString(13, hex);
                ps.setString(14, "delivered, HTTP 200");
                ps.addBatch();
                if (i % 1000 == 999) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            ps.executeBatch();
            c.commit();
        }
        System.out.printf("inserted %,d audit rows in %.2f s%n", rows, (System.nanoTime() - t0) / 1e9);

        LedgerDb db = new LedgerDb(ds);
        LedgerWriter writer = new LedgerWriter(db, work.resolve("ledger/leaves.bin"),
                new TreeHeadSigner(GatewayKeys.generate()),
                new LedgerWriter.Settings(batch, 10_000, Duration.ofSeconds(10), Duration.ofMillis(50)),
                Clock.systemUTC());
        writer.open();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t1 = System.nanoTime();
        writer.start();
        long writerThreadId = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("spie-ledger-writer")).findFirst().orElseThrow().getId();
        while (writer.size() < rows) {
            Thread.sleep(5);
        }
        double s = (System.nanoTime() - t1) / 1e9;
        double writerCpu = threads.getThreadCpuTime(writerThreadId) / 1e9;
        double processCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        writer.close();
        System.out.printf("writer caught up: %,d leaves in %.2f s = %,.0f appends/s (batch %d: select, hash, append, "
                + "fsync, one insert transaction; signed heads every 10,000: %d)%n", rows, s, rows / s, batch,
                db.allHeads().size());
        System.out.printf("CPU during that phase: writer thread %.2f s (%,.0f appends per writer-CPU second), whole "
                + "process %.2f s (%,.0f per process-CPU second); system load average %.2f on %d cores%n",
                writerCpu, rows / writerCpu, processCpu, rows / processCpu, os.getSystemLoadAverage(),
                os.getAvailableProcessors());
    }
}
