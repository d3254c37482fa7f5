package fr.spie.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.observability.BrokerHealthIndicator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code spie.broker.max-disk-usage} reaches the embedded broker: above it the broker takes no more messages, and the
 * broker health says so while staying UP (exchanges are still accepted; their deliveries wait in the outbox).
 */
class EmbeddedBrokerDiskUsageTest {

    @Test
    void aFileSystemUsedBeyondTheLimitStopsTheBrokerTakingMessagesAndHealthSaysSo(@TempDir Path dir) throws Exception {
        SpieProperties properties = new SpieProperties(dir.toString(), null, null,
                new SpieProperties.Broker(null, null, null, null, 1), null, null);
        try (EmbeddedBroker broker = new EmbeddedBroker(dir.resolve("artemis"), true,
                properties.broker().maxDiskUsage())) {
            // any file system holding a build is more than 1 % used; the broker looks every few seconds
            await().atMost(Duration.ofSeconds(20)).until(broker::diskFull);
            Health health = new BrokerHealthIndicator(broker, properties).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKey("diskFull");
        }
    }

    @Test
    void theLimitIsAPercentageAndDefaultsToArtemissOwn() {
        assertThat(new SpieProperties.Broker(null, null, null, null, null).maxDiskUsage()).isEqualTo(90);
        assertThat(new SpieProperties.Broker(null, null, null, null, 100).maxDiskUsage()).isEqualTo(100);
        assertThatThrownBy(() -> new SpieProperties.Broker(null, null, null, null, 0))
                .hasMessageContaining("spie.broker.max-disk-usage must be a percentage from 1 to 100, not 0");
        assertThatThrownBy(() -> new SpieProperties.Broker(null, null, null, null, 101))
                .hasMessageContaining("from 1 to 100, not 101");
    }
}
