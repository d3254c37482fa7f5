package fr.spie.gateway.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in config files: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601 {@code PT2S}. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Map<String, ChronoUnit> UNITS = Map.of("ms", ChronoUnit.MILLIS, "s", ChronoUnit.SECONDS,
            "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS);

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message fit for an administrator */
    public static Duration parse(String text) {
        Matcher m = SHORT.matcher(text);
        Duration duration;
        if (m.matches()) {
            duration = Duration.of(Long.parseLong(m.group(1)), UNITS.get(m.group(2)));
        } else {
            try {
                duration = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration: write 500ms, 2s, 5m, 1h, 1d"
                        + " or ISO-8601 such as PT2S");
            }
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("'" + text + "' must be a positive duration");
        }
        return duration;
    }
}
