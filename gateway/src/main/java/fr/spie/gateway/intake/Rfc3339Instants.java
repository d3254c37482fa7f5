package fr.spie.gateway.intake;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instant of an RFC 3339 date-time that a SPIE schema's {@code format: date-time} accepted. {@link OffsetDateTime}
 * reads most of them, but refuses two things RFC 3339 and the schema validator allow: a leap second
 * ({@code 2016-12-31T23:59:60Z}), read here as the second before it, as {@link Instant#parse} does (the Java
 * time-scale has no leap seconds), and more than nine fraction digits, cut to nanoseconds. Plain Java.
 */
public final class Rfc3339Instants {
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}):(\\d{2})(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final int NANO_DIGITS = 9;

    private Rfc3339Instants() {
    }

    /** @throws java.time.format.DateTimeParseException when the text is not an RFC 3339 date-time */
    public static Instant parse(String text) {
        Matcher m = DATE_TIME.matcher(text);
        if (!m.matches()) {
            return OffsetDateTime.parse(text).toInstant();
        }
        String second = m.group(2).equals("60") ? "59" : m.group(2);
        String fraction = m.group(3) == null ? "" : m.group(3).substring(0, Math.min(m.group(3).length(),
                NANO_DIGITS + 1));
        return OffsetDateTime.parse(m.group(1) + ":" + second + fraction + m.group(4)).toInstant();
    }
}
