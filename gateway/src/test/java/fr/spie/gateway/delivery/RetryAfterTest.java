package fr.spie.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.config.Delivery;
import java.net.URI;
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
    static final Delivery DELIVERY = new Delivery(URI.create("http://localhost/x"), Duration.ofSeconds(1),
            Duration.ofSeconds(5), 6, Duration.ofMillis(500), 2.0, Duration.ofSeconds(60), 0.2);

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

    @Test
    void theNextDelayIsTheLongerOfTheBackoffAndRetryAfterCappedAtFifteenMinutes() {
        assertThat(DeliveryRoutes.delayAtLeast(Duration.ofSeconds(3), 1, DELIVERY)).isEqualTo(3000);
        assertThat(DeliveryRoutes.delayAtLeast(Duration.ofMillis(100), 1, DELIVERY)).isEqualTo(500);
        assertThat(DeliveryRoutes.delayAtLeast(Duration.ofMillis(100), 4, DELIVERY)).isEqualTo(4000);
        assertThat(DeliveryRoutes.delayAtLeast(Duration.ofHours(2), 2, DELIVERY)).isEqualTo(15 * 60_000);
    }

    @Test
    void onlyRetryableFailuresCarryADelay() {
        assertThat(new DeliveryFailure("x", false, Duration.ofSeconds(1)).retryAfter()).isEmpty();
        assertThat(new DeliveryFailure("x", true, Duration.ofSeconds(1)).retryAfter()).contains(Duration.ofSeconds(1));
    }
}
