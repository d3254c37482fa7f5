package fr.spie.gateway.cli;

import fr.spie.gateway.config.ConfigProblem;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.config.RecordTypes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code spie-gateway config check <dir> [--NAME=value...]}: loads a configuration directory as the gateway would, with
 * the placeholder variables the gateway would read when started with the same settings, and reports.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        customSynopsis = "spie-gateway config check [-hV] <dir> [--NAME=value...]",
        description = {"Check a configuration directory as the gateway loads it: YAML syntax, the JSON Schema of "
                + "each file, $${NAME:default} placeholders, unique ids, routes that name declared partners with a "
                + "delivery endpoint, record types, legal bases, token hashes.",
                "",
                "The placeholders read what the gateway reads at start-up, in its order: --NAME=value settings "
                        + "given here as on the gateway's command line, SPRING_APPLICATION_JSON, JVM system "
                        + "properties (java -DNAME=value -jar ...), environment variables, then the application "
                        + "files (application.yml in the jar, then in the working directory and its config/ "
                        + "directory, or where spring.config.location says; with the profiles of "
                        + "spring.profiles.active).",
                "",
                "Prints 'OK: <n> partners, <m> routes, version <hash>' (the config version the gateway records with "
                        + "the same files and settings) or every problem as file:line:column: message."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the configuration is valid", "1:the configuration has problems (listed on stderr), or "
                + "the gateway's settings cannot be read",
                "2:invalid command line"})
final class ConfigCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>",
            description = "The configuration directory, e.g. config/ (partners.yaml and routes.yaml required, "
                    + "access.yaml optional).")
    Path dir;

    /** The gateway's --NAME=value settings; anything else is a wrong command line. */
    @Unmatched
    List<String> settings = new ArrayList<>();

    private final Set<String> recordTypes;
    private final StartupVariables variables;

    ConfigCheckCommand() {
        this(RecordTypes.V1, StartupVariables.ofProcess());
    }

    ConfigCheckCommand(Set<String> recordTypes, StartupVariables variables) {
        this.recordTypes = recordTypes;
        this.variables = variables;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Function<String, String> env = variables.forArgumentsOrExplain(
                StartupVariables.settings(spec.commandLine(), settings), err);
        if (env == null) {
            return 1;
        }
        try {
            GatewayConfig config = new GatewayConfigLoader(recordTypes, env).load(dir);
            out.printf("OK: %d partners, %d routes, version %s%n", config.partners().size(), config.routes().size(),
                    config.version().substring(0, 12));
            out.flush();
            return 0;
        } catch (InvalidConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                err.println(problem);
            }
            err.flush();
            return 1;
        }
    }
}
