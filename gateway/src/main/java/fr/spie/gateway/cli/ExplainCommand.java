package fr.spie.gateway.cli;

import fr.spie.gateway.IoErrorText;
import fr.spie.gateway.PlaceholderVariables;
import fr.spie.gateway.config.ConfigProblem;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.intake.EnvelopeReader;
import fr.spie.gateway.routing.RoutingExplainer;
import fr.spie.schema.SpieSchemas;
import fr.spie.schema.Violation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.core.env.ConfigurableEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code spie-gateway explain <envelope.json> [--config <dir>] [--NAME=value...]}: what the gateway would do, offline.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        customSynopsis = {"spie-gateway explain [-hV] [--config <dir>] <envelope.json>", "    [--NAME=value...]"},
        description = {"Explain, without sending anything, what the gateway would do with an envelope under a "
                + "configuration: per candidate recipient, the matching route, the decision (deliver or blocked) with "
                + "the rule that made it, the released fields and the projected payload.", "",
                "Consents are not available offline: routes that need the person's consent are shown as 'deliver' "
                        + "with rule consent-not-checked; ask the running gateway (POST /api/v1/admin/routing/explain) "
                        + "for a decision that checks them.", "",
                "The gateway's settings (spie.config-dir) and the placeholders of the config files are read as the "
                        + "gateway's start-up reads them, in its order, as config check reads them: --NAME=value "
                        + "settings given here as on the gateway's command line, SPRING_APPLICATION_JSON, JVM system "
                        + "properties (java -DNAME=value -jar ...), environment variables, then the application files "
                        + "(application.yml in the jar, then in the working directory and its config/ directory, or "
                        + "where spring.config.location says; with the profiles of spring.profiles.active).",
                "",
                "Prints the explanation as JSON on stdout."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:explained", "1:the configuration is invalid, the envelope unreadable, or the gateway's "
                + "settings cannot be read",
                "2:invalid command line"})
final class ExplainCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /**
     * Reads the envelope as the gateway's intake does (EnvelopeReader): an object that names a member twice, or objects
     * and arrays nested deeper than the intake reads, are refused there, so they are not explained here.
     */
    private static final JsonMapper ENVELOPE = EnvelopeReader.strictMapper(Integer.MAX_VALUE);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<envelope.json>", description = "A SPIE envelope (JSON file).")
    Path envelopeFile;

    @Option(names = "--config", paramLabel = "<dir>",
            description = "The configuration directory (default: the gateway's spie.config-dir, read from its "
                    + "settings as below, else config).")
    Path configDir;

    /** The gateway's --NAME=value settings, for the placeholders of the config files. */
    @Unmatched
    List<String> settings = new ArrayList<>();

    private final StartupVariables variables;

    ExplainCommand() {
        this(StartupVariables.ofProcess());
    }

    ExplainCommand(StartupVariables variables) {
        this.variables = variables;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigurableEnvironment gateway = variables.environmentOrExplain(
                StartupVariables.settings(spec.commandLine(), settings), err);
        if (gateway == null) {
            return 1;
        }
        String missing = this.configDir == null ? StartupVariables.configDirMissing(gateway) : null;
        if (missing != null) {
            err.println(missing);
            err.flush();
            return 1;
        }
        Path configDir = this.configDir != null ? this.configDir : StartupVariables.configDir(gateway);
        SpieSchemas schemas = SpieSchemas.load();
        GatewayConfig config;
        try {
            config = new GatewayConfigLoader(schemas.recordTypes(), PlaceholderVariables.of(gateway),
                    schemas::definesPointer).load(configDir);
        } catch (InvalidConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                err.println(problem);
            }
            err.flush();
            return 1;
        }
        JsonNode envelope;
        try {
            String text = Files.readString(envelopeFile);
            // a UTF-8 byte order mark is skipped by the intake's parser, which reads bytes (EnvelopeReader): here too
            envelope = ENVELOPE.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (java.io.IOException e) {
            err.println(envelopeFile + ": cannot read the envelope: " + IoErrorText.reason(e));
            err.flush();
            return 1;
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            err.println(envelopeFile + ": not a JSON envelope: invalid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + e.getOriginalMessage());
            err.flush();
            return 1;
        }
        if (envelope == null || !envelope.isObject()) {
            // an empty file or a JSON array: nothing to explain (it used to be "explained" as an envelope of no
            // partner and no record type, exit 0)
            err.println(envelopeFile + ": not a JSON envelope: " + (envelope == null || envelope.isMissingNode()
                    ? "the file is empty" : "an envelope is a JSON object {...}, this is " + envelope.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT)));
            err.flush();
            return 1;
        }
        RoutingExplainer.Explanation explanation = new RoutingExplainer().explain(config, envelope, null, null,
                Instant.now());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("configVersion", explanation.configVersion());
        view.put("consent", "not checked offline");
        view.put("schemaViolations", schemas.validateEnvelope(envelope).stream().map(Violation::toString).toList());
        view.put("notes", explanation.notes());
        view.put("recipients", explanation.recipients());
        out.println(JSON.writeValueAsString(view));
        out.flush();
        return 0;
    }
}
