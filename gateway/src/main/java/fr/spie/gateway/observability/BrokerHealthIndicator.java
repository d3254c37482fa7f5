package fr.spie.gateway.observability;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.messaging.EmbeddedBroker;
import jakarta.jms.Connection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code broker} health: the embedded broker is active (with a {@code diskFull} detail while its file system is
 * used beyond its limit), or the external broker accepts a connection (one attempt, no reconnection, so that a check
 * never hangs).
 */
public final class BrokerHealthIndicator implements HealthIndicator {
    private final EmbeddedBroker embedded;
    private final SpieProperties properties;

    /** @param embedded the embedded broker, or null when {@code spie.broker.url} names an external one */
    public BrokerHealthIndicator(EmbeddedBroker embedded, SpieProperties properties) {
        this.embedded = embedded;
        this.properties = properties;
    }

    @Override
    public Health health() {
        if (embedded != null) {
            if (!embedded.active()) {
                return Health.down().withDetail("error", "the broker is not active").withDetail("broker", "embedded")
                        .build();
            }
            Health.Builder up = Health.up().withDetail("broker", "embedded");
            if (embedded.diskFull()) { // still up: exchanges are accepted, their deliveries wait in the outbox
                up.withDetail("diskFull", "its file system is used beyond spie.broker.max-disk-usage: it takes no "
                        + "more messages, deliveries wait in the outbox until space is freed");
            }
            return up.build();
        }
        try (ActiveMQConnectionFactory probe = new ActiveMQConnectionFactory(properties.broker().url())) {
            probe.setReconnectAttempts(0);
            probe.setInitialConnectAttempts(1);
            probe.setCallTimeout(2_000);
            // also the TCP connect timeout (Artemis takes the TTL when none is given): a host that drops the
            // connection requests held the check 5 s
            probe.setConnectionTTL(2_000);
            try (Connection c = properties.broker().user() == null ? probe.createConnection()
                    : probe.createConnection(properties.broker().user(), properties.broker().password())) {
                return Health.up().withDetail("broker", "external").build();
            }
        } catch (Exception e) {
            return Health.down().withDetail("broker", "external")
                    .withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
