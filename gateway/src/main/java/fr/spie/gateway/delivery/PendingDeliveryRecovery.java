package fr.spie.gateway.delivery;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.messaging.DeliveryQueue;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.ExchangeStore.QueuedDelivery;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Puts back on their queues the accepted deliveries that never reached them (the gateway stopped between storing an
 * exchange and queuing it). Runs at start-up and then periodically. Sending twice is harmless: the broker drops
 * duplicate tasks, and a task for a finished delivery is dropped by the consumer.
 */
@Component
public class PendingDeliveryRecovery implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(PendingDeliveryRecovery.class);
    private static final int BATCH = 500;

    private final ExchangeStore store;
    private final DeliveryQueue queue;
    private final SpieProperties properties;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "spie-delivery-recovery");
        thread.setDaemon(true);
        return thread;
    });

    public PendingDeliveryRecovery(ExchangeStore store, DeliveryQueue queue, SpieProperties properties) {
        this.store = store;
        this.queue = queue;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        recover(Instant.now());
        long interval = properties.delivery().recoveryInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::recoverSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void recoverSafely() {
        try {
            recover(Instant.now().minus(properties.delivery().recoveryGrace()));
        } catch (RuntimeException e) {
            log.warn("delivery recovery failed, will try again: {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }

    /** Re-enqueues the unqueued deliveries created before {@code createdBefore}; returns how many. */
    public int recover(Instant createdBefore) {
        int total = 0;
        List<QueuedDelivery> batch;
        do {
            batch = store.unqueued(createdBefore, BATCH);
            for (QueuedDelivery d : batch) {
                queue.enqueue(d.exchangeId(), d.recipient(), d.routeId(), d.subjectPseudonym());
                store.markEnqueued(d.exchangeId(), d.recipient());
            }
            total += batch.size();
        } while (batch.size() == BATCH);
        if (total > 0) {
            log.info("re-enqueued {} accepted deliveries that had not reached their queue", total);
        }
        return total;
    }
}
