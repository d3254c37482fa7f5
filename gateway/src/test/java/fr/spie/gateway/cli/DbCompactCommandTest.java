package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'db compact' gives back the space an embedded database written as the gateway writes it (WRITE_DELAY=0, every
 * commit a new chunk, no background housekeeping) no longer uses, keeps every row, and refuses a database a gateway
 * runs on or a directory with none, leaving everything as it was.
 */
class DbCompactCommandTest {

    /** The gateway's own URL settings (application.yml), on the data directory's database. */
    private static String gatewayUrl(Path data) {
        return "jdbc:h2:retry:" + data.resolve("db").resolve("spie").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;"
                + "DB_CLOSE_ON_EXIT=FALSE";
    }

    /** 4,000 rows written, updated twice, each statement its own commit, as deliveries are; 2,000 of them deleted. */
    private static void churn(Path data) throws Exception {
        try (Connection c = DriverManager.getConnection(gatewayUrl(data), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE delivery (id INT PRIMARY KEY, status VARCHAR(20), body VARCHAR(2000))");
            s.execute("CREATE INDEX delivery_status ON delivery (status)");
            String body = "x".repeat(1_000);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO delivery VALUES (?, 'PENDING', ?)");
                 PreparedStatement update = c.prepareStatement("UPDATE delivery SET status = ? WHERE id = ?")) {
                for (int i = 0; i < 4_000; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, body);
                    insert.executeUpdate();
                    for (String status : new String[] {"ATTEMPTED", "DELIVERED"}) {
                        update.setString(1, status);
                        update.setInt(2, i);
                        update.executeUpdate();
                    }
                }
            }
            s.execute("DELETE FROM delivery WHERE MOD(id, 2) = 0");
        }
    }

    private static long rows(Path data) throws Exception {
        try (Connection c = DriverManager.getConnection(gatewayUrl(data), "sa", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*), MIN(status), MAX(status) FROM delivery")) {
            r.next();
            assertThat(r.getString(2)).isEqualTo("DELIVERED");
            assertThat(r.getString(3)).isEqualTo("DELIVERED");
            return r.getLong(1);
        }
    }

    @Test
    void theFileShrinksToItsDataAndEveryRowStays(@TempDir Path data) throws Exception {
        churn(data);
        Path file = data.resolve("db").resolve("spie.mv.db");
        long before = Files.size(file);

        SpieCliTest.Run run = SpieCliTest.run("db", "compact", "--data-dir", data.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        long after = Files.size(file);
        assertThat(after).as("bytes after, against %d before", before).isLessThan(before / 4);
        assertThat(run.out()).contains("compacting " + file, "keep the gateway stopped", "compacted in",
                " MB given back");
        assertThat(rows(data)).isEqualTo(2_000);
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("spie.mv.db");
        }
    }

    @Test
    void aDatabaseAGatewayRunsOnIsRefusedAndLeftAsItWas(@TempDir Path data) throws Exception {
        churn(data);
        Path file = data.resolve("db").resolve("spie.mv.db");
        long before = Files.size(file);
        Process holder = HoldDatabase.holding(data);
        try {

            SpieCliTest.Run run = SpieCliTest.run("db", "compact", "--data-dir", data.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("not compacted, the database is left as it was",
                    "a gateway is running on this data directory", "during a planned stop")
                    .doesNotContain("server mode");
            assertThat(run.out()).isEmpty();
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(Files.size(file)).isEqualTo(before);
        assertThat(rows(data)).isEqualTo(2_000);
    }

    @Test
    void aDirectoryWithoutAnEmbeddedDatabaseIsNamed(@TempDir Path data) {
        SpieCliTest.Run run = SpieCliTest.run("db", "compact", "--data-dir", data.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no embedded database in " + data.resolve("db"), "spie.data-dir", "VACUUM");
        assertThat(data.resolve("db")).doesNotExist();
    }
}
