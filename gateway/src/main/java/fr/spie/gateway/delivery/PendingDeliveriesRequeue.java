package fr.spie.gateway.delivery;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.store.ExchangeStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queues again the pending deliveries the database says are on a recipient's queue: after the database was restored
 * without the broker's journal (or the journal was lost), those tasks are not on the queue any more and nothing would
 * ever deliver them. Each gets a new task (its broker duplicate id changes, {@code delivery.replays} + 1) sent by the
 * outbox. A task that was still queued is then there twice: whichever comes second finds the delivery settled and is
 * dropped, and a record delivered since the backup is sent again with its {@code Idempotency-Key}, which the recipient
 * recognises. One {@code DELIVERIES_REQUEUED} audit event per call, with the admin as actor.
 */
@Service
public class PendingDeliveriesRequeue {
    private static final Logger log = LoggerFactory.getLogger(PendingDeliveriesRequeue.class);

    private final ExchangeStore store;
    private final TransactionTemplate tx;
    private final AuditTrail audit;
    private final OutboxDispatcher outbox;
    private final Clock clock;

    @Autowired
    public PendingDeliveriesRequeue(ExchangeStore store, TransactionTemplate tx, AuditTrail audit,
                                    OutboxDispatcher outbox) {
        this(store, tx, audit, outbox, Clock.systemUTC());
    }

    PendingDeliveriesRequeue(ExchangeStore store, TransactionTemplate tx, AuditTrail audit, OutboxDispatcher outbox,
                             Clock clock) {
        this.store = store;
        this.tx = tx;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Queues again the recipient's pending deliveries (every recipient's when {@code recipient} is null).
     *
     * @param reason why, for the audit trail (no personal data)
     * @param admin  who asked
     * @return how many deliveries were queued again
     */
    public int requeue(String recipient, String reason, String admin) {
        Integer count = tx.execute(s -> {
            int n = store.requeuePending(recipient, clock.instant());
            audit.append(AuditEvent.of(AuditEventType.DELIVERIES_REQUEUED, null, admin)
                    .withRecipient(recipient, null)
                    .withDetail(n + " pending deliver" + (n == 1 ? "y" : "ies") + " queued again"
                            + (recipient == null ? " (every recipient)" : "") + ": " + reason));
            return n;
        });
        int n = count == null ? 0 : count;
        log.info("{} pending deliveries to {} queued again at the request of {}", n,
                recipient == null ? "every recipient" : recipient, admin);
        outbox.wakeUp();
        return n;
    }
}
