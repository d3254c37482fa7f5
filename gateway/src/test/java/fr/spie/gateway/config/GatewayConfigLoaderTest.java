package fr.spie.gateway.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GatewayConfigLoaderTest {
    /** The example deployment of the repository, relative to the gateway module. */
    static final Path REPO_CONFIG = Path.of("..", "config");
    static final String HASH_A = "a".repeat(64);
    static final String HASH_B = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;
    final Map<String, String> env = new HashMap<>();
    GatewayConfigLoader loader;

    @BeforeEach
    void setUp() {
        loader = new GatewayConfigLoader(RecordTypes.V1, env::get);
    }

    static final String PARTNERS = """
            partners:
              - id: caf-51
                kind: caf
                name: CAF de la Marne
                auth:
                  tokenSha256: "%s"
              - id: cd-51
                kind: departement
                name: Conseil départemental
                delivery:
                  url: http://localhost:18103/spie/v1/records
            """.formatted(HASH_A);

    static final String ROUTES = """
            routes:
              - id: rsa-caf-to-cd
                description: RSA situations to the département
                recordTypes: [person, rsa-situation]
                from: caf-51
                to: [cd-51]
                purpose: rsa-orientation
                legalBasis:
                  type: legal-obligation
                  reference: CASF art. L262-40
            """;

    void write(String file, String text) throws IOException {
        Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
    }

    List<ConfigProblem> problems() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> loader.load(dir));
        assertThat(e).as("expected the configuration to be invalid").isNotNull();
        return e.problems();
    }

    ConfigProblem onlyProblem() {
        List<ConfigProblem> problems = problems();
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    @Test
    void loadsTheRepositoryExampleConfig() throws Exception {
        GatewayConfig config = loader.load(REPO_CONFIG);

        assertThat(config.partners()).extracting(Partner::id)
                .containsExactly("caf-51", "ft-51", "cd-51", "ml-reims", "msa-51");
        assertThat(config.partners()).allSatisfy(p -> {
            assertThat(p.tokenSha256()).as("no default credential outside the demo").isEmpty();
            assertThat(p.delivery()).isNotNull();
        });
        assertThat(config.partners()).extracting(p -> p.delivery().url().getPort()).doesNotHaveDuplicates();
        assertThat(config.partner("ft-51")).get().extracting(Partner::kind).isEqualTo(PartnerKind.FRANCE_TRAVAIL);
        assertThat(config.routes()).hasSize(6);
        assertThat(config.routesFor("caf-51", "rsa-situation")).singleElement().satisfies(r -> {
            assertThat(r.to()).containsExactly("cd-51", "ft-51");
            assertThat(r.legalBasis()).isEqualTo(new LegalBasis("legal-obligation", "CASF art. L262-40"));
        });
        assertThat(config.routesFor("ml-reims", "youth-support")).singleElement()
                .extracting(Route::purpose).isEqualTo("youth-follow-up");
        assertThat(config.operators()).as("operators without a token hash are disabled").isEmpty();
        assertThat(config.version()).matches("[0-9a-f]{64}");
        assertThat(config.directory()).isEqualTo(REPO_CONFIG);
    }

    @Test
    void exampleConfigTakesCredentialsAndUrlsFromTheEnvironment() throws Exception {
        env.put("SPIE_TOKEN_SHA256_CAF_51", HASH_A);
        env.put("SPIE_DELIVERY_URL_CD_51", "https://cd51.example.fr/spie");
        env.put("SPIE_ADMIN_TOKEN_SHA256", HASH_B);

        GatewayConfig config = loader.load(REPO_CONFIG);

        assertThat(config.partner("caf-51").orElseThrow().tokenSha256()).containsExactly(HASH_A);
        assertThat(config.partner("cd-51").orElseThrow().delivery().url())
                .isEqualTo(URI.create("https://cd51.example.fr/spie"));
        assertThat(config.operators()).containsExactly(new Operator("admin", Operator.Role.ADMIN, HASH_B));
    }

    @Test
    void appliesDeliveryDefaultsAndParsesDurations() throws Exception {
        write("partners.yaml", PARTNERS + """
                  - id: ft-51
                    kind: pole-emploi
                    name: France Travail
                    auth:
                      tokenSha256: []
                    delivery:
                      url: https://ft.example.fr/records
                      connectTimeout: PT3S
                      timeout: 1m
                      maxAttempts: 3
                      backoff: {initial: 250ms, multiplier: 1.5, max: 1h, jitter: 0}
                """);
        write("routes.yaml", ROUTES);

        GatewayConfig config = loader.load(dir);

        assertThat(config.partner("cd-51").orElseThrow().delivery()).isEqualTo(new Delivery(
                URI.create("http://localhost:18103/spie/v1/records"), Duration.ofSeconds(2), Duration.ofSeconds(10),
                6, Duration.ofMillis(500), 2.0, Duration.ofSeconds(60), 0.2));
        Partner ft = config.partner("ft-51").orElseThrow();
        assertThat(ft.kind()).as("pole-emploi is the former name").isEqualTo(PartnerKind.FRANCE_TRAVAIL);
        assertThat(ft.tokenSha256()).isEmpty();
        assertThat(ft.delivery()).isEqualTo(new Delivery(URI.create("https://ft.example.fr/records"),
                Duration.ofSeconds(3), Duration.ofMinutes(1), 3, Duration.ofMillis(250), 1.5, Duration.ofHours(1), 0));
        assertThat(config.partner("caf-51").orElseThrow().delivery()).isNull();
        assertThat(config.operators()).isEmpty();
    }

    @Test
    void resolvesPlaceholdersWithDefaults() throws Exception {
        env.put("CD_URL", "https://cd.example.fr/in");
        env.put("EMPTY", "");
        write("partners.yaml", PARTNERS.replace("http://localhost:18103/spie/v1/records", "${CD_URL:http://x}")
                .replace("Conseil départemental", "${CD_NAME:Conseil départemental} ${EMPTY:ignored}$${literal}")
                .replace("\"" + HASH_A + "\"", "[\"${TOKEN_1:" + HASH_A + "}\", \"${TOKEN_2:}\"]"));
        write("routes.yaml", ROUTES);

        GatewayConfig config = loader.load(dir);

        Partner cd = config.partner("cd-51").orElseThrow();
        assertThat(cd.delivery().url()).isEqualTo(URI.create("https://cd.example.fr/in"));
        assertThat(cd.name()).isEqualTo("Conseil départemental ${literal}");
        assertThat(config.partner("caf-51").orElseThrow().tokenSha256()).containsExactly(HASH_A);
    }

    @Test
    void resolvedValuesAreValidated() throws IOException {
        env.put("TOKEN", "not-a-hash");
        write("partners.yaml", PARTNERS.replace(HASH_A, "${TOKEN:" + HASH_A + "}"));
        write("routes.yaml", ROUTES);

        assertThat(onlyProblem()).hasToString("partners.yaml:6:20: partners[0].auth.tokenSha256: must be the "
                + "lowercase hex SHA-256 of a token (64 characters 0-9a-f, from: printf %s \"$TOKEN\" | sha256sum) "
                + "or empty");
    }

    @Test
    void unresolvedPlaceholder() throws IOException {
        write("partners.yaml", PARTNERS.replace("CAF de la Marne", "${CAF_NAME}"));
        write("routes.yaml", ROUTES);

        assertThat(onlyProblem()).isEqualTo(new ConfigProblem("partners.yaml", 4, 11,
                "variable 'CAF_NAME' is not set (environment, -DCAF_NAME=..., or --CAF_NAME=... / application "
                        + "settings) and ${CAF_NAME} has no default (write ${CAF_NAME:default})"));
    }

    @Test
    void brokenYamlSyntax() throws IOException {
        write("partners.yaml", PARTNERS);
        write("routes.yaml", ROUTES.replace("    purpose: rsa-orientation", "  purpose: rsa-orientation"));

        ConfigProblem problem = onlyProblem();
        assertThat(problem.file()).isEqualTo("routes.yaml");
        assertThat(problem.line()).isEqualTo(7);
        assertThat(problem.column()).isEqualTo(3);
        assertThat(problem.message()).startsWith("invalid YAML: ");
    }

    @Test
    void unknownKey() throws IOException {
        write("partners.yaml", PARTNERS.replace("    kind: departement", "    kind: departement\n    colour: blue"));
        write("routes.yaml", ROUTES);

        assertThat(onlyProblem()).hasToString("partners.yaml:9:5: unknown key 'colour' in partners[1] "
                + "(allowed: id, kind, name, auth, delivery, files, pull, personReports)");
    }

    @Test
    void wrongType() throws IOException {
        write("partners.yaml", PARTNERS + "    maxAttempts: many\n".replace("    ", "      "));
        write("routes.yaml", ROUTES);

        assertThat(onlyProblem()).hasToString(
                "partners.yaml:12:20: partners[1].delivery.maxAttempts: string found, integer expected");
    }

    @Test
    void parsesTheDrainRateAndTheOutageSettings() throws Exception {
        write("partners.yaml", PARTNERS + """
                  - id: ft-51
                    kind: france-travail
                    name: France Travail
                    auth:
                      tokenSha256: []
                    delivery:
                      url: https://ft.example.fr/records
                      maxRatePerSecond: 2.5
                      outage: {pauseAfterFailures: 10, probeEvery: 2m}
                """);
        write("routes.yaml", ROUTES);

        GatewayConfig config = loader.load(dir);

        Delivery ft = config.partner("ft-51").orElseThrow().delivery();
        assertThat(ft.maxRatePerSecond()).isEqualTo(2.5);
        assertThat(ft.outage()).isEqualTo(new Delivery.Outage(10, Duration.ofMinutes(2)));
        Delivery cd = config.partner("cd-51").orElseThrow().delivery();
        assertThat(cd.maxRatePerSecond()).as("no limit by default").isNull();
        assertThat(cd.outage()).isEqualTo(Delivery.Outage.DEFAULT);
    }

    @Test
    void aDrainRateMustBePositive() throws IOException {
        write("partners.yaml", PARTNERS + "    maxRatePerSecond: 0\n".replace("    ", "      "));
        write("routes.yaml", ROUTES);

        assertThat(onlyProblem().toString()).startsWith("partners.yaml:12:").contains("maxRatePerSecond");
    }

    @Test
    void unknownPartnerInRoute() throws IOException {
        write("partners.yaml", PARTNERS);
        write("routes.yaml", ROUTES.replace("to: [cd-51]", "to: [cd-51, cd-52]"));

        assertThat(onlyProblem()).hasToString(
                "routes.yaml:6:17: route 'rsa-caf-to-cd': 'to' names unknown partner 'cd-52'");
    }

    @Test
    void duplicateIds() throws IOException {
        write("partners.yaml", PARTNERS + """
                  - id: caf-51
                    kind: msa
                    name: another
                """);
        write("routes.yaml", ROUTES + ROUTES.replace("routes:\n", ""));

        assertThat(problems()).map(ConfigProblem::toString).containsExactly(
                "partners.yaml:12:9: duplicate partner id 'caf-51' (already declared at line 2)",
                "routes.yaml:11:9: duplicate route id 'rsa-caf-to-cd' (already declared at line 2)");
    }

    @Test
    void recipientWithoutDelivery() throws IOException {
        write("partners.yaml", PARTNERS);
        write("routes.yaml", ROUTES.replace("from: caf-51", "from: cd-51").replace("to: [cd-51]", "to: caf-51"));

        assertThat(onlyProblem()).hasToString("routes.yaml:6:9: route 'rsa-caf-to-cd': recipient 'caf-51' has no "
                + "'delivery' in partners.yaml (add delivery.url to partner 'caf-51')");
    }

    @Test
    void partnerCannotRouteToItself() throws IOException {
        write("partners.yaml", PARTNERS);
        write("routes.yaml", ROUTES.replace("from: caf-51", "from: [caf-51, cd-51]"));

        assertThat(onlyProblem()).hasToString("routes.yaml:6:10: route 'rsa-caf-to-cd': partner 'cd-51' is in both "
                + "'from' and 'to': a partner cannot route to itself");
    }

    @Test
    void unknownRecordTypeAndLegalBasis() throws IOException {
        write("partners.yaml", PARTNERS);
        write("routes.yaml", ROUTES.replace("rsa-situation]", "rsa-situatoin]").replace("legal-obligation", "whim"));

        assertThat(problems()).map(ConfigProblem::toString).containsExactly(
                "routes.yaml:4:27: route 'rsa-caf-to-cd': unknown record type 'rsa-situatoin' (known: appointment, "
                        + "consent, diagnostic, engagement-contract, jobseeker-situation, orientation, person, "
                        + "referent-assignment, rsa-situation, youth-support)",
                "routes.yaml:9:13: routes[0].legalBasis.type: 'whim' is not one of: consent, contract, "
                        + "legal-obligation, vital-interests, public-task, legitimate-interests");
    }

    @Test
    void badTokenHash() throws IOException {
        write("partners.yaml", PARTNERS.replace(HASH_A, HASH_A.toUpperCase()));
        write("routes.yaml", ROUTES);

        ConfigProblem problem = onlyProblem();
        assertThat(problem.file()).isEqualTo("partners.yaml");
        assertThat(problem.line()).isEqualTo(6);
        assertThat(problem.column()).isEqualTo(20);
        assertThat(problem.message()).startsWith("partners[0].auth.tokenSha256: must be the lowercase hex SHA-256");
    }

    @Test
    void aTokenIdentifiesOnePartnerOrOperator() throws IOException {
        write("partners.yaml", PARTNERS);
        write("routes.yaml", ROUTES);
        write("access.yaml", """
                operators:
                  - name: alice
                    role: admin
                    tokenSha256: %s
                """.formatted(HASH_A));

        assertThat(onlyProblem()).hasToString("access.yaml:4:18: operator 'alice': this token hash is already used "
                + "by partner 'caf-51' (partners.yaml:6): a token must identify one partner or operator");
    }

    @Test
    void badDurations() throws IOException {
        write("partners.yaml", PARTNERS + """
                      timeout: 10x
                      connectTimeout: P2X
                      backoff: {initial: 0s}
                """);
        write("routes.yaml", ROUTES);

        assertThat(problems()).map(ConfigProblem::toString).containsExactly(
                "partners.yaml:12:16: partners[1].delivery.timeout: must be a duration such as 500ms, 2s, 5m, 1h or "
                        + "ISO-8601 PT2S",
                "partners.yaml:13:23: partners[1].delivery.connectTimeout: 'P2X' is not a duration: write 500ms, "
                        + "2s, 5m, 1h, 1d or ISO-8601 such as PT2S",
                "partners.yaml:14:26: partners[1].delivery.backoff.initial: '0s' must be a positive duration");
    }

    @Test
    void missingRequiredKeyIsReportedAtItsObject() throws IOException {
        write("partners.yaml", PARTNERS);
        write("routes.yaml", ROUTES.replace("    purpose: rsa-orientation\n", ""));

        assertThat(onlyProblem()).hasToString("routes.yaml:2:5: routes[0]: missing required key 'purpose'");
    }

    @Test
    void reportsAllProblemsOfAllFilesTogether() throws IOException {
        write("partners.yaml", PARTNERS.replace("kind: caf", "kind: cafe") + "      maxAttempts: 0\n");
        write("routes.yaml", ROUTES.replace("to: [cd-51]", "to: [cd-99]").replace("person,", "people,"));
        write("access.yaml", "operators:\n  - name: bob\n    role: root\n    tokenSha256: ''\n");

        assertThat(problems()).map(p -> p.file() + ":" + p.line() + ":" + p.column()).containsExactly(
                "access.yaml:3:11", "partners.yaml:3:11", "partners.yaml:12:20", "routes.yaml:4:19",
                "routes.yaml:6:10");
    }

    @Test
    void missingFiles() throws IOException {
        write("routes.yml", ROUTES);

        assertThat(problems()).map(ConfigProblem::toString).containsExactly(
                "partners.yaml:0:0: required file not found in " + dir,
                "routes.yaml:0:0: required file not found in " + dir + " (found routes.yml: rename it to routes.yaml)");
    }

    @Test
    void accessFileIsOptionalButNotADirectory() throws Exception {
        write("partners.yaml", PARTNERS);
        write("routes.yaml", ROUTES);
        assertThat(loader.load(dir).operators()).isEmpty();

        assertThatThrownBy(() -> loader.load(dir.resolve("nope")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .singleElement().extracting(ConfigProblem::message)
                        .isEqualTo("configuration directory not found"));
        // a file given for the directory (config check partners.yaml) is said to be one
        assertThatThrownBy(() -> loader.load(dir.resolve("partners.yaml")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .singleElement().extracting(ConfigProblem::message).asString()
                        .startsWith("not a directory: give the configuration directory"));
    }

    @Test
    void emptyFileAndDuplicateKey() throws IOException {
        write("partners.yaml", PARTNERS.replace("    name: CAF de la Marne", "    name: CAF\n    name: CAF bis"));
        write("routes.yaml", "");

        assertThat(problems()).map(ConfigProblem::toString).containsExactly(
                "partners.yaml:5:5: duplicate key 'name' (first at line 4)",
                "routes.yaml:1:1: the file is empty");
    }

    @Test
    void versionHashesFileNamesAndRawBytes() throws Exception {
        write("partners.yaml", PARTNERS);
        write("routes.yaml", ROUTES);
        String v1 = loader.load(dir).version();
        assertThat(loader.load(dir).version()).isEqualTo(v1);

        write("routes.yaml", ROUTES + "# a comment changes the version\n");
        assertThat(loader.load(dir).version()).isNotEqualTo(v1);

        write("routes.yaml", ROUTES);
        env.put("ANY", "x");
        assertThat(loader.load(dir).version()).isEqualTo(v1);
        assertThat(ConfigVersion.of(Map.of("a", new byte[]{'b'}), Map.of()))
                .isNotEqualTo(ConfigVersion.of(Map.of("ab", new byte[0]), Map.of()));
    }

    /**
     * An environment variable that changes a route's recipients, a partner's endpoint or a release list changes the
     * version, as an edit of the file does; the same values give the same version, and the watcher's look agrees
     * with the load. Before: the version hashed the raw files only, and stayed the same.
     */
    @Test
    void versionIdentifiesTheValuesThePlaceholdersResolvedTo() throws Exception {
        write("partners.yaml", PARTNERS.replace("url: http://localhost:18103/spie/v1/records",
                "url: \"${CD_URL:http://localhost:18103/spie/v1/records}\"") + """
                  - id: cd-52
                    kind: departement
                    name: Conseil départemental 52
                    delivery:
                      url: http://localhost:18104/spie/v1/records
                """);
        write("routes.yaml", ROUTES.replace("to: [cd-51]", "to: [\"${RECIPIENT:cd-51}\"]"));
        String byDefault = loader.load(dir).version();
        assertThat(loader.versionOf(dir)).isEqualTo(byDefault);

        env.put("RECIPIENT", "cd-52");
        GatewayConfig otherRecipient = loader.load(dir);
        assertThat(otherRecipient.routes().get(0).to()).containsExactly("cd-52");
        assertThat(otherRecipient.version()).isNotEqualTo(byDefault);
        assertThat(loader.versionOf(dir)).isEqualTo(otherRecipient.version());

        env.put("RECIPIENT", "cd-51");
        assertThat(loader.load(dir).version()).as("the same values").isEqualTo(byDefault);

        env.put("CD_URL", "https://cd51.example.fr/spie/v1/records");
        assertThat(loader.load(dir).version()).as("another endpoint").isNotEqualTo(byDefault);
        env.remove("CD_URL");
        assertThat(loader.load(dir).version()).isEqualTo(byDefault);

        env.put("ANY", "x");
        assertThat(loader.load(dir).version()).as("a variable no placeholder reads").isEqualTo(byDefault);
    }

    /**
     * The version is published (audit events, acknowledgements): a credential counts only by being set or empty, so
     * that the version cannot be used to test guesses of a secret or a token hash.
     */
    @Test
    void aCredentialCountsInTheVersionOnlyByBeingSet() throws Exception {
        write("partners.yaml", PARTNERS.replace("tokenSha256: \"" + HASH_A + "\"", "tokenSha256: \"${CAF_TOKEN:}\""));
        write("routes.yaml", ROUTES);
        String without = loader.load(dir).version();

        env.put("CAF_TOKEN", HASH_A);
        String with = loader.load(dir).version();
        assertThat(with).as("a partner given a credential").isNotEqualTo(without);

        env.put("CAF_TOKEN", HASH_B);
        assertThat(loader.load(dir).version()).as("a rotated credential").isEqualTo(with);

        assertThat(ConfigVersion.isCredential("/partners/0/auth/tokenSha256/1")).isTrue();
        assertThat(ConfigVersion.isCredential("/partners/1/delivery/franceTravailApi/clientSecret")).isTrue();
        assertThat(ConfigVersion.isCredential("/partners/1/delivery/imiloApi/apiKey")).isTrue();
        assertThat(ConfigVersion.isCredential("/partners/1/delivery/signature/secret")).isTrue();
        assertThat(ConfigVersion.isCredential("/operators/0/tokenSha256")).isTrue();
        assertThat(ConfigVersion.isCredential("/partners/1/delivery/url")).isFalse();
    }

    @Test
    void problemPrintsLikeACompilerMessage() {
        assertThat(new ConfigProblem("routes.yaml", 14, 7, "route 'x': oops")).hasToString("routes.yaml:14:7: route 'x': oops");
    }

    /** A tool that only reads the configuration (the person report) does not need the gateway's secrets or URLs. */
    @Test
    void readingWithoutTheGatewaysVariablesNamesEveryPartnerButOtherProblemsStillFail() throws Exception {
        write("partners.yaml", PARTNERS.replace("http://localhost:18103/spie/v1/records", "${CD_51_URL}"));
        write("routes.yaml", ROUTES);

        assertThatThrownBy(() -> loader.load(dir)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("CD_51_URL");
        GatewayConfigLoader.ReadableConfig readable = loader.loadForReading(dir);
        assertThat(readable.unsetVariables()).containsExactly("CD_51_URL");
        assertThat(readable.config().partner("cd-51")).hasValueSatisfying(p -> {
            assertThat(p.name()).isEqualTo("Conseil départemental");
            assertThat(p.delivery()).isNull();
        });
        assertThat(readable.config().routes()).extracting(Route::id).containsExactly("rsa-caf-to-cd");

        write("routes.yaml", ROUTES.replace("legal-obligation", "no-such-basis"));
        assertThatThrownBy(() -> loader.loadForReading(dir)).isInstanceOf(InvalidConfigException.class)
                .hasMessageNotContaining("CD_51_URL");
    }
}
