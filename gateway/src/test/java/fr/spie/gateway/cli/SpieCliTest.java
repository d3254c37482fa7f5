package fr.spie.gateway.cli;

import fr.spie.gateway.config.RecordTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpieCliTest {
    static final Path REPO_CONFIG = Path.of("..", "config");

    record Run(int exitCode, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        CommandLine cli = SpieCli.commandLine(RecordTypes.V1, env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void checkAcceptsTheExampleConfig() {
        Run run = run("config", "check", REPO_CONFIG.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("OK: 5 partners, 6 routes, version [0-9a-f]{12}\\R");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void checkListsEveryProblemOnStderr(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("partners.yaml"), """
                partners:
                  - id: cd-51
                    kind: departement
                    name: CD
                """);
        Files.writeString(dir.resolve("routes.yaml"), """
                routes:
                  - id: rsa-caf-to-cd
                    description: d
                    recordTypes: [person]
                    from: caf-51
                    to: cd-51
                    purpose: rsa-orientation
                    legalBasis: {type: legal-obligation, reference: "${REF}"}
                """);

        Run run = run("config", "check", dir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly(
                "routes.yaml:5:11: route 'rsa-caf-to-cd': 'from' names unknown partner 'caf-51'",
                "routes.yaml:6:9: route 'rsa-caf-to-cd': recipient 'cd-51' has no 'delivery' in partners.yaml "
                        + "(add delivery.url to partner 'cd-51')",
                "routes.yaml:8:53: variable 'REF' is not set (environment, -DREF=..., or --REF=... / application "
                        + "settings) and ${REF} has no default (write ${REF:default})");
    }

    @Test
    void checkUsesTheEnvironment() {
        Run run = run(Map.of("SPIE_TOKEN_SHA256_CAF_51", "secret"), "config", "check", REPO_CONFIG.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("partners.yaml:26:20: partners[0].auth.tokenSha256: must be the lowercase");
    }

    static final String CHECKED_PARTNERS = """
            partners:
              - id: caf-51
                kind: caf
                name: CAF
                auth:
                  tokenSha256: "${CHECK_TOKEN:}"
              - id: cd-51
                kind: departement
                name: CD
                delivery:
                  url: http://localhost:18103/spie/v1/records
            """;
    static final String CHECKED_ROUTES = """
            routes:
              - id: rsa-caf-to-cd
                description: d
                recordTypes: [person]
                from: caf-51
                to: [cd-51]
                purpose: rsa-orientation
                legalBasis: {type: legal-obligation, reference: "${SPIE_CLI_TEST_REF}"}
            """;

    /**
     * config check reads the placeholder variables from where the gateway reads them at start-up, in the same
     * order: --NAME=value settings, system properties, the environment, application files. Before: the environment
     * only, and a --NAME=value setting was an unknown option (exit 2), so a configuration that started fine could
     * fail the check, or the reverse.
     */
    @Test
    void checkReadsThePlaceholderVariablesAsTheGatewayStartsWithThem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("partners.yaml"), CHECKED_PARTNERS);
        Files.writeString(dir.resolve("routes.yaml"), CHECKED_ROUTES);
        String hash = "a".repeat(64);
        String config = dir.toString();

        assertThat(run("config", "check", config).err()).contains("'SPIE_CLI_TEST_REF' is not set");

        Run setting = run(Map.of("SPIE_CLI_TEST_REF", "CASF", "CHECK_TOKEN", "not a hash"), "config", "check", config,
                "--CHECK_TOKEN=" + hash);
        assertThat(setting.err()).isEmpty();
        assertThat(setting.exitCode()).as("a setting wins over the environment, as at start-up").isZero();
        Run environment = run(Map.of("SPIE_CLI_TEST_REF", "CASF", "CHECK_TOKEN", hash), "config", "check", config);
        assertThat(environment.out()).as("the same values, the same version").isEqualTo(setting.out());

        System.setProperty("SPIE_CLI_TEST_REF", "CASF");
        try {
            Run property = run("config", "check", config);
            assertThat(property.err()).isEmpty();
            assertThat(property.exitCode()).isZero();
        } finally {
            System.clearProperty("SPIE_CLI_TEST_REF");
        }

        Path settings = Files.createDirectories(dir.resolve("settings"));
        Files.writeString(settings.resolve("application.yml"), "SPIE_CLI_TEST_REF: CASF\n");
        Run applicationFile = run("config", "check", config,
                "--spring.config.additional-location=file:" + settings.toAbsolutePath() + "/");
        assertThat(applicationFile.err()).isEmpty();
        assertThat(applicationFile.exitCode()).isZero();
    }

    @Test
    void checkTakesOnlySettingsAfterTheDirectory() {
        Run extra = run("config", "check", REPO_CONFIG.toString(), "other/");
        assertThat(extra.exitCode()).isEqualTo(2);
        assertThat(extra.err()).contains("Unexpected argument 'other/'");

        Run property = run("config", "check", REPO_CONFIG.toString(), "-DSPIE_CLI_TEST_REF=CASF");
        assertThat(property.exitCode()).isEqualTo(2);
        assertThat(property.err()).contains("a system property goes before -jar");

        Run missing = run("config", "check", REPO_CONFIG.toString(), "--spring.config.location=file:/nonexistent/a.yml");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("cannot read the gateway's settings: ").contains("/nonexistent/a.yml")
                .hasLineCount(1);
    }

    @Test
    void everyCommandHasHelp() {
        Run top = run("--help");
        assertThat(top.exitCode()).isZero();
        assertThat(top.out()).contains("Usage: spie-gateway", "config", "Exit codes:");

        Run config = run("config", "--help");
        assertThat(config.exitCode()).isZero();
        assertThat(config.out()).contains("Usage: spie-gateway config", "check");

        Run check = run("config", "check", "--help");
        assertThat(check.exitCode()).isZero();
        assertThat(check.out()).contains("Usage: spie-gateway config check", "<dir>", "${NAME:default}");

        assertThat(run("help", "config").out()).contains("Usage: spie-gateway config");
    }

    /**
     * Each command's help says what it reads: the commands that read the gateway's settings say which and from where,
     * and take its --NAME=value settings; the others say they read none. Before: audit report said it read the
     * environment and the working directory's files, pki init and explain defaulted to ./config, audit's summary left
     * out the report, and the others said nothing; explain's synopsis ran past 80 columns.
     */
    @Test
    void everyCommandsHelpSaysWhatItReads() {
        String startUp = "SPRING_APPLICATION_JSON";
        assertThat(helpText("config", "check", "--help")).contains("<dir> [--NAME=value...]", startUp);
        assertThat(helpText("explain", "--help")).contains("[--NAME=value...]", startUp, "spie.config-dir");
        assertThat(helpText("audit", "report", "--help")).contains("[--NAME=value...]", startUp,
                "spie.audit.person-report.*", "spie.config-dir", "spie.privacy.pseudonym-key",
                "spring.profiles.active", "not read from its settings");
        assertThat(helpText("pki", "init", "--help")).contains("[--NAME=value...]", startUp, "spie.config-dir");
        assertThat(helpText("audit", "--help")).contains("tell a person who received their data");
        assertThat(helpText("audit", "export-full", "--help")).contains("none of the gateway's settings");
        assertThat(helpText("audit", "verify", "--help")).contains("no data directory, configuration or gateway");
        assertThat(helpText("pki", "revoke", "--help")).contains("no configuration or gateway setting");
        assertThat(helpText("dead-letters", "--help")).contains("SPIE_GATEWAY_URL and SPIE_ADMIN_TOKEN");
        for (String[] command : new String[][] {{"config", "check"}, {"explain"}, {"audit", "report"},
                {"audit", "export-full"}, {"audit", "verify"}, {"pki", "init"}, {"pki", "revoke"}}) {
            String[] help = java.util.Arrays.copyOf(command, command.length + 1);
            help[command.length] = "--help";
            assertThat(run(help).out().lines()).as(String.join(" ", command))
                    .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        }
    }

    /** A command's output as one line: picocli wraps at spaces and after the dots of property names. */
    private static String helpText(String... args) {
        return run(args).out().replaceAll("\\.\\s*\\R\\s*", ".").replaceAll("\\s+", " ");
    }

    @Test
    void theDevelopmentPkiHelpIsNotCutInTheMiddleOfItsFileList() {
        Run pki = run("pki", "--help");
        assertThat(pki.out()).contains("init    Create a development PKI: a CA, its CRL");

        Run init = run("pki", "init", "--help");
        assertThat(init.out()).contains("  truststore.p12         the CA certificate, for spie.tls.truststore\n")
                .contains("                         as clients/<id>.pem and clients/<id>-key.pem\n");
        assertThat(init.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    }

    @Test
    void usageErrorsExitWith2() {
        Run missingDir = run("config", "check");
        assertThat(missingDir.exitCode()).isEqualTo(2);
        assertThat(missingDir.err()).contains("Missing required parameter: '<dir>'");

        assertThat(run("config").exitCode()).isEqualTo(2);
        assertThat(run().exitCode()).isEqualTo(2);
        assertThat(run("config", "check", "a", "b").exitCode()).isEqualTo(2);
    }

    @Test
    void aMistypedCommandIsRefusedInsteadOfStartingTheGateway() {
        assertThat(SpieCli.handles("confg", "check", "config/")).isTrue();
        assertThat(SpieCli.handles("verify", "export.jsonl")).isTrue();

        Run typo = run("confg", "check", "config/");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("Unmatched argument", "'confg'", "config");
    }

    @Test
    void aCommandThatGroupsOthersGivenAloneNamesThem() {
        Map<String, String> groups = Map.of("config", "check", "audit", "verify, export-full, report",
                "pki", "init, revoke", "db", "compact", "files", "list, show, quarantine",
                "dead-letters", "list, replay, discard", "deliveries", "requeue");
        groups.forEach((group, commands) -> {
            Run alone = run(group);
            assertThat(alone.exitCode()).as(group).isEqualTo(2);
            assertThat(alone.err()).as(group).contains("Missing command: choose one of " + commands);
        });
    }

    @Test
    void commandNamesAreWhatMainDispatchesOn() {
        assertThat(SpieCli.commandNames()).contains("config", "help").doesNotContain("--spring.profiles.active=demo")
                .isEqualTo(SpieCli.commandLine().getSubcommands().keySet());
    }

    @Test
    void helpAndVersionArePrintedInsteadOfStartingTheGateway() {
        for (String option : new String[] {"--help", "-h", "--version", "-V"}) {
            assertThat(SpieCli.handles(option)).as(option).isTrue();
        }
        assertThat(SpieCli.handles("audit", "verify")).isTrue();
        assertThat(SpieCli.handles()).isFalse();
        assertThat(SpieCli.handles("--spring.profiles.active=demo")).isFalse();
        assertThat(SpieCli.handles("--server.port=8081", "--help")).isFalse();

        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: spie-gateway", "audit", "config", "Without a command");
        Run version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("spie-gateway ");
    }
}
