package fr.spie.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/**
 * The gateway interrupts its own threads when it stops them (an executor's {@code shutdownNow}: file workers, the
 * lease timer, the inbox watcher). A thread interrupted while the embedded H2 database reads or writes its file
 * closes the file's channel ({@code ClosedByInterruptException}); on H2's plain {@code file:} store that closed the
 * whole database for every other thread ("File corrupted while reading record", then "The database has been closed")
 * until the process restarted. The default URL's {@code retry:} file system reopens the channel and goes on.
 */
class EmbeddedDatabaseInterruptTest {

    private static final int ROWS = 20_000;

    @Test
    void aThreadInterruptedWhileWritingLeavesTheDatabaseOpenForEveryOtherThread(@TempDir Path dataDir)
            throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(defaultUrl(dataDir));
        pool.setUsername("sa");
        pool.setPassword("");
        pool.setMaximumPoolSize(2);
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE probe (id INT PRIMARY KEY, v VARCHAR(100))");
            }
            AtomicInteger written = new AtomicInteger();
            List<SQLException> failures = new ArrayList<>();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < ROWS; i++) {
                    try (Connection c = dataSource.getConnection();
                         PreparedStatement insert = c.prepareStatement("INSERT INTO probe VALUES (?, ?)")) {
                        insert.setInt(1, i);
                        insert.setString(2, "row " + i);
                        insert.executeUpdate();
                        written.incrementAndGet();
                    } catch (SQLException e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                    Thread.interrupted(); // as a worker that is interrupted again and again would
                }
            }, "interrupted-writer");
            writer.start();
            int interrupts = 0;
            while (writer.isAlive()) {
                writer.interrupt();
                interrupts++;
                Thread.sleep(1);
            }
            assertThat(interrupts).as("interrupts sent while writing").isGreaterThan(10);
            assertThat(failures).as("statements that failed on an interrupt").isEmpty();
            assertThat(written.get()).isEqualTo(ROWS);

            // another thread, on the same pool, still reads and writes
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO probe VALUES (-1, 'after')");
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM probe")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(ROWS + 1);
                }
            }
        }
    }

    /** The datasource URL of application.yml with this data directory. */
    static String defaultUrl(Path dataDir) {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties defaults = yaml.getObject();
        return defaults.getProperty("spring.datasource.url")
                .replace("${spie.data-dir}", dataDir.toString().replace(File.separatorChar, '/'));
    }
}
