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

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code spie-gateway config check <dir>}: loads a configuration directory as the gateway would and reports. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a configuration directory as the gateway loads it: YAML syntax, the JSON Schema of "
                + "each file, $${NAME:default} placeholders (resolved from the environment), unique ids, routes that "
                + "name declared partners with a delivery endpoint, record types, legal bases, token hashes.",
                "",
                "Prints 'OK: <n> partners, <m> routes, version <hash>' or every problem as file:line:column: message."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the configuration is valid", "1:the configuration has problems (listed on stderr)",
                "2:invalid command line"})
final class ConfigCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>",
            description = "The configuration directory, e.g. config/ (partners.yaml and routes.yaml required, "
                    + "access.yaml optional).")
    Path dir;

    private final Set<String> recordTypes;
    private final Function<String, String> env;

    ConfigCheckCommand() {
        this(RecordTypes.V1, System::getenv);
    }

    ConfigCheckCommand(Set<String> recordTypes, Function<String, String> env) {
        this.recordTypes = recordTypes;
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
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
