package fr.spie.gateway.delivery;

import fr.spie.gateway.routing.ReleaseGate;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.ExchangeStore.QueuedDelivery;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Records left waiting for a recipient that no route of the configuration delivers to any more, found at start-up.
 * While the gateway runs, a recipient taken out of the routes keeps its consumer, and each of its waiting records is
 * blocked at its next attempt (the {@link ReleaseGate}: route-not-in-config). After a restart no consumer is started
 * for it: its records would stay pending for ever, in a queue nobody reads. They are put through the same
 * {@link ReleaseGate} here, and blocked the same way (BLOCKED, with its audit event). Withdrawal notices, which the gate
 * always releases, are left waiting: a route to that recipient must come back for them to be delivered.
 */
@Component
public class UnroutedDeliveries {
    private static final Logger log = LoggerFactory.getLogger(UnroutedDeliveries.class);

    private final RoutingConfigHolder configHolder;
    private final ExchangeStore store;
    private final DeliveryRecorder recorder;
    private final ReleaseGate gate;

    public UnroutedDeliveries(RoutingConfigHolder configHolder, ExchangeStore store, DeliveryRecorder recorder,
                              ReleaseGate gate) {
        this.configHolder = configHolder;
        this.store = store;
        this.recorder = recorder;
        this.gate = gate;
    }

    /** Blocks the unfinished deliveries to recipients without a delivery route; returns how many. */
    @EventListener(ApplicationReadyEvent.class)
    public int blockAtStart() {
        Set<String> routed = DeliveryRoutes.recipients(configHolder.current());
        int blocked = 0;
        int notices = 0;
        for (QueuedDelivery d : store.unfinishedExcept(routed)) {
            Optional<DeliveryTask> task = recorder.prepare(d.exchangeId(), d.recipient());
            if (task.isEmpty()) {
                continue;
            }
            if (gate.decide(task.get()).deliver()) {
                notices++; // a withdrawal notice (the gate always releases them): it waits for a route to come back
                continue;
            }
            gate.release(task.get()); // blocked and recorded (route-not-in-config)
            blocked++;
        }
        if (blocked > 0) {
            log.warn("{} record(s) waiting for recipients that no route delivers to any more were blocked "
                    + "(route-not-in-config)", blocked);
        }
        if (notices > 0) {
            log.warn("{} withdrawal notice(s) wait for recipients that no route delivers to any more: they are "
                    + "delivered once a route to them comes back", notices);
        }
        return blocked;
    }
}
