package fr.spie.gateway.admin;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.delivery.DeliveryRecorder;
import fr.spie.gateway.delivery.DeliveryRoutes;
import fr.spie.gateway.observability.QueueMetrics;
import fr.spie.gateway.outbound.OutboundTransports;
import fr.spie.gateway.routing.ReleaseGate;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts the delivery route of each recipient a reloaded configuration introduces (CamelContext.addRoutes).
 * Routes of recipients that disappear keep running: whatever is still queued for them is blocked at delivery,
 * since no route of the configuration in force releases it.
 */
@Component
public class RecipientRouteRegistrar {
    private static final Logger log = LoggerFactory.getLogger(RecipientRouteRegistrar.class);

    private final CamelContext camel;
    private final DeliveryRecorder recorder;
    private final SpieProperties properties;
    private final ReleaseGate gate;
    private final OutboundTransports transports;
    private final QueueMetrics queueMetrics;

    public RecipientRouteRegistrar(CamelContext camel, DeliveryRecorder recorder, SpieProperties properties,
                                   ReleaseGate gate, OutboundTransports transports, QueueMetrics queueMetrics) {
        this.queueMetrics = queueMetrics;
        this.camel = camel;
        this.recorder = recorder;
        this.properties = properties;
        this.gate = gate;
        this.transports = transports;
    }

    /** Adds the routes before the configuration is swapped in, so that the first exchange finds its consumer. */
    public void addRoutesForNewRecipients(GatewayConfig next) {
        Set<String> missing = new LinkedHashSet<>();
        for (String recipient : DeliveryRoutes.recipients(next)) {
            if (camel.getRoute("deliver-" + recipient) == null) {
                missing.add(recipient);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try {
            camel.addRoutes(new DeliveryRoutes(new RoutingConfigHolder(next), recorder, properties, transports, gate,
                    missing));
            queueMetrics.register(next);
            log.info("delivery routes started for new recipient(s) {}", missing);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the delivery routes of " + missing + ": " + e.getMessage(),
                    e);
        }
    }
}
