package fr.spie.gateway.cli;

import fr.spie.gateway.IoErrorText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.h2.mvstore.MVStoreTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spie-gateway db compact --data-dir DIR}. The embedded database writes every commit at once (WRITE_DELAY=0,
 * so that a killed process loses nothing answered), which leaves H2 without its background housekeeping: under a
 * steady load its file grows far beyond its data (1.6 GB for ~80 MB of rows in a 90-second test, 30 GB for a
 * 1,000,000-person CNAF flux) and gives no space back while it runs. This copies the live pages into a new file and
 * puts it in place of the old one (H2's own tool, {@link MVStoreTool#compact}): the old file is never rewritten in
 * place, and an interrupted compaction leaves it as it was (H2 removes the unfinished copy at its next opening).
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Give back the disk space the embedded database of a stopped gateway no longer uses: copy its "
                + "live pages into a new file, which then replaces <data-dir>/db/spie.mv.db. Needs free space for "
                + "the copy (at most the size of the data, usually far less than the file). The gateway must stay "
                + "stopped meanwhile: it cannot start while the database is being copied.", "",
                "Reads and writes only <data-dir>/db; no configuration and none of the gateway's settings. For a "
                        + "gateway on PostgreSQL, use its VACUUM instead."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:compacted", "1:the database is in use (a gateway runs on it) or could not be compacted; "
                + "it is left as it was", "2:invalid command line, or no embedded database in the data directory"})
final class DbCompactCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "the gateway's data directory (spie.data-dir)")
    Path dataDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = dataDir.resolve("db").resolve("spie.mv.db");
        if (!Files.isRegularFile(file)) {
            err.println("no embedded database in " + dataDir.resolve("db") + " (spie.mv.db): is " + dataDir
                    + " the gateway's data directory (spie.data-dir)? A gateway on PostgreSQL has none: use VACUUM");
            return 2;
        }
        try {
            long before = Files.size(file);
            // opened and closed once by the database engine: refused if a gateway runs on it, and a database a crash
            // left unclosed is brought to its last commit before it is copied
            closeCleanly();
            out.println("compacting " + file + " (" + mb(before) + "); keep the gateway stopped until it is done");
            out.flush();
            long start = System.nanoTime();
            MVStoreTool.compact(file.toString(), false);
            long after = Files.size(file);
            closeCleanly(); // the new file opens, with its tables
            out.printf(Locale.ROOT, "compacted in %.1f s: %s -> %s (%s given back)%n",
                    (System.nanoTime() - start) / 1e9, mb(before), mb(after), mb(Math.max(0, before - after)));
            return 0;
        } catch (SQLException | RuntimeException e) {
            String inUse = EmbeddedDatabaseInUse.explain(e, dataDir, "run this command during a planned stop.");
            err.println("not compacted, the database is left as it was: "
                    + (inUse != null ? inUse : e.getMessage()));
            deleteUnfinishedCopy(file, err);
            return 1;
        } catch (IOException e) {
            err.println("not compacted: " + IoErrorText.of(e));
            deleteUnfinishedCopy(file, err);
            return 1;
        }
    }

    private void closeCleanly() throws SQLException {
        try (Connection c = DriverManager.getConnection(EmbeddedDatabaseUrl.existing(dataDir), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("SELECT COUNT(*) FROM information_schema.tables");
        }
    }

    /** What an interrupted copy left (H2 would remove it at the next opening; the disk may need the space now). */
    private static void deleteUnfinishedCopy(Path file, PrintWriter err) {
        Path copy = file.resolveSibling(file.getFileName() + ".tempFile");
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            err.println("could not remove the unfinished copy " + copy + ": " + IoErrorText.of(e));
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_048_576.0);
    }
}
