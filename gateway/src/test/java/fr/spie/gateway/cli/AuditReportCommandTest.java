package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.privacy.Pseudonymizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code audit report} on a data directory (an H2 database with the gateway's schema and a pseudonym key): the same
 * report as {@code POST /api/v1/audit/persons/report}.
 */
class AuditReportCommandTest {
    private static final byte[] KEY = new byte[32];
    private static final Pseudonymizer PSEUDONYMS = new Pseudonymizer(KEY);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    private String url;

    @BeforeEach
    void dataDirectory() throws Exception {
        Files.createDirectories(dataDir.resolve("keys"));
        Files.writeString(dataDir.resolve("keys").resolve("pseudonym.key"), Base64.getEncoder().encodeToString(KEY));
        url = "jdbc:h2:file:" + dataDir.resolve("db").resolve("spie").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration", "classpath:db/vendor/h2")
                .load().migrate();
    }

    /** A delivery of a record about the person whose subject key is {@code key}, as the gateway audits it. */
    void delivered(String key, String purpose, Instant at) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (recorded_at, event_type, "
                     + "exchange_id, actor, source_partner, recipient, record_type, route_id, purpose, "
                     + "legal_basis_type, subject_pseudonym) VALUES (?, 'DELIVERED', ?, 'gateway', 'caf-51', 'cd-51', "
                     + "'rsa-situation', 'rsa-caf-to-cd', ?, 'legal-obligation', ?)")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, UUID.randomUUID());
            ps.setString(3, purpose);
            ps.setString(4, PSEUDONYMS.pseudonym(key));
            ps.executeUpdate();
        }
    }

    SpieCliTest.Run report(String... options) {
        String[] args = new String[options.length + 6];
        args[0] = "audit";
        args[1] = "report";
        args[2] = "--data-dir";
        args[3] = dataDir.toString();
        args[4] = "--config";
        args[5] = SpieCliTest.REPO_CONFIG.toString();
        System.arraycopy(options, 0, args, 6, options.length);
        return SpieCliTest.run(args);
    }

    @Test
    void theKindsOfKeysSearchedAreWordedAsInTheApisReport() throws Exception {
        delivered("id:caf-matricule@CAF511:2055990", "rsa-orientation", Instant.parse("2025-03-03T06:20:02Z"));

        SpieCliTest.Run run = report("--identifier", "caf-matricule@CAF 511:2055990", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.path("entries")).hasSize(1);
        assertThat(report.path("searchedBy").get(0).asString()).isEqualTo("numéro d'allocataire CAF");
        assertThat(report.path("text").asString()).contains("recherché(e) par : numéro d'allocataire CAF.");
    }
}
