package fr.spie.gateway.cli;

import fr.spie.gateway.IoErrorText;
import fr.spie.gateway.PlaceholderVariables;
import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.privacy.IdentifierArgument;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.privacy.SubjectKey;
import fr.spie.gateway.report.PersonAccessReport;
import fr.spie.gateway.report.PersonKeyKinds;
import fr.spie.gateway.report.PersonReportPolicy;
import fr.spie.gateway.report.PersonReportSettings;
import fr.spie.gateway.report.PersonReportWriter;
import fr.spie.gateway.report.UnusablePersonKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code spie-gateway audit report}: a person's access report, from the gateway's database, without the gateway. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Tell a person which organisations received which categories of their data, when, for what "
                + "purpose and on which legal basis (plain French), from the audit trail of a gateway's data "
                + "directory (embedded H2, or --jdbc-url). Every key given is searched. Same report as "
                + "POST /api/v1/audit/persons/report.", "",
                "The gateway's settings (spie.audit.person-report.*, spie.config-dir, spie.privacy.pseudonym-key and "
                        + "key-file) and the config files' $${NAME} placeholders are read as the gateway's start-up "
                        + "reads them, in its order: --NAME=value settings given after the options, as on the "
                        + "gateway's command line, SPRING_APPLICATION_JSON, JVM system properties (java -DNAME=value "
                        + "-jar ...), environment variables, then the application files (application.yml in the jar, "
                        + "then in the working directory and its config/ directory, or where spring.config.location "
                        + "says; with the profiles of spring.profiles.active). Standard error says which purposes are "
                        + "hidden or delayed, and from where."},
        customSynopsis = {"spie-gateway audit report [-hV] [--json] --data-dir=DIR [--config=DIR]",
                "    [--jdbc-url=URL] [--db-user=USER] [--db-password=PASSWORD]",
                "    [--pseudonym-key-file=FILE] [--settings=FILE]",
                "    (--nir=NIR | --identifier=SCHEME[@ISSUER]:VALUE... |",
                "     --birth-name=NAME --given-name=NAME --birth-date=YYYY-MM-DD [--sex=F|M])",
                "    [--hidden-purpose=PURPOSE]... [--delayed-purpose=PURPOSE=DURATION]...",
                "    [--NAME=value...]"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:report written", "1:the report failed, or the gateway's settings cannot be read",
                "2:invalid command line, or no usable pseudonym key found"})
final class AuditReportCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "the gateway's data directory (its spie.data-dir, given here: not read from its settings)")
    Path dataDir;

    @Option(names = "--config", paramLabel = "DIR",
            description = "routing configuration, for organisation names and legal basis references (default: the "
                    + "gateway's spie.config-dir, read from its settings as below, else config)")
    Path configDir;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "database URL (default: the embedded H2 database "
            + "of --data-dir; required when the gateway's spring.datasource.url names another database)")
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "sa", description = "database user (default sa)")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "", description = "database password")
    String password;

    @Option(names = "--pseudonym-key-file", paramLabel = "FILE",
            description = "the gateway's pseudonym key, base64 (default: the gateway's spie.privacy.pseudonym-key, "
                    + "else the file of its spie.privacy.key-file, else <data-dir>/keys/pseudonym.key)")
    Path keyFile;

    @Option(names = "--nir", paramLabel = "NIR", description = "the person's NIR (13 or 15 characters)")
    String nir;

    @Option(names = "--identifier", paramLabel = "SCHEME[@ISSUER]:VALUE",
            description = "a partner identifier, e.g. caf-matricule@CAF 511:2055990 (repeatable). A CAF or MSA "
                    + "matricule or a departement-id is unique within its issuer only: without @ISSUER, only the "
                    + "exchanges that gave none are found")
    List<String> identifiers = new ArrayList<>();

    @Option(names = "--birth-name", paramLabel = "NAME", description = "birth name (with --given-name, --birth-date)")
    String birthName;

    @Option(names = "--given-name", paramLabel = "NAME", description = "first given name")
    String givenName;

    @Option(names = "--birth-date", paramLabel = "YYYY-MM-DD", description = "birth date")
    String birthDate;

    @Option(names = "--sex", paramLabel = "F|M", description = "sex")
    String sex;

    @Option(names = "--settings", paramLabel = "FILE",
            description = "the gateway's application.yml or application.properties, read instead of the "
                    + "application files: the same as --spring.config.location=FILE")
    Path settingsFile;

    @Option(names = "--hidden-purpose", paramLabel = "PURPOSE",
            description = "a purpose never told, besides spie.audit.person-report.hidden-purposes (repeatable)")
    Set<String> hidden = new LinkedHashSet<>();

    @Option(names = "--delayed-purpose", paramLabel = "PURPOSE=DURATION",
            description = "a purpose told only after an ISO-8601 delay, e.g. rsa-inquiry=P30D, besides "
                    + "spie.audit.person-report.delayed-purposes (repeatable)")
    Map<String, String> delayed = new LinkedHashMap<>();

    /** The gateway's --NAME=value settings; anything else is a wrong command line. */
    @Unmatched
    List<String> settings = new ArrayList<>();

    private final StartupVariables variables;

    AuditReportCommand() {
        this(StartupVariables.ofProcess());
    }

    /** @param variables the gateway's settings and placeholder variables, read as its start-up reads them */
    AuditReportCommand(StartupVariables variables) {
        this.variables = variables;
    }

    @Option(names = "--json", description = "print the report as JSON (entries and text)")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> gatewaySettings = new ArrayList<>(StartupVariables.settings(spec.commandLine(), settings));
        if (settingsFile != null) {
            if (gatewaySettings.stream().anyMatch(s -> s.startsWith("--spring.config.location="))) {
                throw new ParameterException(spec.commandLine(),
                        "--settings and --spring.config.location name the same thing: give one");
            }
            gatewaySettings.add("--spring.config.location=" + settingsFile);
        }
        delays(); // a delay that is not one is refused before anything is read
        ObjectNode subject = JSON.createObjectNode();
        if (nir != null) {
            subject.put("nir", nir);
        }
        for (String identifier : identifiers) {
            if (!IdentifierArgument.addTo(subject, identifier)) {
                err.println("--identifier takes SCHEME[@ISSUER]:VALUE, e.g. caf-matricule@CAF 511:2055990");
                return 2;
            }
        }
        if (birthName != null) {
            subject.put("birthName", birthName);
        }
        if (givenName != null) {
            subject.putArray("givenNames").add(givenName);
        }
        if (birthDate != null) {
            subject.put("birthDate", birthDate);
        }
        if (sex != null) {
            subject.put("sex", sex);
        }
        List<IntakeRejection.FieldError> unusable = UnusablePersonKeys.of(subject);
        if (!unusable.isEmpty()) {
            // a key no exchange can carry finds nothing: the report would wrongly say nobody received anything
            err.println("a key given cannot name a person: " + (unusable.get(0).pointer().startsWith("/nir")
                    ? "--nir" : "--identifier") + " " + unusable.get(0).detail());
            return 2;
        }
        List<String> keys = SubjectKey.searchKeysOf(subject);
        if (keys.isEmpty()) {
            err.println("name the person: --nir, --identifier SCHEME:VALUE, or --birth-name + --given-name + "
                    + "--birth-date");
            return 2;
        }
        ConfigurableEnvironment gateway = variables.environmentOrExplain(gatewaySettings, err);
        if (gateway == null) {
            return 1;
        }
        if (jdbcUrl == null && !embeddedDatabase(gateway)) {
            // the data directory's H2 file, if there is one (left from before a move to PostgreSQL), is not the
            // gateway's database: the report would miss deliveries, and its own audit event would be lost
            err.println("the gateway's settings name a database other than the embedded one of a data directory "
                    + "(spring.datasource.url, from " + StartupVariables.originOf(gateway, "spring.datasource.url")
                    + "): give it as --jdbc-url, with --db-user and --db-password");
            return 2;
        }
        String configuredKey = keyFile == null ? gateway.getProperty("spie.privacy.pseudonym-key", "") : "";
        Path pseudonymKey = keyFile != null ? keyFile : keyFileOf(gateway);
        if (configuredKey.isBlank() && !Files.isRegularFile(pseudonymKey)) {
            err.println("no pseudonym key " + pseudonymKey + ": is " + dataDir + " the gateway's data directory "
                    + "(spie.data-dir)? Give --data-dir, or --pseudonym-key-file, or the gateway's settings that "
                    + "give its key (spie.privacy.pseudonym-key or spie.privacy.key-file)");
            return 2;
        }
        Pseudonymizer pseudonymizer = pseudonymizer(configuredKey, pseudonymKey, gateway, err);
        if (pseudonymizer == null) {
            return 2;
        }
        try {
            Set<String> pseudonyms = new LinkedHashSet<>();
            List<String> searchedBy = new ArrayList<>();
            for (String key : keys) {
                pseudonyms.add(pseudonymizer.pseudonym(key));
                searchedBy.add(PersonKeyKinds.of(key));
            }
            List<String> kinds = searchedBy.stream().distinct().toList();
            PersonReportPolicy policy = policy(gateway, err);
            GatewayConfig config = config(gateway, err);
            PersonAccessReport report;
            try (Connection c = DriverManager.getConnection(url(), user, password)) {
                report = new PersonReportWriter(policy).write(delivered(c, pseudonyms), kinds, config, Instant.now());
                // on the record before anyone reads it, as the API's reports are
                recordProduced(c, pseudonyms.iterator().next(), kinds, report, config.version());
            }
            out.print(json ? JSON.writeValueAsString(report) + System.lineSeparator() : report.text());
            out.flush();
            return 0;
        } catch (SQLException | RuntimeException e) {
            String inUse = EmbeddedDatabaseInUse.explain(e, dataDir,
                    "ask it for the report (POST /api/v1/audit/persons/report, auditor).");
            String missing = jdbcUrl == null ? EmbeddedDatabaseMissing.explain(e, dataDir) : null;
            err.println("report failed: " + (inUse != null ? inUse : missing != null ? missing : e.getMessage()));
            return 1;
        }
    }

    /** The --delayed-purpose delays; a delay that is not an ISO-8601 duration is a command-line mistake. */
    private Map<String, Duration> delays() {
        Map<String, Duration> delays = new LinkedHashMap<>();
        delayed.forEach((purpose, delay) -> {
            try {
                delays.put(purpose, Duration.parse(delay.strip()));
            } catch (DateTimeParseException e) {
                throw new ParameterException(spec.commandLine(), "--delayed-purpose " + purpose + "=" + delay
                        + ": the delay must be an ISO-8601 duration, as the gateway's "
                        + PersonReportSettings.DELAYED_PURPOSES + " takes it, e.g. " + purpose + "=P30D (30 days) or "
                        + purpose + "=PT12H (12 hours)");
            }
        });
        return delays;
    }

    /**
     * The gateway's pseudonym key: the configured value, else the key file; null, said on {@code err}, when it cannot
     * be read or is not a key (base64 of at least 32 bytes, as the gateway writes keys/pseudonym.key).
     */
    private static Pseudonymizer pseudonymizer(String configuredKey, Path keyFile, Environment gateway,
                                               PrintWriter err) {
        String source = configuredKey.isBlank() ? keyFile.toString()
                : "spie.privacy.pseudonym-key (from " + StartupVariables.originOf(gateway,
                "spie.privacy.pseudonym-key") + ")";
        String text;
        try {
            text = configuredKey.isBlank() ? Files.readString(keyFile) : configuredKey;
        } catch (IOException e) {
            err.println("cannot read the pseudonym key " + keyFile + ": " + IoErrorText.reason(e));
            return null;
        }
        try {
            return new Pseudonymizer(Base64.getDecoder().decode(text.trim()));
        } catch (IllegalArgumentException e) {
            err.println(source + " is not a pseudonym key (the base64 text of at least 32 bytes, as the gateway "
                    + "writes <data-dir>/keys/pseudonym.key): give the gateway's own key, with --pseudonym-key-file "
                    + "or its settings (spie.privacy.pseudonym-key or spie.privacy.key-file)");
            return null;
        }
    }

    /**
     * The gateway's spie.audit.person-report.* settings, as the API's report applies them, with the purposes of the
     * command line added; said on standard error, so that the operator sees what the person is not told.
     */
    private PersonReportPolicy policy(Environment gateway, PrintWriter err) {
        PersonReportPolicy configured = PersonReportSettings.policy(gateway);
        Set<String> hiddenPurposes = new LinkedHashSet<>(configured.hiddenPurposes());
        hiddenPurposes.addAll(hidden);
        Map<String, Duration> delays = new LinkedHashMap<>(configured.delayedPurposes());
        delays.putAll(this.delays());
        List<String> origins = new ArrayList<>();
        for (String key : List.of(PersonReportSettings.HIDDEN_PURPOSES, PersonReportSettings.DELAYED_PURPOSES)) {
            String origin = StartupVariables.originOf(gateway, key);
            if (origin != null && !origins.contains(origin)) {
                origins.add(origin);
            }
        }
        err.println("purposes never told: " + (hiddenPurposes.isEmpty() ? "none" : String.join(", ", hiddenPurposes))
                + "; told after a delay: " + (delays.isEmpty() ? "none" : delays) + " (spie.audit.person-report.* "
                + (origins.isEmpty() ? "not set" : "from " + String.join(", ", origins)) + ")");
        return new PersonReportPolicy(hiddenPurposes, delays);
    }

    /**
     * The routing configuration, for the organisations' names and the legal basis references. The variables only the
     * gateway's environment holds (delivery URLs, secrets) are not needed for that: the values that need them are
     * left out, and so is the version (it would be the version of no configuration in force).
     */
    private GatewayConfig config(Environment gateway, PrintWriter err) {
        Path configDir = this.configDir != null ? this.configDir : StartupVariables.configDir(gateway);
        try {
            GatewayConfigLoader.ReadableConfig readable = new GatewayConfigLoader(RecordTypes.V1,
                    PlaceholderVariables.of(gateway)).loadForReading(configDir);
            if (!readable.unsetVariables().isEmpty()) {
                err.println("note: " + configDir + " names variables not set here ("
                        + String.join(", ", readable.unsetVariables()) + "): not needed for the report, whose "
                        + "audit event carries no config version");
                // the version of a configuration read without those values names none that a gateway runs
                GatewayConfig partial = readable.config();
                return new GatewayConfig("", partial.loadedAt(), partial.directory(), partial.partners(),
                        partial.routes(), partial.operators());
            }
            return readable.config();
        } catch (InvalidConfigException | RuntimeException e) {
            err.println("note: no usable configuration in " + configDir + ": organisations are named by their id");
            return new GatewayConfig("", Instant.now(), configDir, List.of(), List.of(), List.of());
        }
    }

    /** Whether the gateway's database is an embedded H2 file (the default) as far as its settings say. */
    private static boolean embeddedDatabase(Environment gateway) {
        String url;
        try {
            url = gateway.getProperty("spring.datasource.url");
        } catch (IllegalArgumentException e) {
            return true; // a placeholder the settings here do not resolve: they do not say
        }
        return url == null || url.isBlank() || url.startsWith("jdbc:h2:");
    }

    /** The key file the gateway reads when spie.privacy.pseudonym-key is not set: spie.privacy.key-file, else ours. */
    private Path keyFileOf(Environment gateway) {
        String configured = gateway.getProperty("spie.privacy.key-file");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : dataDir.resolve("keys").resolve("pseudonym.key");
    }

    private String url() {
        return jdbcUrl != null ? jdbcUrl : EmbeddedDatabaseUrl.existing(dataDir);
    }

    /**
     * The report's own audit event, as the API writes it ({@code PERSON_REPORT_PRODUCED}): the operating-system account
     * that ran the command as actor, the pseudonym of the strongest key, the kinds of keys and the counts; never the
     * identity. The gateway's ledger writer takes it into the ledger when it next runs.
     */
    private static void recordProduced(Connection c, String pseudonym, List<String> kinds, PersonAccessReport report,
                                       String configVersion) throws SQLException {
        String actor = "cli:" + System.getProperty("user.name", "unknown");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (recorded_at, event_type, actor, "
                + "config_version, subject_pseudonym, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(Instant.now()));
            ps.setString(2, AuditEventType.PERSON_REPORT_PRODUCED.name());
            ps.setString(3, actor.length() <= 64 ? actor : actor.substring(0, 64));
            ps.setString(4, configVersion == null || configVersion.isEmpty() ? null : configVersion);
            ps.setString(5, pseudonym);
            ps.setString(6, "searched by " + String.join(", ", kinds) + "; " + report.entries().size()
                    + " deliveries reported" + (report.withheld() == 0 ? "" : ", " + report.withheld() + " withheld")
                    + " (audit report, command line)");
            ps.executeUpdate();
        }
    }

    private List<AuditEvent> delivered(Connection c, Set<String> pseudonyms) throws SQLException {
        String marks = String.join(",", Collections.nCopies(pseudonyms.size(), "?"));
        List<AuditEvent> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_event WHERE event_type = 'DELIVERED' "
                     + "AND subject_pseudonym IN (" + marks + ") ORDER BY seq")) {
            int i = 1;
            for (String p : pseudonyms) {
                ps.setString(i++, p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object exchange = rs.getObject("exchange_id");
                    events.add(new AuditEvent(rs.getLong("seq"), rs.getTimestamp("recorded_at").toInstant(),
                            AuditEventType.DELIVERED, exchange == null ? null : UUID.fromString(exchange.toString()),
                            rs.getString("actor"), rs.getString("source_partner"), rs.getString("recipient"),
                            rs.getString("record_type"), rs.getString("route_id"), rs.getString("purpose"),
                            rs.getString("legal_basis_type"), null, null, null, null));
                }
            }
        }
        return events;
    }
}
