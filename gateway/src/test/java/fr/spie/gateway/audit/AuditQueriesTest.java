package fr.spie.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The auditor's event query on the audit trail's table. */
class AuditQueriesTest {
    private JdbcTemplate jdbc;

    @BeforeEach
    void database() {
        jdbc = new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:mem:audit-queries-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"));
        jdbc.execute("RUNSCRIPT FROM 'classpath:db/migration/V1__exchanges_deliveries_audit.sql'");
        for (String pseudonym : new String[] {"a", "b", "c", "a"}) {
            jdbc.update("INSERT INTO audit_event (recorded_at, event_type, actor, subject_pseudonym) "
                    + "VALUES (CURRENT_TIMESTAMP, 'DELIVERED', 'gateway', ?)", pseudonym.repeat(64));
        }
    }

    @Test
    void aPersonNamedByTheirNamesIsEveryOneOfTheirPseudonyms() {
        List<AuditEvent> events = new AuditQueries(jdbc).find(new AuditQueries.AuditFilter(null, null,
                List.of("a".repeat(64), "b".repeat(64)), null, null, null, null), 0, 100);

        assertThat(events).extracting(AuditEvent::sequence).containsExactly(1L, 2L, 4L);
    }
}
