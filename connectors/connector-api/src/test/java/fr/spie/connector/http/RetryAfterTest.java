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
}
