package fr.spie.gateway.observability;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.delivery.DeliveryRoutes;
import fr.spie.gateway.messaging.DeliveryQueues;
import fr.spie.gateway.routing.RoutingConfigHolder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Gauges per recipient: {@code spie.queue.depth{recipient, queue=delivery|dead_letter}}: the delivery tasks waiting or
 * in delivery in the recipient's broker queue, and the dead letters waiting for an operator (deliveries in status
 * DEAD_LETTERED: the database is the dead-letter store, docs/operations.md); and
 * {@code spie.delivery.oldest.pending.age{recipient}}: how long the recipient's oldest delivery has waited for its
 * first attempt (in the outbox or its queue). One set per recipient of the configuration; recipients added by a reload
 * get theirs with their delivery route.
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
                Gauge.builder("spie.delivery.oldest.pending.age", jdbc, j -> oldestPendingAge(j, recipient))
                        .baseUnit("seconds")
                        .description("age of the recipient's oldest delivery waiting for its first attempt (since it "
                                + "was routed, replayed or requeued), 0 when none waits")
                        .tag("recipient", recipient)
                        .register(r);
            }
        }
    }

    private static double deadLetters(JdbcTemplate jdbc, String recipient) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE recipient = ? AND status = 'DEAD_LETTERED'",
                Long.class, recipient);
        return n == null ? 0 : n;
    }

    /**
     * Seconds since the oldest PENDING delivery of the recipient was last set PENDING. Read from the index on (status,
     * recipient, updated_at): the first entry of the range, whatever the backlog.
     */
    private static double oldestPendingAge(JdbcTemplate jdbc, String recipient) {
        List<Timestamp> oldest = jdbc.queryForList("SELECT updated_at FROM delivery WHERE status = 'PENDING' "
                + "AND recipient = ? ORDER BY status, recipient, updated_at LIMIT 1", Timestamp.class, recipient);
        if (oldest.isEmpty()) {
            return 0;
        }
        return Math.max(0, Duration.between(oldest.get(0).toInstant(), Instant.now()).toMillis() / 1000.0);
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
