package fr.spie.gateway.cli;

import fr.spie.gateway.IoErrorText;
import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.KeyIds;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.export.FullExport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spie-gateway audit export-full --data-dir DIR --out DIR}. */
@Command(name = "export-full", mixinStandardHelpOptions = true,
        description = {"Export the whole ledger of a stopped gateway (embedded H2 database under the data directory, "
                + "or --jdbc-url) to a directory: ledger.jsonl (every entry and every signed tree head), leaves.bin "
                + "and ledger-public-key.pem. Verify it with 'audit verify DIR --public-key PEM'.", "",
                "Reads the data directory given (ledger/leaves.bin, keys/ledger-public-key.pem, and db/ unless "
                        + "--jdbc-url), no configuration and none of the gateway's settings: give --jdbc-url when the "
                        + "gateway runs on another database (spring.datasource.url)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:exported", "1:the export failed (nothing is left in --out)",
                "2:invalid command line, no ledger in the data directory, or --out already holds an export"})
final class AuditExportFullCommand implements Callable<Integer> {
    private static final List<String> EXPORT_FILES = List.of(FullExport.LEDGER_FILE, FullExport.LEAVES_FILE,
            FullExport.KEY_FILE);
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "the gateway's data directory (spie.data-dir)")
    Path dataDir;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to create or fill; "
            + "refused if it already holds an export (never overwritten)")
    Path out;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "database URL (default: the embedded H2 database of the data directory)")
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "sa", description = "database user (default sa)")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "", description = "database password")
    String password;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path leafFile = dataDir.resolve("ledger").resolve(FullExport.LEAVES_FILE);
        Path keyFile = dataDir.resolve("keys").resolve(FullExport.KEY_FILE);
        if (!Files.exists(leafFile) || !Files.exists(keyFile)) {
            err.println("no ledger under " + dataDir + " (expected " + leafFile + " and " + keyFile + ")");
            return 2;
        }
        for (String name : EXPORT_FILES) {
            if (Files.exists(out.resolve(name))) {
                err.println(out + " already holds an export (" + name + "): give another --out, or move that export "
                        + "away first (an export is evidence: it is never overwritten)");
                return 2;
            }
        }
        try {
            return export(stdout, err, leafFile, keyFile);
        } finally {
            for (String name : EXPORT_FILES) {
                try {
                    Files.deleteIfExists(part(name));
                } catch (IOException e) {
                    err.println("could not remove " + part(name) + ": " + IoErrorText.of(e));
                }
            }
        }
    }

    private Path part(String name) {
        return out.resolve(name + ".part");
    }

    private int export(PrintWriter stdout, PrintWriter err, Path leafFile, Path keyFile) {
        String url = jdbcUrl != null ? jdbcUrl : EmbeddedDatabaseUrl.existing(dataDir);
        try {
            String pem = Files.readString(keyFile);
            String keyId = KeyIds.keyId(GatewayKeys.readPublicKeyPem(pem));
            LedgerDb db = new LedgerDb(new DriverDataSource(url, user, password));
            long size = db.committedSize();
            List<SignedTreeHead> heads = db.allHeads();
            java.util.Map<Long, fr.spie.gateway.ledger.tsa.TimestampToken> timestamps;
            try {
                timestamps = new fr.spie.gateway.ledger.tsa.TimestampDb(new DriverDataSource(url, user, password)).all();
            } catch (RuntimeException e) {
                timestamps = java.util.Map.of(); // a database from before schema V5: no timestamps
            }
            Files.createDirectories(out);
            // written as .part files, named as the export only once all three are complete: a failure leaves no
            // export that looks whole
            try (OutputStream o = Files.newOutputStream(part(FullExport.LEDGER_FILE))) {
                FullExport.writeLedger(db, size, heads, timestamps, keyId, pem, o);
            }
            try (OutputStream o = Files.newOutputStream(part(FullExport.LEAVES_FILE))) {
                FullExport.copyLeaves(leafFile, size, o);
            }
            Files.writeString(part(FullExport.KEY_FILE), pem);
            for (String name : EXPORT_FILES) {
                Files.move(part(name), out.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
            stdout.println("exported " + size + " entries and " + heads.size() + " signed tree head(s) to " + out);
            return 0;
        } catch (IOException e) {
            err.println("export failed: " + IoErrorText.of(e));
            return 1;
        } catch (RuntimeException e) {
            String inUse = EmbeddedDatabaseInUse.explain(e, dataDir,
                    "ask it for the full export (GET /api/v1/audit/export/full, auditor).");
            String missing = jdbcUrl == null ? EmbeddedDatabaseMissing.explain(e, dataDir) : null;
            err.println("export failed: " + (inUse != null ? inUse : missing != null ? missing : e.getMessage()));
            return 1;
        }
    }

    /** A connection per call from {@link DriverManager}: enough for a one-shot command. */
    private record DriverDataSource(String url, String user, String password) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        @Override
        public Connection getConnection(String u, String p) throws SQLException {
            return DriverManager.getConnection(url, u, p);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
