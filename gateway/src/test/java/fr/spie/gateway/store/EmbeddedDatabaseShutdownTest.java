package fr.spie.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/**
 * On SIGTERM (systemctl stop, Ctrl-C, docker stop) the gateway's graceful shutdown still needs the embedded H2
 * database: deliveries in progress are recorded, the ledger writer finishes its batch, reads are answered. H2's own
 * shutdown hook closed the database at once, in parallel with Spring's, so all of that failed with "Database is
 * already closed"; the database must close when the gateway closes its connection pool, last.
 */
class EmbeddedDatabaseShutdownTest {

    @Test
    void theDatabaseStaysOpenForTheGracefulShutdown(@TempDir Path dataDir) throws Exception {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties defaults = yaml.getObject();
        String url = defaults.getProperty("spring.datasource.url")
                .replace("${spie.data-dir}", dataDir.toString().replace(File.separatorChar, '/'));

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WriteDuringShutdown.class.getName(), url)
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child process ended").isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(output).contains("written during shutdown");
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM probe")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the row written during shutdown").isEqualTo(1);
        }
    }
}
