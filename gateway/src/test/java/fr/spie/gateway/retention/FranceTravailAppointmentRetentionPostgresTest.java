package fr.spie.gateway.retention;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.it.prod.PostgresServer;
import fr.spie.gateway.outbound.FranceTravailAppointments;
import fr.spie.gateway.privacy.Digests;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** France Travail's appointment ids on a real PostgreSQL: the V12 migration of existing rows, the batched deletion. */
class FranceTravailAppointmentRetentionPostgresTest {
    private static PostgresServer postgres;
    private static SimpleDriverDataSource dataSource;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start(PostgresServer.newDirectory("pg"));
        dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.createDatabase("ft_appointment"),
                PostgresServer.USER, "");
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static void migrate(String target) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/postgresql")
                .target(target).load().migrate();
    }

    @Test
    void theIdsKeptBeforeV12TakeTheirCreationAndThoseUnusedForTheRetentionAreDeletedInBatches() {
        migrate("11");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Timestamp recent = Timestamp.from(now.minus(Duration.ofDays(30)));
        Timestamp old = Timestamp.from(now.minus(Duration.ofDays(500)));
        jdbc.update("INSERT INTO ft_appointment (recipient, source_partner, appointment_digest, ft_id, created_at)"
                + " VALUES ('ft-51', 'cd-51', ?, 'ft-recent', ?)", Digests.sha256Hex("RDV-RECENT"), recent);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 1203; i++) {
            rows.add(new Object[] {Digests.sha256Hex("RDV-" + i), "ft-" + i, old});
        }
        jdbc.batchUpdate("INSERT INTO ft_appointment (recipient, source_partner, appointment_digest, ft_id, created_at)"
                + " VALUES ('ft-51', 'cd-51', ?, ?, ?)", rows);

        migrate("latest");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ft_appointment WHERE last_used_at = created_at",
                Long.class)).isEqualTo(1204);
        FranceTravailAppointments appointments = new FranceTravailAppointments(jdbc);
        appointments.used("ft-51", "cd-51", "RDV-7", "ft-7");   // a PUT acknowledged today
        int deleted = new FranceTravailAppointmentRetention(appointments, Duration.ofDays(400)).purge(now);

        assertThat(deleted).isEqualTo(1202);
        assertThat(jdbc.queryForList("SELECT ft_id FROM ft_appointment", String.class))
                .containsExactlyInAnyOrder("ft-recent", "ft-7");
    }
}
