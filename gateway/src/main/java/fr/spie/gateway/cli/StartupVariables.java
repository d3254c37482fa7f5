package fr.spie.gateway.cli;

import fr.spie.gateway.PlaceholderVariables;
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

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
