package fr.spie.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.config.LegalBasis;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Who received data about a consent's person on a route that the consent could have released (audit trail). */
class DisclosedRecipientsTest {
    static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");
    static final String PERSON = "p".repeat(64);
    static final String ROUTE = "diag-to-ml";

    private JdbcTemplate jdbc;
    private Consent toTheDepartement;

    @BeforeEach
    void database() {
        jdbc = new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:mem:disclosed-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"));
        jdbc.execute("RUNSCRIPT FROM 'classpath:db/migration/V1__exchanges_deliveries_audit.sql'");
        jdbc.execute("RUNSCRIPT FROM 'classpath:db/migration/V4__consent.sql'");
        toTheDepartement = new Consent(UUID.randomUUID(), PERSON, List.of("cd-51"),
                List.of("ml-reims", "ml-epernay", "ml-chalons"), List.of("social-support"),
                List.of(new Consent.DataCategory("diagnostic", null)),
                new LegalBasis("consent", "RGPD art. 6(1)(a)"), new Consent.CollectedBy("cd-51", "ref-1"),
                "signed-form", "GED-1", "v1", NOW.minusSeconds(3600), null, NOW, "cd-51", List.of());
        jdbc.update("INSERT INTO consent (consent_id, subject_pseudonym, receipt, given_at, recorded_at, recorded_by) "
                + "VALUES (?, ?, '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'cd-51')", toTheDepartement.id(), PERSON);
        jdbc.update("INSERT INTO consent_subject (subject_pseudonym, consent_id) VALUES (?, ?)", PERSON,
                toTheDepartement.id());
    }

    private void delivered(String source, String recordType, String recipient) {
        jdbc.update("INSERT INTO audit_event (recorded_at, event_type, actor, source_partner, recipient, record_type, "
                + "route_id, subject_pseudonym) VALUES (CURRENT_TIMESTAMP, 'DELIVERED', 'gateway', ?, ?, ?, ?, ?)",
                source, recipient, recordType, ROUTE, PERSON);
    }

    /**
     * One route carries France Travail's and the département's diagnostics and orientations to the missions locales.
     * The Reims one received France Travail's diagnostic about the person (under a consent given to France Travail),
     * the Épernay one the département's orientation (under another consent): neither received anything the consent to
     * the département's diagnostics released, and a notice of its withdrawal would tell them of a consent given to
     * another organisation, or for other records, with the subject as given.
     */
    @Test
    void onlyARecordFromOneOfTheConsentsControllersOfOneOfItsRecordTypesIsADisclosureUnderIt() {
        delivered("ft-51", "diagnostic", "ml-reims");
        delivered("cd-51", "orientation", "ml-epernay");
        delivered("cd-51", "diagnostic", "ml-chalons");

        assertThat(new DisclosedRecipients(jdbc).amongst(toTheDepartement, ROUTE,
                List.of("ml-reims", "ml-epernay", "ml-chalons"))).containsExactly("ml-chalons");
    }
}
