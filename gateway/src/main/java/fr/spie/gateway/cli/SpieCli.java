package fr.spie.gateway.cli;

import fr.spie.gateway.config.RecordTypes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command line of the gateway: {@code java -jar spie-gateway.jar <command> ...}. Runs without Spring; the
 * application's main method dispatches here when {@link #handles} its arguments.
 */
@Command(name = "spie-gateway", mixinStandardHelpOptions = true, versionProvider = SpieCli.Version.class,
        description = {"SPIE Gateway: data exchanges between the actors of the service public de l'insertion et de "
                + "l'emploi.", "",
                "Without a command, java -jar spie-gateway.jar starts the gateway. With one, it runs that command and "
                        + "exits."},
        subcommands = {ConfigCommand.class, AuditCommand.class, ExplainCommand.class, DeadLettersCommand.class,
                FilesCommand.class, DeliveriesCommand.class, PkiCommand.class, DbCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the command found problems or failed", "2:invalid command line"})
public final class SpieCli extends CommandGroup {
    /** The options of {@code mixinStandardHelpOptions}. */
    private static final Set<String> STANDARD_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    /** The command line with the SPIE v1 record types and the process environment. */
    public static CommandLine commandLine() {
        return commandLine(RecordTypes.V1, StartupVariables.ofProcess());
    }

    /**
     * @param recordTypes the record types routes may carry
     * @param env         the environment variables, in place of the process's, for the commands that read the gateway's
     *                    settings and the placeholders of its config files (which also read the other sources of the
     *                    gateway's start-up: {@link StartupVariables})
     */
    public static CommandLine commandLine(Set<String> recordTypes, Map<String, String> env) {
        return commandLine(recordTypes, StartupVariables.withEnvironment(env));
    }

    private static CommandLine commandLine(Set<String> recordTypes, StartupVariables variables) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ConfigCheckCommand.class) {
                    return type.cast(new ConfigCheckCommand(recordTypes, variables));
                }
                if (type == ExplainCommand.class) {
                    return type.cast(new ExplainCommand(variables));
                }
                if (type == PkiInitCommand.class) {
                    return type.cast(new PkiInitCommand(variables));
                }
                if (type == AuditReportCommand.class) {
                    return type.cast(new AuditReportCommand(variables));
                }
                return defaults.create(type);
            }
        };
        return new CommandLine(new SpieCli(), factory);
    }

    /** The names of the top-level commands ({@code config}, {@code help}, ...). */
    public static Set<String> commandNames() {
        Set<String> names = new TreeSet<>();
        for (Class<?> command : SpieCli.class.getAnnotation(Command.class).subcommands()) {
            Command declared = command.getAnnotation(Command.class);
            names.add(declared.name());
            names.addAll(List.of(declared.aliases()));
        }
        return names;
    }

    /**
     * True when {@code args} are for the command line rather than for the gateway: a command (or a word that is not
     * an option, such as a mistyped command), or the standard {@code --help} / {@code --version} options (which must
     * not start the gateway).
     */
    public static boolean handles(String... args) {
        // the gateway's own arguments are --name=value settings: a first word that is not an option is a command,
        // maybe mistyped, which picocli refuses (exit 2, with suggestions) rather than starting the gateway
        return args.length > 0 && (commandNames().contains(args[0]) || STANDARD_OPTIONS.contains(args[0])
                || !args[0].startsWith("-"));
    }

    /** Runs a command and returns its exit code; does not call {@code System.exit}. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The version of the gateway's jar, "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SpieCli.class.getPackage().getImplementationVersion();
            return new String[]{"spie-gateway " + (version == null ? "dev" : version)};
        }
    }
}
