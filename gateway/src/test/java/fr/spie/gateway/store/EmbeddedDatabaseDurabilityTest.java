package fr.spie.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 202 means the exchange is stored: with the default embedded H2 database, a transaction that has committed must
 * be in the database file when the process dies right after, not only in memory until H2's next background write
 * (H2's default {@code WRITE_DELAY} is 500 ms).
 */
class EmbeddedDatabaseDurabilityTest {

    @Test
    void aCommittedTransactionSurvivesTheProcessBeingKilledRightAfterTheCommit(@TempDir Path dataDir)
            throws Exception {
        String url = EmbeddedDatabaseInterruptTest.defaultUrl(dataDir);
        assertThat(url).as("a database in a file (retry: is the file store that survives interrupts)")
                .startsWith("jdbc:h2:retry:");

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CommitThenHalt.class.getName(), url)
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child process ended").isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).contains("committed");

        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM probe")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows committed before the kill").isEqualTo(1);
        }
    }
}
