package fr.spie.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-10T10:00:00Z"), ZoneOffset.UTC);

    static HttpHeaders headers(String retryAfter) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (k, v) -> true);
    }

    @Test
    void secondsOrHttpDate() {
        assertThat(RetryAfter.of(headers("7"), CLOCK)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.of(headers("Mon, 10 Mar 2025 10:00:30 GMT"), CLOCK)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.of(headers("Mon, 10 Mar 2025 09:00:00 GMT"), CLOCK)).contains(Duration.ZERO);
        assertThat(RetryAfter.of(headers("soon"), CLOCK)).isEmpty();
        assertThat(RetryAfter.of(HttpHeaders.of(Map.of(), (k, v) -> true), CLOCK)).isEmpty();
    }

    /** RFC 9110 §5.6.7: a recipient MUST accept the three HTTP-date formats, not only the IMF-fixdate. */
    @Test
    void theObsoleteHttpDateFormatsAreReadToo() {
        // RFC 850, two-digit year: 25 is 2025 (a year more than 50 years ahead is read in the past century)
        assertThat(RetryAfter.of(headers("Monday, 10-Mar-25 10:00:30 GMT"), CLOCK)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.of(headers("Sunday, 06-Nov-94 08:49:37 GMT"), CLOCK)).contains(Duration.ZERO);
        // ANSI C asctime(), the day of the month padded with a space
        assertThat(RetryAfter.of(headers("Mon Mar 10 10:02:00 2025"), CLOCK)).contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.of(headers("Sun Nov  6 08:49:37 1994"), CLOCK)).contains(Duration.ZERO);
    }

    /** Absurd values: negative is now, longer than a long is the longest delay, garbage is none. */
    @Test
    void absurdValues() {
        assertThat(RetryAfter.of(headers("-5"), CLOCK)).contains(Duration.ZERO);
        assertThat(RetryAfter.of(headers("9223372036854775807"), CLOCK)).contains(Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(RetryAfter.of(headers("99999999999999999999999"), CLOCK)).contains(Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(RetryAfter.of(headers("Fri, 31 Dec 9999 23:59:59 GMT"), CLOCK)).hasValueSatisfying(
                d -> assertThat(d).isGreaterThan(Duration.ofDays(365L * 7000)));
        assertThat(RetryAfter.of(headers("1.5"), CLOCK)).isEmpty();
        assertThat(RetryAfter.of(headers("12 seconds"), CLOCK)).isEmpty();
        assertThat(RetryAfter.of(headers(""), CLOCK)).isEmpty();
        assertThat(RetryAfter.of(headers("Mon, 32 Mar 2025 10:00:30 GMT"), CLOCK)).isEmpty();
    }
}
