package fr.spie.gateway.delivery;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.messaging.DeliveryQueue;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.ExchangeStore.QueuedDelivery;
import fr.spie.gateway.store.GroupCommit;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Transactional outbox: intake commits an exchange and its pending deliveries to the database (that commit is what
 * makes a 202 durable) and wakes this dispatcher, which moves pending deliveries to their recipients' queues in
 * batches — one broker transaction per batch — then marks them queued. After a crash it simply finds what was not yet
 * queued. Sending twice is harmless: the broker drops duplicate tasks and the consumer drops tasks already finished.
 */
@Component
public class OutboxDispatcher implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final int BATCH = 500;

    private final ExchangeStore store;
    private final DeliveryQueue queue;
    private final SpieProperties properties;
    private final GroupCommit groupCommit;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running = true;
    private Thread thread;

    public OutboxDispatcher(ExchangeStore store, DeliveryQueue queue, SpieProperties properties,
                            GroupCommit groupCommit) {
        this.store = store;
        this.groupCommit = groupCommit;
        this.queue = queue;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::loop, "spie-outbox-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Tells the dispatcher that new deliveries are waiting. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void loop() {
        long idleWait = properties.delivery().recoveryInterval().toMillis();
        while (running) {
            try {
                wakeUps.tryAcquire(idleWait, TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                dispatchPending();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("outbox dispatch failed, will try again: {}", e.toString());
                sleepQuietly(1000);
            }
        }
    }

    /** Queues every pending delivery not yet queued; returns how many. */
    public int dispatchPending() {
        int total = 0;
        List<QueuedDelivery> batch;
        do {
            batch = store.unqueued(BATCH);
            if (!batch.isEmpty()) {
                queue.enqueueAll(batch);
                // one commit for the batch, shared with the intakes and delivery steps of the moment (GroupCommit)
                List<QueuedDelivery> queued = batch;
                groupCommit.execute("outbox", () -> store.markEnqueued(queued));
                total += batch.size();
            }
        } while (batch.size() == BATCH && running);
        return total;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            t.join(5000);
        }
    }
}
