package fr.spie.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.it.prod.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The plans PostgreSQL keeps for a delivery's own look-up ({@code exchange_id = ? AND recipient = ?}, several times
 * per exchange: the outbox's mark, the attempt's read and its record). The JDBC driver prepares a statement on the
 * server once it has run five times, and PostgreSQL then keeps a generic plan for the connection, made whatever the
 * table holds at that moment: on a new database, a nearly empty table. Such a plan must use the primary key; one that
 * scans the recipient's deliveries costs a page per delivery of that recipient, until autovacuum first analyses the
 * table (measured: ~1,000 pages per look-up after a minute of load, docs/performance.md).
 */
class DeliveryLookupPlanPostgresTest {
    private static final String[] LOOK_UPS = {
        "UPDATE delivery SET enqueued = TRUE WHERE exchange_id = $1 AND recipient = $2",
        "UPDATE delivery SET attempts = attempts + 1, status = 'DELIVERED' WHERE exchange_id = $1 AND recipient = $2",
        "SELECT e.*, p.envelope, d.route_id, d.status, d.attempts FROM delivery d "
                + "JOIN exchange e ON e.exchange_id = d.exchange_id "
                + "JOIN exchange_payload p ON p.exchange_id = d.exchange_id "
                + "WHERE d.exchange_id = $1 AND d.recipient = $2",
        "SELECT * FROM delivery WHERE exchange_id = $1 AND recipient = $2",
    };

    private static PostgresServer postgres;
    private static SimpleDriverDataSource dataSource;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start(PostgresServer.newDirectory("pg"));
        String url = postgres.createDatabase("delivery_plans");
        dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), url, PostgresServer.USER, "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/postgresql")
                .load().migrate();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theLookUpOfOneDeliveryUsesThePrimaryKeyEvenInAPlanMadeOnAnEmptyOrUnanalysedTable() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            assertLookUpsUseThePrimaryKey(s, "a new, empty table");
            s.execute("INSERT INTO exchange (exchange_id, source_partner, record_type, schema_version, purpose, "
                    + "legal_basis_type, content_digest, payload_digest, config_version, received_at) "
                    + "SELECT gen_random_uuid(), 'caf-51', 'rsa-situation', '1.0', 'rsa-orientation', "
                    + "'public-task', repeat('0', 64), repeat('0', 64), repeat('0', 64), now() "
                    + "FROM generate_series(1, 3000)");
            s.execute("INSERT INTO delivery (exchange_id, recipient, route_id, status, attempts, enqueued, created_at, "
                    + "updated_at) SELECT exchange_id, 'cd-51', 'rsa-to-departement', 'PENDING', 0, FALSE, now(), now() "
                    + "FROM exchange");
            assertLookUpsUseThePrimaryKey(s, "3,000 deliveries to one recipient, not analysed yet");
        }
    }

    @Test
    void theListOfEveryRecipientsDeadLettersCanUseTheIndexByStatus() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET enable_seqscan = off");
            String plan = plan(s, "EXPLAIN SELECT exchange_id FROM delivery WHERE status = 'DEAD_LETTERED' "
                    + "ORDER BY updated_at");
            assertThat(plan).contains("delivery_status_recipient").doesNotContain("Seq Scan");
        }
    }

    private static void assertLookUpsUseThePrimaryKey(Statement s, String table) throws SQLException {
        for (int i = 0; i < LOOK_UPS.length; i++) {
            String name = "look_up_" + i + "_" + System.nanoTime();
            s.execute("PREPARE " + name + " (uuid, varchar) AS " + LOOK_UPS[i]);
            String plan = plan(s, "EXPLAIN EXECUTE " + name + "('00000000-0000-4000-8000-000000000001', 'cd-51')");
            s.execute("DEALLOCATE " + name);
            assertThat(plan).as("%s, generic plan of: %s", table, LOOK_UPS[i])
                    .contains("delivery_pkey").doesNotContain("delivery_status_recipient")
                    .doesNotContain("Seq Scan on delivery");
        }
    }

    private static String plan(Statement s, String explain) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(explain)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return String.join("\n", lines);
    }
}
