package fr.spie.gateway.cli;

import fr.spie.gateway.PlaceholderVariables;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The variables the placeholders of the config files read, as a gateway started with the same {@code --name=value}
 * arguments, JVM system properties and environment would read them ({@link PlaceholderVariables}), in the order Spring
 * Boot gives them: the {@code --name=value} arguments, {@code SPRING_APPLICATION_JSON}, the system properties
 * ({@code -Dname=value}), the environment variables, then the application files ({@code application.yml} in the jar,
 * {@code ./application.yml}, {@code ./config/application.yml}, {@code spring.config.location}... with the profiles of
 * {@code spring.profiles.active}). The gateway's own settings ({@code spie.*}) are read from the same environment
 * ({@link #environment}), with Spring Boot's relaxed names ({@code SPIE_CONFIG_DIR} for {@code spie.config-dir}).
 */
final class StartupVariables {
    /** A placeholder's variable name, as the config files write it. */
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The environment variables the gateway reads: null for the process's own, else the one given (tests). */
    private final Map<String, String> environment;

    private StartupVariables(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The process's own system properties and environment variables. */
    static StartupVariables ofProcess() {
        return new StartupVariables(null);
    }

    /** The process's system properties, and {@code environment} as its environment variables (tests). */
    static StartupVariables withEnvironment(Map<String, String> environment) {
        return new StartupVariables(environment);
    }

    /**
     * The gateway's settings among the arguments a command did not match.
     *
     * @throws ParameterException when one is not a {@code --name=value} setting (a wrong command line)
     */
    static List<String> settings(CommandLine commandLine, List<String> unmatched) {
        for (String argument : unmatched) {
            if (!argument.startsWith("--") || argument.length() == 2 || argument.startsWith("--=")) {
                throw new ParameterException(commandLine, "Unexpected argument '" + argument + "': besides its "
                        + "parameters, the command takes only the gateway's settings, as --NAME=value"
                        + (argument.startsWith("-D") ? " (a system property goes before -jar: java -D... -jar ...)"
                        : ""));
            }
            String name = argument.substring(2).split("=", 2)[0];
            String option = "--" + name;
            String near = nearestOption(commandLine, option);
            if (!name.contains(".") && !VARIABLE.matcher(name).matches() || near != null) {
                // a mistyped option of the command would otherwise be taken as a setting, and silently ignored
                throw new ParameterException(commandLine, "Unknown option '" + option + "'"
                        + (near != null ? " (did you mean " + near + "?)" : "") + ": the gateway's settings are "
                        + "--NAME=value with NAME a property (spie.config-dir) or a variable (SPIE_TOKEN_CAF_51)");
            }
        }
        return List.copyOf(unmatched);
    }

    /** The command's option that {@code option} is a likely typo of (one or two letters off), or null. */
    private static String nearestOption(CommandLine commandLine, String option) {
        for (String known : commandLine.getCommandSpec().optionsMap().keySet()) {
            if (known.startsWith("--") && editDistance(known, option) <= 2) {
                return known;
            }
        }
        return null;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * {@link #forArguments}, or null when the settings cannot be read (a {@code spring.config.location} that does not
     * exist: the gateway would not start either), after saying why on {@code err}: the first line of the reason only,
     * as the rest may quote an application file, which may hold a secret.
     */
    Function<String, String> forArgumentsOrExplain(List<String> arguments, PrintWriter err) {
        ConfigurableEnvironment env = environmentOrExplain(arguments, err);
        return env == null ? null : PlaceholderVariables.of(env);
    }

    /** {@link #environment}, or null after saying why on {@code err}, as {@link #forArgumentsOrExplain}. */
    ConfigurableEnvironment environmentOrExplain(List<String> arguments, PrintWriter err) {
        try {
            return environment(arguments);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("");
            err.println("cannot read the gateway's settings: " + message);
            err.flush();
            return null;
        }
    }

    /**
     * @param arguments {@code --name=value} arguments, as the gateway takes them on its command line
     * @return the variables, each as written (a {@code ${...}} in a value is not resolved again)
     */
    Function<String, String> forArguments(List<String> arguments) {
        return PlaceholderVariables.of(environment(arguments));
    }

    /**
     * The environment a gateway started with these arguments would have: its settings read with
     * {@link Environment#getProperty} as the gateway reads them (relaxed names, placeholders in values resolved).
     *
     * @param arguments {@code --name=value} arguments, as the gateway takes them on its command line
     */
    ConfigurableEnvironment environment(List<String> arguments) {
        StandardEnvironment env = new StandardEnvironment();
        if (environment != null) {
            // a SystemEnvironmentPropertySource, as the process's: SPIE_CONFIG_DIR is read for spie.config-dir
            env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            new LinkedHashMap<>(environment)));
        }
        if (!arguments.isEmpty()) {
            env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(arguments.toArray(String[]::new)));
        }
        new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(env, null);
        ConfigDataEnvironmentPostProcessor.applyTo(env);
        ConfigurationPropertySources.attach(env);
        return env;
    }

    /** The gateway's configuration directory: its {@code spie.config-dir}, {@code config} when empty, as it reads it. */
    static Path configDir(Environment gateway) {
        String configured = gateway.getProperty("spie.config-dir");
        return Path.of(configured == null || configured.isBlank() ? "config" : configured);
    }

    /**
     * When the gateway's configuration directory ({@link #configDir}, for a command given no --config) is not a
     * directory: what to say, with where the setting came from and what to give; else null.
     */
    static String configDirMissing(Environment gateway) {
        Path dir = configDir(gateway);
        if (Files.isDirectory(dir)) {
            return null;
        }
        String origin = originOf(gateway, "spie.config-dir");
        return "no configuration directory " + dir.toAbsolutePath().normalize() + " (" + (origin == null
                ? "spie.config-dir is not set: config, in the working directory" : "spie.config-dir, from " + origin)
                + "): give --config DIR, or the gateway's spie.config-dir (SPIE_CONFIG_DIR)";
    }

    /**
     * Where the gateway's setting {@code key} comes from in {@code env}, to tell the operator (never its value), or
     * null when it is not set.
     */
    static String originOf(Environment env, String key) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(env)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property == null) {
                continue;
            }
            Object underlying = source.getUnderlyingSource();
            if (underlying instanceof CommandLinePropertySource<?>) {
                return "setting --" + key;
            }
            if (underlying instanceof PropertySource<?> ps
                    && StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(ps.getName())) {
                return "system property " + key;
            }
            Origin origin = property.getOrigin();
            return origin != null ? origin.toString()
                    : underlying instanceof PropertySource<?> ps ? ps.getName() : String.valueOf(underlying);
        }
        return null;
    }
}
