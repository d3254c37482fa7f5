package fr.spie.gateway.deadletter;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.delivery.DeliveryTask;
import fr.spie.gateway.delivery.OutboxDispatcher;
import fr.spie.gateway.routing.ReleaseGate;
import fr.spie.gateway.routing.RoutingDecision;
import fr.spie.gateway.store.DeliveryRow;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.ExchangeStore.DeadLetter;
import fr.spie.gateway.store.StoredExchange;
import fr.spie.schema.SpieSchemas;
import fr.spie.schema.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admins' dead-letter desk. The delivery table is the source of truth (every gateway instance sees the same dead
 * letters, whatever the broker): listing reads it, a replay puts the delivery back in the outbox (the outbox queues
 * it again), a discard closes it. A replay is checked again first, at replay time: the envelope copy must still be
 * kept, the envelope must still validate, the route in force must still release it to the recipient and the consent
 * it rests on must still hold. Every action and every refusal is an audit event with the admin as actor; the
 * details hold reasons and rules, never personal data.
 */
@Component
public class DeadLetters {
    /** Most dead letters one call replays or discards by filter; call again for the rest. */
    public static final int MAX_PER_CALL = 1000;
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COPY_DELETED = "the envelope copy was deleted at the end of its retention: this dead "
            + "letter cannot be replayed, only discarded";

    private final ExchangeStore store;
    private final ReleaseGate gate;
    private final SpieSchemas schemas;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final OutboxDispatcher outbox;

    public DeadLetters(ExchangeStore store, ReleaseGate gate, SpieSchemas schemas, AuditTrail audit,
                       TransactionTemplate tx, OutboxDispatcher outbox) {
        this.store = store;
        this.gate = gate;
        this.schemas = schemas;
        this.audit = audit;
        this.tx = tx;
        this.outbox = outbox;
    }

    /** One dead letter: an exchange's delivery to one recipient. */
    public record Key(UUID exchangeId, String recipient) {
    }

    /**
     * What happened to one dead letter.
     *
     * @param outcome REPLAYED, DISCARDED, REFUSED (replay refused: reason says why, audited), or SKIPPED (not a dead
     *                letter, e.g. unknown, already replayed or discarded: nothing done, nothing audited)
     */
    public record Result(String exchangeId, String recipient, String outcome, String reason) {
    }

    public record Page(long total, int offset, int limit, List<DeadLetter> items) {
    }

    public Page list(String recipient, String recordType, int offset, int limit) {
        return new Page(store.countDeadLetters(recipient, recordType), offset, limit,
                store.deadLetters(recipient, recordType, limit, offset));
    }

    /**
     * The dead letters a filter names (at most {@link #MAX_PER_CALL}), oldest first; with {@code replayableOnly}, only
     * those whose envelope copy is kept. Those whose copy was deleted can only be discarded: left out of a replay,
     * they do not take the places of replayable ones call after call, nor add a refusal to the audit trail each time.
     */
    public List<Key> matching(String recipient, String recordType, boolean replayableOnly) {
        return store.deadLetters(recipient, recordType, replayableOnly, MAX_PER_CALL, 0).stream()
                .map(d -> new Key(d.exchangeId(), d.recipient())).toList();
    }

    public List<Result> replay(List<Key> keys, String actor) {
        List<Result> results = new ArrayList<>();
        boolean queued = false;
        for (Key key : keys) {
            Result result = replayOne(key, actor);
            queued |= "REPLAYED".equals(result.outcome());
            results.add(result);
        }
        if (queued) {
            outbox.wakeUp();
        }
        return results;
    }

    public List<Result> discard(List<Key> keys, String reason, String actor) {
        List<Result> results = new ArrayList<>();
        for (Key key : keys) {
            results.add(discardOne(key, reason, actor));
        }
        return results;
    }

    private Result replayOne(Key key, String actor) {
        Optional<DeliveryRow> row = store.delivery(key.exchangeId(), key.recipient());
        Optional<StoredExchange> exchange = store.find(key.exchangeId());
        if (row.isEmpty() || exchange.isEmpty()) {
            return skipped(key, "no delivery of exchange " + key.exchangeId() + " to '" + key.recipient() + "'");
        }
        if (row.get().status() != DeliveryStatus.DEAD_LETTERED) {
            return skipped(key, "not a dead letter (status " + row.get().status() + ")");
        }
        StoredExchange e = exchange.get();
        String routeId = row.get().routeId();
        Optional<String> envelope = store.envelope(key.exchangeId());
        if (envelope.isEmpty()) {
            return refused(key, e, routeId, actor, DeliveryStatus.DEAD_LETTERED, null, COPY_DELETED);
        }
        String invalid = validity(envelope.get());
        if (invalid != null) {
            return refused(key, e, routeId, actor, DeliveryStatus.DEAD_LETTERED, null, invalid);
        }
        RoutingDecision decision = gate.decide(new DeliveryTask(e, key.recipient(), routeId, 1, envelope.get()));
        if (!decision.deliver()) {
            // the policy in force refuses it for good: blocked, like a delivery the gate stops
            return refused(key, e, routeId, actor, DeliveryStatus.BLOCKED, decision.rule(),
                    "at replay: " + decision.explained());
        }
        Requeue requeue = tx.execute(s -> {
            // the copy may have been deleted since it was read: a delivery back in the outbox without its copy
            // would never be sent. Locked, the copy stays until this replay commits (payload retention then sees
            // the delivery pending and keeps it)
            if (!store.lockEnvelope(key.exchangeId())) {
                return Requeue.COPY_DELETED;
            }
            if (!store.requeueDeadLetter(key.exchangeId(), key.recipient(), Instant.now())) {
                return Requeue.NOT_A_DEAD_LETTER;
            }
            audit.append(event(AuditEventType.DEAD_LETTER_REPLAYED, e, key.recipient(), routeId, actor)
                    .withDetail("after " + row.get().attempts() + " attempt(s) (" + bounded(row.get().lastError(), 200)
                            + "); " + decision.explained()));
            return Requeue.DONE;
        });
        if (requeue == Requeue.COPY_DELETED) {
            return refused(key, e, routeId, actor, DeliveryStatus.DEAD_LETTERED, null, COPY_DELETED);
        }
        if (requeue != Requeue.DONE) {
            return skipped(key, "no longer a dead letter (replayed or discarded meanwhile)");
        }
        log.info("dead letter {} to {} replayed by {}", key.exchangeId(), key.recipient(), actor);
        return new Result(key.exchangeId().toString(), key.recipient(), "REPLAYED", decision.explained());
    }

    private enum Requeue { DONE, NOT_A_DEAD_LETTER, COPY_DELETED }

    /** Null when the envelope still validates against the SPIE schemas in force, else why not. */
    private String validity(String envelope) {
        JsonNode node;
        try {
            node = JSON.readTree(envelope);
        } catch (JacksonException ex) {
            return "the envelope copy is not readable JSON";
        }
        List<Violation> violations = schemas.validateEnvelope(node);
        if (violations.isEmpty()) {
            return null;
        }
        Violation first = violations.get(0);
        // pointers and schema messages only: the values of the envelope are never quoted
        return "the envelope no longer validates against the SPIE schema: " + violations.size()
                + " violation(s), first at '" + first.pointer() + "'";
    }

    /** @param blockRule the rule that blocks the delivery when {@code status} is BLOCKED, else null */
    private Result refused(Key key, StoredExchange e, String routeId, String actor, DeliveryStatus status,
                           String blockRule, String reason) {
        String bounded = bounded(reason, 500);
        boolean refused = Boolean.TRUE.equals(tx.execute(s -> {
            // still a dead letter: another admin may have replayed or discarded it since it was read (then that
            // admin's action is the one recorded, and this one is skipped)
            boolean stillDeadLetter = status == DeliveryStatus.DEAD_LETTERED
                    ? store.lockDeadLetter(key.exchangeId(), key.recipient())
                    : store.closeDeadLetter(key.exchangeId(), key.recipient(), status, bounded, blockRule,
                    Instant.now());
            if (!stillDeadLetter) {
                return false;
            }
            audit.append(event(AuditEventType.DEAD_LETTER_REPLAY_REFUSED, e, key.recipient(), routeId, actor)
                    .withDetail(bounded + (status == DeliveryStatus.DEAD_LETTERED ? "" : " (now " + status + ")")));
            return true;
        }));
        if (!refused) {
            return skipped(key, "no longer a dead letter (replayed or discarded meanwhile)");
        }
        log.info("replay of dead letter {} to {} refused", key.exchangeId(), key.recipient());
        return new Result(key.exchangeId().toString(), key.recipient(), "REFUSED", bounded);
    }

    private Result discardOne(Key key, String reason, String actor) {
        Optional<DeliveryRow> row = store.delivery(key.exchangeId(), key.recipient());
        Optional<StoredExchange> exchange = store.find(key.exchangeId());
        if (row.isEmpty() || exchange.isEmpty()) {
            return skipped(key, "no delivery of exchange " + key.exchangeId() + " to '" + key.recipient() + "'");
        }
        if (row.get().status() != DeliveryStatus.DEAD_LETTERED) {
            return skipped(key, "not a dead letter (status " + row.get().status() + ")");
        }
        String bounded = bounded(reason, 300);
        boolean discarded = Boolean.TRUE.equals(tx.execute(s -> {
            if (!store.closeDeadLetter(key.exchangeId(), key.recipient(), DeliveryStatus.DISCARDED,
                    "discarded: " + bounded, null, Instant.now())) {
                return false;
            }
            audit.append(event(AuditEventType.DEAD_LETTER_DISCARDED, exchange.get(), key.recipient(),
                    row.get().routeId(), actor).withDetail("after " + row.get().attempts() + " attempt(s) ("
                    + bounded(row.get().lastError(), 150) + "): " + bounded));
            return true;
        }));
        if (!discarded) {
            return skipped(key, "no longer a dead letter (replayed or discarded meanwhile)");
        }
        log.info("dead letter {} to {} discarded by {}", key.exchangeId(), key.recipient(), actor);
        return new Result(key.exchangeId().toString(), key.recipient(), "DISCARDED", bounded);
    }

    private static Result skipped(Key key, String why) {
        return new Result(key.exchangeId().toString(), key.recipient(), "SKIPPED", why);
    }

    private static AuditEvent event(AuditEventType type, StoredExchange e, String recipient, String routeId,
                                    String actor) {
        return AuditEvent.of(type, e.exchangeId(), actor)
                .withExchange(e.sourcePartner(), e.recordType(), e.purpose(), e.legalBasisType(), e.payloadDigest(),
                        e.subjectPseudonym(), e.configVersion())
                .withRecipient(recipient, routeId);
    }

    private static String bounded(String text, int max) {
        if (text == null) {
            return "no error recorded";
        }
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
