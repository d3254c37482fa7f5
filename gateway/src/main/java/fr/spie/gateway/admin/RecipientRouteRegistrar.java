package fr.spie.gateway.admin;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.delivery.DeliveryRecorder;
import fr.spie.gateway.delivery.DeliveryRoutes;
import fr.spie.gateway.delivery.RecipientOutages;
import fr.spie.gateway.observability.QueueMetrics;
import fr.spie.gateway.outbound.OutboundTransports;
import fr.spie.gateway.routing.ReleaseGate;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.config.Partner;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts the delivery route of each recipient a reloaded configuration introduces (CamelContext.addRoutes).
 * Routes of recipients that disappear keep running: whatever is still queued for them is blocked at delivery,
 * since no route of the configuration in force releases it. A running route keeps the delivery settings it started
 * with: {@link #deliverySettingsAwaitingRestart} names the recipients whose settings a reload changed.
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
    private final RecipientOutages outages;

    public RecipientRouteRegistrar(CamelContext camel, DeliveryRecorder recorder, SpieProperties properties,
                                   ReleaseGate gate, OutboundTransports transports, QueueMetrics queueMetrics,
                                   RecipientOutages outages) {
        this.queueMetrics = queueMetrics;
        this.outages = outages;
        this.camel = camel;
        this.recorder = recorder;
        this.properties = properties;
        this.gate = gate;
        this.transports = transports;
    }

    /**
     * The recipients of {@code next} whose delivery route runs with other delivery settings (URL, transport,
     * timeouts, retries) than {@code next} gives them: a route keeps the settings it started with until the next start.
     */
    public List<String> deliverySettingsAwaitingRestart(GatewayConfig next) {
        List<String> awaiting = new ArrayList<>();
        for (String recipient : DeliveryRoutes.recipients(next)) {
            Delivery configured = next.partner(recipient).map(Partner::delivery).orElse(null);
            transports.deliveryInUse(recipient).filter(inUse -> !sameRouteSettings(inUse, configured))
                    .ifPresent(inUse -> awaiting.add(recipient));
        }
        return awaiting;
    }

    /** Equal but for subjectFields, which the release gate reads from the configuration in force at each attempt. */
    private static boolean sameRouteSettings(Delivery inUse, Delivery configured) {
        return configured != null && inUse.equals(new Delivery(configured.url(), configured.connectTimeout(),
                configured.timeout(), configured.maxAttempts(), configured.initialBackoff(), configured.multiplier(),
                configured.maxBackoff(), configured.jitter(), configured.transport(), configured.maxRatePerSecond(),
                configured.outage(), inUse.subjectFields()));
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
                    outages, missing));
            queueMetrics.register(next);
            log.info("delivery routes started for new recipient(s) {}", missing);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the delivery routes of " + missing + ": " + e.getMessage(),
                    e);
        }
    }
}
