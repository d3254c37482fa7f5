package fr.spie.gateway.observability;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.delivery.DeliveryRoutes;
import fr.spie.gateway.messaging.DeliveryQueues;
import fr.spie.gateway.routing.RoutingConfigHolder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Gauges per recipient: {@code spie.queue.depth{recipient, queue=delivery|dead_letter}}: the delivery tasks waiting or
 * in delivery in the recipient's broker queue, and the dead letters waiting for an operator (deliveries in status
 * DEAD_LETTERED: the database is the dead-letter store, docs/operations.md). One pair per recipient of the
 * configuration; recipients added by a reload get theirs with their delivery route.
 */
public final class QueueMetrics implements MeterBinder {
    private final QueueDepths depths;
    private final RoutingConfigHolder config;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    private final JdbcTemplate jdbc;

    public QueueMetrics(QueueDepths depths, RoutingConfigHolder config, JdbcTemplate jdbc) {
        this.depths = depths;
        this.config = config;
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        register(config.current());
    }

    /** Registers the gauges of the configuration's recipients that have none yet. */
    public void register(GatewayConfig gatewayConfig) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        for (String recipient : DeliveryRoutes.recipients(gatewayConfig)) {
            if (registered.add(recipient)) {
                gauge(r, recipient, "delivery", DeliveryQueues.deliveryQueue(recipient));
                Gauge.builder("spie.queue.depth", jdbc, j -> deadLetters(j, recipient))
                        .description("dead letters waiting for an operator (deliveries DEAD_LETTERED)")
                        .tag("recipient", recipient)
                        .tag("queue", "dead_letter")
                        .register(r);
            }
        }
    }

    private static double deadLetters(JdbcTemplate jdbc, String recipient) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE recipient = ? AND status = 'DEAD_LETTERED'",
                Long.class, recipient);
        return n == null ? 0 : n;
    }

    private void gauge(MeterRegistry r, String recipient, String kind, String queue) {
        Gauge.builder("spie.queue.depth", depths, d -> d.depth(queue).stream().mapToDouble(x -> x).findFirst()
                        .orElse(Double.NaN))
                .description("delivery tasks in a recipient's broker queue")
                .tag("recipient", recipient)
                .tag("queue", kind)
                .register(r);
    }
}
