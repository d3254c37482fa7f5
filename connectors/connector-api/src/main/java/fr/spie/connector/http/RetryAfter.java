package fr.spie.connector.http;

import java.math.BigInteger;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP Retry-After header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, as a delay from now (never
 * negative); empty when absent or unreadable. The HTTP-date may take any of the three formats a recipient must accept
 * (§5.6.7): the IMF-fixdate {@code Sun, 06 Nov 1994 08:49:37 GMT}, the obsolete RFC 850
 * {@code Sunday, 06-Nov-94 08:49:37 GMT} and asctime {@code Sun Nov  6 08:49:37 1994}. Seconds beyond a long are
 * read as the longest duration (the caller caps what it honours). Used by the partner API clients and the gateway's
 * deliveries.
 */
public final class RetryAfter {
    private static final Pattern SECONDS = Pattern.compile("[+-]?[0-9]+");
    private static final BigInteger MAX_SECONDS = BigInteger.valueOf(Long.MAX_VALUE);
    /** The obsolete formats, read after their day name (redundant; a two-digit year would make it disagree). */
    private static final Pattern RFC_850_DATE = Pattern.compile("[A-Z][a-z]+day, (.+)");
    private static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("dd-MMM-uu HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Pattern ASCTIME_DATE = Pattern.compile("[A-Z][a-z]{2} (.+)");
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss uuuu", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private RetryAfter() {
    }

    public static Optional<Duration> of(HttpHeaders headers, Clock clock) {
        Optional<String> value = headers.firstValue("Retry-After");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get().trim();
        if (SECONDS.matcher(v).matches()) {
            BigInteger seconds = new BigInteger(v);
            return Optional.of(seconds.signum() <= 0 ? Duration.ZERO : Duration.ofSeconds(seconds.min(MAX_SECONDS).longValue()));
        }
        return date(v, clock).map(at -> {
            Duration d = Duration.between(clock.instant(), at);
            return d.isNegative() ? Duration.ZERO : d;
        });
    }

    private static Optional<Instant> date(String v, Clock clock) {
        try {
            return Optional.of(ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            // an obsolete format?
        }
        try {
            Matcher rfc850 = RFC_850_DATE.matcher(v);
            if (rfc850.matches()) {
                ZonedDateTime at = ZonedDateTime.parse(rfc850.group(1), RFC_850);
                // two-digit year: read as 20yy, and one more than 50 years ahead as in the past century (§5.6.7)
                if (at.isAfter(clock.instant().atZone(ZoneOffset.UTC).plusYears(50))) {
                    at = at.minusYears(100);
                }
                return Optional.of(at.toInstant());
            }
            Matcher asctime = ASCTIME_DATE.matcher(v);
            if (asctime.matches()) {
                return Optional.of(ZonedDateTime.parse(asctime.group(1), ASCTIME).toInstant());
            }
        } catch (DateTimeParseException e) {
            // unreadable: no delay asked
        }
        return Optional.empty();
    }
}
