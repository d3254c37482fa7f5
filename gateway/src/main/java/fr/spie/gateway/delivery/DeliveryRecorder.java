package fr.spie.gateway.delivery;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.observability.ExchangeMetrics;
import fr.spie.gateway.store.DeliveryRow;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.GroupCommit;
import fr.spie.gateway.store.StoredExchange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Records each step of a delivery in the delivery table and the audit trail, in one transaction per step. */
@Component
public class DeliveryRecorder {
    private final ExchangeStore store;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final ExchangeMetrics metrics;
    private final GroupCommit groupCommit;

    public DeliveryRecorder(ExchangeStore store, AuditTrail audit, TransactionTemplate tx, ExchangeMetrics metrics,
                            GroupCommit groupCommit) {
        this.groupCommit = groupCommit;
        this.store = store;
        this.audit = audit;
        this.tx = tx;
        this.metrics = metrics;
    }

    /** Times one attempt (the transport call) and, once delivered, the exchange's time from reception. */
    public void timed(DeliveryTask task, boolean delivered, long nanos) {
        metrics.attempt(task.recipient(), delivered, nanos);
        if (delivered) {
            metrics.delivered(task.recipient(), task.exchange().receivedAt());
        }
    }

    /**
     * What the next attempt sends, or empty when there is nothing (left) to deliver: unknown exchange, or already
     * delivered, dead-lettered or blocked (a duplicate task).
     */
    public Optional<DeliveryTask> prepare(UUID exchangeId, String recipient) {
        return store.pendingAttempt(exchangeId, recipient)
                .filter(p -> !p.status().terminal())
                .map(p -> new DeliveryTask(p.exchange(), recipient, p.routeId(), p.attempts() + 1, p.envelope()));
    }

    /**
     * Records the recipient has waiting in its queue, each the first not settled of its person, least recently tried
     * first: candidates for a probe when the records in hand have all failed theirs.
     */
    public List<UUID> waiting(String recipient, int limit) {
        return store.waitingFirstOfTheirPerson(recipient, limit);
    }

    public void delivered(DeliveryTask task) {
        recordAttempt(task, DeliveryStatus.DELIVERED, null, null, AuditEventType.DELIVERED,
                "acknowledged at attempt " + task.attempt(), task.exchange().configVersion());
    }

    /** @param released what was released (fields, rule, config version), recorded in the DELIVERED detail */
    public void delivered(DeliveryTask task, String released) {
        delivered(task, released, null);
    }

    /**
     * @param released   what was released (fields, rule, config version), recorded in the DELIVERED detail
     * @param sentDigest hex SHA-256 of the body sent, kept on the delivery for the recipient's acknowledgement
     */
    public void delivered(DeliveryTask task, String released, String sentDigest) {
        delivered(task, released, sentDigest, task.exchange().configVersion());
    }

    /**
     * @param configVersion the configuration version the release was decided under (the one in force at the
     *                      attempt), carried by the attempt's audit events
     */
    public void delivered(DeliveryTask task, String released, String sentDigest, String configVersion) {
        recordAttempt(task, DeliveryStatus.DELIVERED, null, sentDigest, AuditEventType.DELIVERED,
                "acknowledged at attempt " + task.attempt() + "; " + released, configVersion);
    }

    public void failed(DeliveryTask task, String reason) {
        failed(task, reason, task.exchange().configVersion());
    }

    /** @param configVersion the configuration version the attempt was released under */
    public void failed(DeliveryTask task, String reason, String configVersion) {
        recordAttempt(task, DeliveryStatus.FAILED, reason, null, AuditEventType.DELIVERY_FAILED,
                "attempt " + task.attempt() + ": " + reason, configVersion);
    }

    /**
     * A probe of a recipient that counts as down failed: recorded and audited, but not counted against the record's
     * attempts.
     *
     * @param configVersion the configuration version the probe was released under (the one in force then), as for
     *                      an ordinary attempt
     */
    public void probeFailed(DeliveryTask task, String reason, String configVersion) {
        tx.executeWithoutResult(s -> {
            store.recordProbe(task.exchange().exchangeId(), task.recipient(), reason, Instant.now());
            audit.appendAll(List.of(event(AuditEventType.DELIVERY_ATTEMPTED, task.exchange(), task.recipient(),
                            task.routeId()).withDetail("probe of a recipient that is down")
                            .withConfigVersion(configVersion),
                    event(AuditEventType.DELIVERY_FAILED, task.exchange(), task.recipient(), task.routeId())
                            .withDetail("probe: " + reason + "; not counted, the record waits in its queue")
                            .withConfigVersion(configVersion)));
        });
    }

    /**
     * @param configVersion the config version the last attempt was released under (the one in force then), or null
     *                      when unknown: the version the exchange was accepted under
     */
    public void deadLettered(UUID exchangeId, String recipient, String reason, String configVersion) {
        tx.executeWithoutResult(status -> {
            Optional<DeliveryRow> row = store.delivery(exchangeId, recipient);
            Optional<StoredExchange> exchange = store.find(exchangeId);
            if (row.isEmpty() || exchange.isEmpty() || row.get().status().terminal()) {
                return;
            }
            store.updateStatus(exchangeId, recipient, DeliveryStatus.DEAD_LETTERED, reason, null, Instant.now());
            AuditEvent deadLettered = event(AuditEventType.DEAD_LETTERED, exchange.get(), recipient,
                    row.get().routeId()).withDetail("after " + row.get().attempts() + " attempt(s): " + reason);
            audit.append(configVersion == null ? deadLettered : deadLettered.withConfigVersion(configVersion));
        });
    }

    /**
     * The attempt and its outcome, in the delivery table and the audit trail, committed together (with the attempts
     * of the other consumers that end at the same time: {@link GroupCommit}).
     */
    private void recordAttempt(DeliveryTask task, DeliveryStatus status, String error, String sentDigest,
                               AuditEventType outcome, String detail, String configVersion) {
        groupCommit.execute("delivery", () -> {
            Instant now = Instant.now();
            store.recordAttempt(task.exchange().exchangeId(), task.recipient(), status, error, sentDigest, now);
            AuditEvent attempted = event(AuditEventType.DELIVERY_ATTEMPTED, task.exchange(), task.recipient(),
                    task.routeId()).withDetail("attempt " + task.attempt()).withConfigVersion(configVersion);
            audit.appendAll(List.of(attempted, event(outcome, task.exchange(), task.recipient(), task.routeId())
                    .withDetail(detail).withConfigVersion(configVersion)));
        });
    }

    private static AuditEvent event(AuditEventType type, StoredExchange e, String recipient, String routeId) {
        return AuditEvent.of(type, e.exchangeId(), "gateway")
                .withExchange(e.sourcePartner(), e.recordType(), e.purpose(), e.legalBasisType(), e.payloadDigest(),
                        e.subjectPseudonym(), e.configVersion())
                .withRecipient(recipient, routeId);
    }
}
