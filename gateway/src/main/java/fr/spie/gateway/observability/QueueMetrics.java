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

/**
 * Gauges of the recipients' broker queues: {@code spie.queue.depth{recipient, queue=delivery|dead_letter}} (tasks
 * waiting or in delivery; the dead-letter depth is the number of dead letters waiting for an operator). One pair per
 * recipient of the configuration; recipients added by a reload get theirs with their delivery route.
 */
public final class QueueMetrics implements MeterBinder {
    private final QueueDepths depths;
    private final RoutingConfigHolder config;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    public QueueMetrics(QueueDepths depths, RoutingConfigHolder config) {
        this.depths = depths;
        this.config = config;
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
                gauge(r, recipient, "dead_letter", DeliveryQueues.deadLetterQueue(recipient));
            }
        }
    }

    private void gauge(MeterRegistry r, String recipient, String kind, String queue) {
        Gauge.builder("spie.queue.depth", depths, d -> d.depth(queue).stream().mapToDouble(x -> x).findFirst()
                        .orElse(Double.NaN))
                .description("messages in a recipient's broker queue (delivery tasks, or dead letters)")
                .tag("recipient", recipient)
                .tag("queue", kind)
                .register(r);
    }
}
