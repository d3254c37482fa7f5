package fr.spie.gateway.report;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.Environment;

/**
 * The settings {@code spie.audit.person-report.*} (config/README.md) read into a {@link PersonReportPolicy}: the one
 * reading of them, for the API's report and the command line's alike.
 */
public final class PersonReportSettings {
    /** Purposes never told, comma-separated: {@code fraud-inquiry, other-inquiry}. */
    public static final String HIDDEN_PURPOSES = "spie.audit.person-report.hidden-purposes";
    /** Purposes told only after a delay, as an inline map of ISO-8601 durations: {@code {'rsa-inquiry':'P90D'}}. */
    public static final String DELAYED_PURPOSES = "spie.audit.person-report.delayed-purposes";

    private PersonReportSettings() {
    }

    /**
     * The gateway's settings, as its environment gives them (the gateway's, or the command line's built as start-up
     * builds it). Each is one string: written as a YAML list or map it has no value as a property, and would be
     * silently ignored (every purpose told), so it is refused instead.
     *
     * @throws IllegalStateException    when one is written as a YAML list or map
     * @throws IllegalArgumentException naming the setting, when a value cannot be read
     */
    public static PersonReportPolicy policy(Environment settings) {
        for (String key : List.of(HIDDEN_PURPOSES, DELAYED_PURPOSES)) {
            if (settings.getProperty(key) == null && writtenAsListOrMap(settings, key)) {
                throw new IllegalStateException(key + " is written as a YAML list or map, which the gateway does "
                        + "not read: write it as one string (config/README.md)");
            }
        }
        return policy(settings.getProperty(HIDDEN_PURPOSES), settings.getProperty(DELAYED_PURPOSES));
    }

    private static boolean writtenAsListOrMap(Environment settings, String key) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(settings)) {
            if (source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param hidden  the value of {@link #HIDDEN_PURPOSES}, or null
     * @param delayed the value of {@link #DELAYED_PURPOSES}, or null ({@code {:}} and blank: none)
     * @throws IllegalArgumentException naming the setting, when a value cannot be read
     */
    public static PersonReportPolicy policy(String hidden, String delayed) {
        Set<String> hiddenPurposes = new LinkedHashSet<>();
        for (String purpose : hidden == null ? new String[0] : hidden.split(",")) {
            if (!purpose.isBlank()) {
                hiddenPurposes.add(purpose.trim());
            }
        }
        return new PersonReportPolicy(hiddenPurposes, delays(delayed));
    }

    private static Map<String, Duration> delays(String map) {
        Map<String, Duration> delays = new LinkedHashMap<>();
        String text = map == null ? "" : map.trim();
        if (text.isEmpty()) {
            return delays;
        }
        if (!text.startsWith("{") || !text.endsWith("}")) {
            throw invalid("is not a map such as {'rsa-inquiry':'P90D'}");
        }
        String inner = text.substring(1, text.length() - 1).trim();
        if (inner.isEmpty() || inner.equals(":")) {
            return delays;
        }
        for (String entry : inner.split(",")) {
            int colon = entry.indexOf(':');
            String purpose = colon < 0 ? "" : unquote(entry.substring(0, colon));
            if (purpose.isEmpty()) {
                throw invalid("has an entry that is not 'purpose':'duration'");
            }
            String delay = unquote(entry.substring(colon + 1));
            try {
                delays.put(purpose, Duration.parse(delay));
            } catch (DateTimeParseException e) {
                throw invalid("gives '" + purpose + "' a delay that is not an ISO-8601 duration such as P90D");
            }
        }
        return delays;
    }

    private static String unquote(String text) {
        String t = text.trim();
        if (t.length() >= 2 && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))) {
            return t.substring(1, t.length() - 1).trim();
        }
        return t;
    }

    private static IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException(DELAYED_PURPOSES + " " + what);
    }
}
