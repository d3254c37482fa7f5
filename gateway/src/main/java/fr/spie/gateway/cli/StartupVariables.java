package fr.spie.gateway.cli;

import fr.spie.gateway.PlaceholderVariables;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The variables the placeholders of the config files read, as a gateway started with the same {@code --name=value}
 * arguments, JVM system properties and environment would read them ({@link PlaceholderVariables}), in the order Spring
 * Boot gives them: the {@code --name=value} arguments, {@code SPRING_APPLICATION_JSON}, the system properties
 * ({@code -Dname=value}), the environment variables, then the application files ({@code application.yml} in the jar,
 * {@code ./application.yml}, {@code ./config/application.yml}, {@code spring.config.location}... with the profiles of
 * {@code spring.profiles.active}).
 */
final class StartupVariables {
    /** The environment variables the gateway reads: null for the process's own, else the one given (tests). */
    private final Function<String, String> environment;

    private StartupVariables(Function<String, String> environment) {
        this.environment = environment;
    }

    /** The process's own system properties and environment variables. */
    static StartupVariables ofProcess() {
        return new StartupVariables(null);
    }

    /** The process's system properties, and {@code environment} as its environment variables. */
    static StartupVariables withEnvironment(Function<String, String> environment) {
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
        }
        return List.copyOf(unmatched);
    }

    /**
     * {@link #forArguments}, or null when the settings cannot be read (a {@code spring.config.location} that does not
     * exist: the gateway would not start either), after saying why on {@code err}: the first line of the reason only,
     * as the rest may quote an application file, which may hold a secret.
     */
    Function<String, String> forArgumentsOrExplain(List<String> arguments, PrintWriter err) {
        try {
            return forArguments(arguments);
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
        StandardEnvironment env = new StandardEnvironment();
        if (environment != null) {
            env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new PropertySource<>(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME) {
                        @Override
                        public Object getProperty(String name) {
                            return environment.apply(name);
                        }
                    });
        }
        if (!arguments.isEmpty()) {
            env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(arguments.toArray(String[]::new)));
        }
        new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(env, null);
        ConfigDataEnvironmentPostProcessor.applyTo(env);
        return PlaceholderVariables.of(env);
    }
}
