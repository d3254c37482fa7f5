package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.privacy.SubjectKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
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
        delivered(key, purpose, at, "rsa-caf-to-cd");
    }

    void delivered(String key, String purpose, Instant at, String routeId) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (recorded_at, event_type, "
                     + "exchange_id, actor, source_partner, recipient, record_type, route_id, purpose, "
                     + "legal_basis_type, subject_pseudonym) VALUES (?, 'DELIVERED', ?, 'gateway', 'caf-51', 'cd-51', "
                     + "'rsa-situation', ?, ?, 'legal-obligation', ?)")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, UUID.randomUUID());
            ps.setString(3, routeId);
            ps.setString(4, purpose);
            ps.setString(5, PSEUDONYMS.pseudonym(key));
            ps.executeUpdate();
        }
    }

    SpieCliTest.Run report(String... options) {
        return report(Map.of(), options);
    }

    SpieCliTest.Run report(Map<String, String> env, String... options) {
        return reportWith(SpieCliTest.REPO_CONFIG, env, options);
    }

    SpieCliTest.Run reportWith(Path config, Map<String, String> env, String... options) {
        String[] args = new String[options.length + 6];
        args[0] = "audit";
        args[1] = "report";
        args[2] = "--data-dir";
        args[3] = dataDir.toString();
        args[4] = "--config";
        args[5] = config.toString();
        System.arraycopy(options, 0, args, 6, options.length);
        return SpieCliTest.run(env, args);
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

        // the consultation is on the record, as the API's: actor, pseudonym, kinds and counts, never the identity
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT actor, subject_pseudonym, detail "
                     + "FROM audit_event WHERE event_type = 'PERSON_REPORT_PRODUCED'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("actor")).startsWith("cli:");
            assertThat(SubjectKey.searchKeysOf(JSON.readTree("{\"identifiers\": [{\"scheme\": \"caf-matricule\", "
                    + "\"value\": \"2055990\", \"issuer\": \"CAF 511\"}]}")).stream().map(PSEUDONYMS::pseudonym))
                    .contains(rs.getString("subject_pseudonym"));
            assertThat(rs.getString("detail")).isEqualTo("searched by numéro d'allocataire CAF; 1 deliveries reported "
                    + "(audit report, command line)").doesNotContain("2055990");
            assertThat(rs.next()).isFalse();
        }
    }

    /** Deliveries of the person for an inquiry kept secret, a follow-up told after 30 days, and an orientation. */
    private void secretRecentAndToldDeliveries() throws Exception {
        delivered("nir:1850551108031", "fraud-inquiry", Instant.now().minus(Duration.ofDays(1)));
        delivered("nir:1850551108031", "rsa-follow-up", Instant.now().minus(Duration.ofDays(2)));
        delivered("nir:1850551108031", "rsa-orientation", Instant.parse("2025-03-03T06:20:02Z"));
    }

    private static void assertOnlyTheOrientationIsToldAndTheFollowUpCounted(SpieCliTest.Run run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.path("entries")).singleElement()
                .satisfies(e -> assertThat(e.path("purpose").asString())
                        .isEqualTo("l'orientation des bénéficiaires du RSA"));
        assertThat(report.path("withheld").asInt()).isEqualTo(1);
        assertThat(report.path("text").asString()).doesNotContain("fraud");
    }

    @Test
    void thePurposesTheGatewayHidesOrDelaysAreHiddenOrDelayedHereToo() throws Exception {
        secretRecentAndToldDeliveries();

        SpieCliTest.Run run = report(Map.of("SPIE_AUDIT_PERSONREPORT_HIDDENPURPOSES", "fraud-inquiry",
                "SPIE_AUDIT_PERSONREPORT_DELAYEDPURPOSES", "{'rsa-follow-up':'P30D'}"), "--nir", "1850551108031",
                "--json");

        assertOnlyTheOrientationIsToldAndTheFollowUpCounted(run);
    }

    @Test
    void thePurposesOfTheGatewaysApplicationYmlAreHonoured() throws Exception {
        secretRecentAndToldDeliveries();
        Path settings = dataDir.resolve("application.yml");
        Files.writeString(settings, """
                spie:
                  data-dir: /var/lib/spie
                  audit:
                    person-report:
                      hidden-purposes: fraud-inquiry, other-inquiry
                      delayed-purposes: "{'rsa-follow-up': 'P30D'}"
                """);

        assertOnlyTheOrientationIsToldAndTheFollowUpCounted(report("--settings", settings.toString(),
                "--nir", "1850551108031", "--json"));
    }

    /**
     * The gateway runs with its settings in a profile file under spring.config.location: the command reads them as the
     * gateway's start-up does. Before: only the environment's and the working directory's files were read, and the
     * inquiry the gateway hides was told.
     */
    @Test
    void thePurposesOfTheGatewaysProfileFileUnderItsConfigLocationAreHonoured() throws Exception {
        secretRecentAndToldDeliveries();
        Path settings = Files.createDirectories(dataDir.resolve("etc"));
        Files.writeString(settings.resolve("application.yml"), "spie:\n  data-dir: /var/lib/spie\n");
        Files.writeString(settings.resolve("application-production.yml"), """
                spie:
                  audit:
                    person-report:
                      hidden-purposes: fraud-inquiry, other-inquiry
                      delayed-purposes: "{'rsa-follow-up': 'P30D'}"
                """);

        SpieCliTest.Run run = report(Map.of("SPRING_CONFIG_LOCATION", settings.toUri().toString(),
                "SPRING_PROFILES_ACTIVE", "production"), "--nir", "1850551108031", "--json");

        assertOnlyTheOrientationIsToldAndTheFollowUpCounted(run);
        assertThat(run.err()).contains("application-production.yml");
    }

    /** The gateway's --NAME=value settings are taken after the command's options, as on the gateway's command line. */
    @Test
    void thePurposesGivenAsTheGatewaysCommandLineSettingsAreHonoured() throws Exception {
        secretRecentAndToldDeliveries();

        SpieCliTest.Run run = report("--nir", "1850551108031", "--json",
                "--spie.audit.person-report.hidden-purposes=fraud-inquiry",
                "--spie.audit.person-report.delayed-purposes={'rsa-follow-up':'P30D'}");

        assertOnlyTheOrientationIsToldAndTheFollowUpCounted(run);
        assertThat(run.err()).contains("from setting --spie.audit.person-report.hidden-purposes");
    }

    /** A mistyped option of the command is not taken for a gateway's setting: the purpose would be told. */
    @Test
    void aMistypedOptionIsRefusedNotTakenForASetting() throws Exception {
        secretRecentAndToldDeliveries();

        SpieCliTest.Run run = report("--nir", "1850551108031", "--hiden-purpose=fraud-inquiry");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option '--hiden-purpose'").contains("did you mean --hidden-purpose?");
        assertThat(run.out()).isEmpty();
    }

    /** A purpose written as a YAML list has no value for the gateway, which refuses to start: so does the command. */
    @Test
    void aPurposeListTheGatewayWouldRefuseIsRefused() throws Exception {
        secretRecentAndToldDeliveries();
        Path settings = dataDir.resolve("application.yml");
        Files.writeString(settings, """
                spie:
                  audit:
                    person-report:
                      hidden-purposes: [fraud-inquiry]
                """);

        SpieCliTest.Run run = report("--settings", settings.toString(), "--nir", "1850551108031");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("write it as one string");
        assertThat(run.out()).isEmpty();
    }

    /**
     * The config files' placeholders read the gateway's settings as its start-up does (here SPRING_APPLICATION_JSON):
     * the report's event carries the version of the configuration the gateway runs. Before: they read the environment
     * variables only, and the variables were said to be missing.
     */
    @Test
    void thePlaceholdersReadTheGatewaysSettings() throws Exception {
        delivered("nir:1850551108031", "rsa-orientation", Instant.parse("2025-03-03T06:20:02Z"),
                "rsa-caf-to-cd-and-ml");
        Path config = Path.of("src/test/resources/test-config");
        Map<String, String> env = Map.of("SPRING_APPLICATION_JSON", "{\"TEST_URL_CD_51\": \"https://cd51.test/in\", "
                + "\"TEST_URL_FT_51\": \"https://ft51.test/in\", \"TEST_URL_ML_REIMS\": \"https://ml.test/in\"}");

        SpieCliTest.Run run = reportWith(config, env, "--nir", "1850551108031");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("TEST_URL_CD_51");
        String checked = SpieCliTest.run(env, "config", "check", config.toString()).out();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT config_version FROM audit_event "
                     + "WHERE event_type = 'PERSON_REPORT_PRODUCED'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("config_version")).isNotNull();
            assertThat(checked).contains("version " + rs.getString("config_version").trim().substring(0, 12));
        }
    }

    /** Without --config, the configuration is the gateway's spie.config-dir (SPIE_CONFIG_DIR), not ./config. */
    @Test
    void withoutConfigTheGatewaysConfigDirectoryNamesTheOrganisations() throws Exception {
        delivered("nir:1850551108031", "rsa-orientation", Instant.parse("2025-03-03T06:20:02Z"));

        SpieCliTest.Run run = SpieCliTest.run(Map.of("SPIE_CONFIG_DIR", SpieCliTest.REPO_CONFIG.toString()),
                "audit", "report", "--data-dir", dataDir.toString(), "--nir", "1850551108031");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("no usable configuration");
        assertThat(run.out()).contains("Conseil départemental de la Marne a reçu")
                .contains("transmis(e) par CAF de la Marne");
    }

    /**
     * The gateway keeps its pseudonym key where spie.privacy.key-file says: the command reads it there. Before: only
     * under the data directory, and refused.
     */
    @Test
    void thePseudonymKeyIsReadWhereTheGatewaysSettingsKeepIt() throws Exception {
        delivered("nir:1850551108031", "rsa-orientation", Instant.parse("2025-03-03T06:20:02Z"));
        Path keyFile = Files.move(dataDir.resolve("keys").resolve("pseudonym.key"), dataDir.resolve("secret.key"));

        SpieCliTest.Run run = report("--nir", "1850551108031", "--json", "--spie.privacy.key-file=" + keyFile);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(JSON.readTree(run.out()).path("entries")).hasSize(1);
    }

    /**
     * The gateway's settings name another database (here PostgreSQL): the data directory's H2 file is not its
     * database, and a report from it would miss deliveries. Before: read, and told.
     */
    @Test
    void aDataDirectorysDatabaseIsNotReadWhenTheGatewaysSettingsNameAnother() throws Exception {
        delivered("nir:1850551108031", "rsa-orientation", Instant.parse("2025-03-03T06:20:02Z"));

        SpieCliTest.Run run = report(Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example:5432/spie"),
                "--nir", "1850551108031");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("spring.datasource.url", "--jdbc-url").doesNotContain("db.example");
        assertThat(run.out()).isEmpty();
        assertThat(report("--nir", "1850551108031", "--jdbc-url", url).exitCode()).isZero();
    }

    /**
     * The gateway's configuration names variables the operator's shell does not have (delivery URLs, secrets, "always
     * from the environment"): the person is still told the organisations' names and the legal basis references.
     */
    @Test
    void organisationsAreNamedWhenTheConfigurationNeedsVariablesTheShellLacks() throws Exception {
        delivered("nir:1850551108031", "rsa-orientation", Instant.parse("2025-03-03T06:20:02Z"),
                "rsa-caf-to-cd-and-ml");

        SpieCliTest.Run run = reportWith(Path.of("src/test/resources/test-config"), Map.of(), "--nir",
                "1850551108031");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Conseil départemental de la Marne (test) a reçu votre situation au regard du "
                + "RSA, transmis(e) par CAF de la Marne (test), pour l'orientation des bénéficiaires du RSA. "
                + "Fondement : une obligation légale (CASF art. L262-40).");
        assertThat(run.err()).contains("TEST_URL_CD_51");
        // the version of the configuration read without those values would name a configuration no gateway runs
        // (the version covers the values of the placeholders). Before: the version of that partial configuration
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT config_version FROM audit_event "
                     + "WHERE event_type = 'PERSON_REPORT_PRODUCED'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("config_version")).isNull();
        }
    }

    /** With every variable of the configuration, the report's event carries its version, as config check prints it. */
    @Test
    void theReportsEventCarriesTheVersionOfACompleteConfiguration() throws Exception {
        delivered("nir:1850551108031", "rsa-orientation", Instant.parse("2025-03-03T06:20:02Z"));

        SpieCliTest.Run run = report("--nir", "1850551108031");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String checked = SpieCliTest.run("config", "check", SpieCliTest.REPO_CONFIG.toString()).out();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT config_version FROM audit_event "
                     + "WHERE event_type = 'PERSON_REPORT_PRODUCED'")) {
            assertThat(rs.next()).isTrue();
            assertThat(checked).contains("version " + rs.getString("config_version").trim().substring(0, 12));
        }
    }

    /**
     * A delay written as the PKI's options write them (30d) is a command-line mistake, named with the form it takes.
     * Before: "report failed: Text cannot be parsed to a Duration", exit 1.
     */
    @Test
    void aDelayThatIsNotAnIsoDurationIsACommandLineMistake() throws Exception {
        secretRecentAndToldDeliveries();

        SpieCliTest.Run run = report("--nir", "1850551108031", "--delayed-purpose", "rsa-inquiry=30d");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--delayed-purpose rsa-inquiry=30d: the delay must be an ISO-8601 duration",
                "rsa-inquiry=P30D").doesNotContain("Text cannot be parsed");
        assertThat(run.out()).isEmpty();
        assertThat(reportsProduced()).isZero();
    }

    /**
     * A file that is not the gateway's pseudonym key (here its ledger key, a PEM) is said to be so, with where the key
     * is; exit 2 as for no key. Before: "report failed: Illegal base64 character 2d", exit 1; a file that is not
     * UTF-8 said "report failed: Input length = 1".
     */
    @Test
    void aFileThatIsNotAPseudonymKeyIsSaidToBeSo() throws Exception {
        Path pem = Files.writeString(dataDir.resolve("ledger-public-key.pem"),
                "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAi25bz6wNJNW/0uVJoPwqpiAjWczTygWEvCGO5nlKTDA=\n"
                        + "-----END PUBLIC KEY-----\n");
        Path binary = Files.write(dataDir.resolve("binary.key"), new byte[]{(byte) 0xFF, (byte) 0xFE, 0x00});

        SpieCliTest.Run pemRun = report("--nir", "1850551108031", "--pseudonym-key-file", pem.toString());
        SpieCliTest.Run binaryRun = report("--nir", "1850551108031", "--pseudonym-key-file", binary.toString());

        assertThat(pemRun.exitCode()).isEqualTo(2);
        assertThat(pemRun.err()).contains(pem + " is not a pseudonym key (the base64 text of at least 32 bytes",
                "--pseudonym-key-file").doesNotContain("Illegal base64");
        assertThat(binaryRun.exitCode()).isEqualTo(2);
        assertThat(binaryRun.err()).contains("cannot read the pseudonym key " + binary + ": not UTF-8 text");
        assertThat(reportsProduced()).isZero();
    }

    private int reportsProduced() throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM audit_event "
                     + "WHERE event_type = 'PERSON_REPORT_PRODUCED'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
