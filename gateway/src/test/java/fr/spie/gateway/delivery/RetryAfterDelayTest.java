package fr.spie.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.config.Delivery;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the gateway uses a recipient's Retry-After (parsed by {@code fr.spie.connector.http.RetryAfter}). */
class RetryAfterDelayTest {
    static final Delivery DELIVERY = new Delivery(URI.create("http://localhost/x"), Duration.ofSeconds(1),
            Duration.ofSeconds(5), 6, Duration.ofMillis(500), 2.0, Duration.ofSeconds(60), 0.2);

    @Test
    void theNextDelayIsTheLongerOfTheBackoffAndRetryAfterCappedAtFifteenMinutes() {
        assertThat(DeliveryRoutes.delayAtLeast(Duration.ofSeconds(3), 1, DELIVERY)).isEqualTo(3000);
        assertThat(DeliveryRoutes.delayAtLeast(Duration.ofMillis(100), 1, DELIVERY)).isEqualTo(500);
        assertThat(DeliveryRoutes.delayAtLeast(Duration.ofMillis(100), 4, DELIVERY)).isEqualTo(4000);
        assertThat(DeliveryRoutes.delayAtLeast(Duration.ofHours(2), 2, DELIVERY)).isEqualTo(15 * 60_000);
        // a Retry-After of 9223372036854775807 seconds (or a date thousands of years ahead): overflowed toMillis()
        // (ArithmeticException in the redelivery decision) before it was capped
        assertThat(DeliveryRoutes.delayAtLeast(Duration.ofSeconds(Long.MAX_VALUE), 2, DELIVERY)).isEqualTo(15 * 60_000);
        assertThat(DeliveryRoutes.delayAtLeast(Duration.ofSeconds(Long.MAX_VALUE / 1000), 2, DELIVERY))
                .isEqualTo(15 * 60_000);
    }

    @Test
    void onlyRetryableFailuresCarryADelay() {
        assertThat(new DeliveryFailure("x", false, Duration.ofSeconds(1)).retryAfter()).isEmpty();
        assertThat(new DeliveryFailure("x", true, Duration.ofSeconds(1)).retryAfter()).contains(Duration.ofSeconds(1));
    }
}
