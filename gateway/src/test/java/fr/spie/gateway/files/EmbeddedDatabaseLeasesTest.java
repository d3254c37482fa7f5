package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.cluster.InstanceId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * On the embedded database, the leases a previous run left are given back at start-up, but not the ones this run
 * already took: the web server answers before the application has started, so an upload may be recorded (with this
 * instance's first lease) and be read by a file worker before the leases are given back.
 */
class EmbeddedDatabaseLeasesTest {
    private static final String THIS_RUN = "gw-1-3fa9c2";

    @Test
    void theLeasesOfAPreviousRunAreGivenBackButNotThoseThisRunAlreadyHolds() {
        DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:embedded-leases-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/h2").load()
                .migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        UUID leftByACrash = file(jdbc, "gw-1-81be07");
        UUID beingReadNow = file(jdbc, THIS_RUN);

        int released = new EmbeddedDatabaseLeases(dataSource, jdbc, new InstanceId(THIS_RUN)).releaseLeftOverLeases();

        assertThat(released).isEqualTo(1);
        assertThat(holder(jdbc, leftByACrash)).isNull();
        assertThat(holder(jdbc, beingReadNow)).as("this run's lease: its worker keeps writing to the file")
                .isEqualTo(THIS_RUN);
    }

    private static UUID file(JdbcTemplate jdbc, String leaseHolder) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO received_file (file_id, partner, digest, size_bytes, format, channel, status, "
                + "received_at, store_id, stored_by, lease_holder, lease_until) VALUES (?, 'caf-51', ?, 1, "
                + "'cnaf-vrsb0801', 'UPLOAD', 'PROCESSING', ?, 'store-1', ?, ?, ?)", id, "0".repeat(64),
                Timestamp.from(Instant.now()), leaseHolder, leaseHolder, Timestamp.from(Instant.now().plusSeconds(60)));
        return id;
    }

    private static String holder(JdbcTemplate jdbc, UUID fileId) {
        return jdbc.queryForObject("SELECT lease_holder FROM received_file WHERE file_id = ?", String.class, fileId);
    }
}
