package fr.spie.gateway;

import java.util.function.Function;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The variables the {@code ${NAME:default}} placeholders of the config files read, at start-up and reload: the
 * environment variables, and the Spring properties of the same name (system properties, application files, tests).
 * A value is taken as it is written, as {@code config check} takes it: Spring would resolve a {@code ${...}} inside it
 * (a secret containing {@code ${} would change, or stop the start with the secret quoted in the error).
 */
public final class PlaceholderVariables {
    private PlaceholderVariables() {
    }

    public static Function<String, String> of(Environment env) {
        if (!(env instanceof ConfigurableEnvironment configurable)) {
            return env::getProperty;
        }
        return name -> {
            for (PropertySource<?> source : configurable.getPropertySources()) {
                Object value = source.getProperty(name);
                if (value != null) {
                    return value.toString();
                }
            }
            return null;
        };
    }
}
