package fr.spie.gateway.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.outbound.FranceTravailAppointments;
import fr.spie.gateway.privacy.Digests;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * France Travail's appointment ids (ft_appointment) are deleted once unused for
 * spie.retention.france-travail-appointments, on the gateway's H2 with its migrations
 * (FranceTravailAppointmentRetentionPostgresTest: the same on PostgreSQL).
 */
class FranceTravailAppointmentRetentionTest {
    static final Duration PERIOD = Duration.ofDays(400);

    DataSource dataSource;
    JdbcTemplate jdbc;
    FranceTravailAppointments appointments;

    @BeforeEach
    void database() {
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:ft-appointment-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        jdbc = new JdbcTemplate(dataSource);
        appointments = new FranceTravailAppointments(jdbc);
    }

    private void migrate(String target) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/h2")
                .target(target).load().migrate();
    }

    @Test
    void anIdUsedWithinThePeriodIsKeptAndOneUnusedBeyondItIsDeleted() {
        migrate("latest");
        Instant now = Instant.now();
        appointments.remember("ft-51", "cd-51", "RDV-OLD", "ft-old");
        appointments.remember("ft-51", "cd-51", "RDV-UPDATED", "ft-updated");
        appointments.remember("ft-51", "cd-51", "RDV-RECENT", "ft-recent");
        lastUsed("RDV-OLD", now.minus(PERIOD).minusSeconds(1));
        // created long ago, updated within the period: what counts is the last use
        jdbc.update("UPDATE ft_appointment SET created_at = ? WHERE appointment_digest = ?",
                Timestamp.from(now.minus(Duration.ofDays(900))), Digests.sha256Hex("RDV-UPDATED"));
        lastUsed("RDV-UPDATED", now.minus(PERIOD).plusSeconds(60));

        int deleted = retention(PERIOD).purge(now);

        assertThat(deleted).isOne();
        assertThat(appointments.franceTravailId("ft-51", "cd-51", "RDV-OLD")).isEmpty();
        assertThat(appointments.franceTravailId("ft-51", "cd-51", "RDV-UPDATED")).contains("ft-updated");
        assertThat(appointments.franceTravailId("ft-51", "cd-51", "RDV-RECENT")).contains("ft-recent");
        assertThat(retention(PERIOD).purge(now.plus(Duration.ofDays(1)))).as("its day comes").isOne();
        assertThat(appointments.franceTravailId("ft-51", "cd-51", "RDV-UPDATED")).isEmpty();
    }

    @Test
    void moreIdsThanABatchAreAllDeletedInOneRun() {
        migrate("latest");
        Timestamp old = Timestamp.from(Instant.now().minus(Duration.ofDays(500)));
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 1203; i++) {
            rows.add(new Object[] {Digests.sha256Hex("RDV-" + i), "ft-" + i, old, old});
        }
        jdbc.batchUpdate("INSERT INTO ft_appointment (recipient, source_partner, appointment_digest, ft_id, created_at,"
                + " last_used_at) VALUES ('ft-51', 'cd-51', ?, ?, ?, ?)", rows);
        appointments.remember("ft-51", "cd-51", "RDV-RECENT", "ft-recent");

        assertThat(retention(PERIOD).purge(Instant.now())).isEqualTo(1203);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ft_appointment", Long.class)).isOne();
    }

    @Test
    void zeroKeepsEveryIdForEver() {
        migrate("latest");
        appointments.remember("ft-51", "cd-51", "RDV-1", "ft-1");
        lastUsed("RDV-1", Instant.now().minus(Duration.ofDays(3650)));

        assertThat(retention(Duration.ZERO).purge(Instant.now())).isZero();
        assertThat(appointments.franceTravailId("ft-51", "cd-51", "RDV-1")).contains("ft-1");
    }

    @Test
    void aNegativeRetentionIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> retention(Duration.ofDays(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spie.retention.france-travail-appointments must not be negative");
    }

    @Test
    void anAcknowledgedPutStartsTheRetentionAgainAndWritesBackAnIdDeletedMeanwhile() {
        migrate("latest");
        appointments.remember("ft-51", "cd-51", "RDV-1", "ft-1");
        Instant longAgo = Instant.now().minus(Duration.ofDays(399));
        lastUsed("RDV-1", longAgo);

        appointments.used("ft-51", "cd-51", "RDV-1", "ft-1");

        assertThat(lastUsed("RDV-1")).isAfter(longAgo.plus(Duration.ofDays(398)));
        assertThat(retention(PERIOD).purge(Instant.now().plus(Duration.ofDays(2)))).isZero();
        // the retention job deleted the row between the read of the id and France Travail's answer to the PUT
        jdbc.update("DELETE FROM ft_appointment");
        appointments.used("ft-51", "cd-51", "RDV-1", "ft-1");
        assertThat(appointments.franceTravailId("ft-51", "cd-51", "RDV-1")).contains("ft-1");
    }

    @Test
    void theIdsKeptBeforeTheMigrationWereLastUsedWhenCreated() {
        migrate("11");
        Instant created = Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.MILLIS);
        jdbc.update("INSERT INTO ft_appointment (recipient, source_partner, appointment_digest, ft_id, created_at)"
                + " VALUES ('ft-51', 'cd-51', ?, 'ft-1', ?)", Digests.sha256Hex("RDV-1"), Timestamp.from(created));

        migrate("latest");

        assertThat(lastUsed("RDV-1")).isEqualTo(created);
        assertThatThrownBy(() -> jdbc.update("INSERT INTO ft_appointment (recipient, source_partner,"
                + " appointment_digest, ft_id, created_at) VALUES ('ft-51', 'cd-51', ?, 'ft-2', ?)",
                Digests.sha256Hex("RDV-2"), Timestamp.from(created))).as("last_used_at is required")
                .isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
    }

    private FranceTravailAppointmentRetention retention(Duration period) {
        return new FranceTravailAppointmentRetention(appointments, period);
    }

    private void lastUsed(String appointmentId, Instant at) {
        assertThat(jdbc.update("UPDATE ft_appointment SET last_used_at = ? WHERE appointment_digest = ?",
                Timestamp.from(at), Digests.sha256Hex(appointmentId))).isOne();
    }

    private Instant lastUsed(String appointmentId) {
        return jdbc.queryForObject("SELECT last_used_at FROM ft_appointment WHERE appointment_digest = ?",
                Timestamp.class, Digests.sha256Hex(appointmentId)).toInstant();
    }
}
