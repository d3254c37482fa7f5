package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lease timer's round against a file this instance has just finished: {@code done} (or the instance's own
 * quarantine) clears the lease in the database a moment before the worker stops renewing it. A renewal that falls in
 * between finds no lease; that is no takeover and must not be logged as one.
 */
@ExtendWith(OutputCaptureExtension.class)
class FileLeaseRenewalTest {
    private static final String INSTANCE = "gw-1-3fa9c2";

    JdbcTemplate jdbc;
    FileLeases leases;

    @BeforeEach
    void database() {
        DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:lease-renewal-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/h2").load()
                .migrate();
        jdbc = new JdbcTemplate(dataSource);
        ReceivedFileStore store = new ReceivedFileStore(jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), null);
        // the timer's own rounds are an hour apart: the test runs the rounds
        leases = new FileLeases(store, INSTANCE, Duration.ofHours(3), Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        leases.close();
    }

    private UUID claimed() {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO received_file (file_id, partner, digest, size_bytes, format, channel, status, "
                + "received_at, store_id, stored_by) VALUES (?, 'caf-51', ?, 1, 'cnaf-vrsb0801', 'UPLOAD', "
                + "'RECEIVED', ?, 'store-1', ?)", id, "0".repeat(64), Timestamp.from(Instant.now()), INSTANCE);
        assertThat(leases.claim(id)).isTrue();
        return id;
    }

    /** What {@link ReceivedFileStore#done} and the holder's quarantine write: the end, and no lease. */
    private void finish(UUID id, String status, String reason) {
        jdbc.update("UPDATE received_file SET status = ?, quarantine_reason = ?, finished_at = CURRENT_TIMESTAMP, "
                + "lease_holder = NULL, lease_until = NULL WHERE file_id = ?", status, reason, id);
    }

    @Test
    void aFileThisInstanceJustFinishedIsNotReportedAsTakenOver(CapturedOutput output) {
        UUID done = claimed();
        UUID quarantined = claimed();
        finish(done, "DONE", null);
        finish(quarantined, "QUARANTINED", "the file is empty (0 bytes)");

        leases.renewAll();

        assertThat(output.getAll()).doesNotContain("lost its lease", "took it over", "quarantined meanwhile");
        assertThat(leases.holds(done)).isFalse();
        assertThat(leases.holds(quarantined)).isFalse();
    }

    @Test
    void aLeaseAnotherInstanceTookOverIsStillReported(CapturedOutput output) {
        UUID id = claimed();
        jdbc.update("UPDATE received_file SET status = 'PROCESSING', lease_holder = 'gw-2-81be07' WHERE file_id = ?",
                id);

        leases.renewAll();

        assertThat(output.getAll()).contains("file " + id + ": this instance (" + INSTANCE + ") lost its lease on it, "
                + "another instance took it over");
        assertThat(leases.holds(id)).isFalse();

        UUID byAnAdmin = claimed(); // its lease expired meanwhile (a long pause), then an administrator quarantined it
        finish(byAnAdmin, "QUARANTINED", ReceivedFileStore.QUARANTINED_BY_ADMIN);
        leases.renewAll();
        assertThat(output.getAll()).contains("file " + byAnAdmin + ": this instance (" + INSTANCE + ") lost its lease "
                + "on it, the file was quarantined meanwhile by an administrator");
    }
}
