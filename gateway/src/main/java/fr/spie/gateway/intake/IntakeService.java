package fr.spie.gateway.intake;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.audit.UnauthenticatedRejections;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.consent.ConsentRegistry;
import fr.spie.gateway.delivery.OutboxDispatcher;
import fr.spie.gateway.privacy.CanonicalJson;
import fr.spie.gateway.privacy.Digests;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.privacy.SenderIssuer;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.routing.RoutingDecision;
import fr.spie.gateway.routing.RoutingPolicy;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.ExchangeStore.NewDelivery;
import fr.spie.gateway.store.GroupCommit;
import fr.spie.gateway.store.StoredExchange;
import fr.spie.gateway.web.CorrelationIdFilter;
import fr.spie.schema.SpieSchemas;
import fr.spie.schema.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Accepts a partner's envelope: validates it, checks that the partner may send it, stores it with its routing
 * decisions, pending deliveries and audit events in one database transaction — a 202 is answered once that commit
 * is done — and wakes the outbox dispatcher, which queues the deliveries.
 */
@Service
public class IntakeService {
    private static final Logger log = LoggerFactory.getLogger(IntakeService.class);

    private final SpieSchemas schemas;
    private final RoutingConfigHolder configHolder;
    private final RoutingPolicy policy = new RoutingPolicy();
    private final Pseudonymizer pseudonymizer;
    private final ExchangeStore store;
    private final AuditTrail audit;
    private final OutboxDispatcher dispatcher;
    private final TransactionTemplate tx;
    private final ConsentRegistry consents;
    private final GroupCommit groupCommit;
    private final UnauthenticatedRejections unauthenticated;

    public IntakeService(SpieSchemas schemas, RoutingConfigHolder configHolder, Pseudonymizer pseudonymizer,
                         ExchangeStore store, AuditTrail audit, OutboxDispatcher dispatcher,
                         TransactionTemplate tx, ConsentRegistry consents, GroupCommit groupCommit,
                         UnauthenticatedRejections unauthenticated) {
        this.unauthenticated = unauthenticated;
        this.groupCommit = groupCommit;
        this.consents = consents;
        this.schemas = schemas;
        this.configHolder = configHolder;
        this.pseudonymizer = pseudonymizer;
        this.store = store;
        this.audit = audit;
        this.dispatcher = dispatcher;
        this.tx = tx;
    }

    /**
     * The outcome of an accepted submission.
     *
     * @param exchange the exchange as stored (the first one for a replay), so that the caller need not read it back;
     *                 null only for the replays of a batch
     */
    public record Accepted(UUID exchangeId, boolean replay, StoredExchange exchange) {
    }

    /**
     * @param partnerId the authenticated partner (from its credential, never from the payload)
     * @param envelope  the parsed envelope
     * @param body      the raw body (stored as the envelope copy)
     * @throws IntakeRejection when the envelope is refused; the rejection is already audited
     */
    public Accepted submit(String partnerId, JsonNode envelope, byte[] body) {
        return submit(partnerId, envelope, body, null);
    }

    /**
     * Like {@link #submit(String, JsonNode, byte[])}, delivered to one recipient only (when its routes release the
     * record to it): a record read from a partner's API at a recipient's request (a pull) goes to that recipient, not
     * to every recipient of the partner's routes.
     *
     * @param onlyRecipient the one recipient, or null for every recipient the routes release it to
     */
    public Accepted submit(String partnerId, JsonNode envelope, byte[] body, String onlyRecipient) {
        GatewayConfig config = configHolder.current();
        UUID exchangeId = readExchangeId(envelope);
        // the log lines of this submission name the exchange (structured logs: the exchangeId field)
        try (MDC.MDCCloseable mdc = exchangeId == null ? null
                : MDC.putCloseable(CorrelationIdFilter.MDC_EXCHANGE_ID, exchangeId.toString())) {
            try {
                return accept(partnerId, envelope, body, config, exchangeId, onlyRecipient);
            } catch (IntakeRejection rejection) {
                IntakeRejection withId = rejection.exchangeId() == null ? rejection.withExchangeId(exchangeId)
                        : rejection;
                auditRejection(partnerId, withId, config.version());
                throw withId;
            }
        }
    }

    private Accepted accept(String partnerId, JsonNode envelope, byte[] body, GatewayConfig config, UUID exchangeId,
                            String onlyRecipient) {
        Prepared routed = prepare(partnerId, envelope, body, null, config, exchangeId);
        Prepared p = onlyRecipient == null ? routed : new Prepared(routed.exchange(), routed.envelope(),
                routed.body(), routed.decisions().stream().filter(d -> d.recipient().equals(onlyRecipient)).toList(),
                routed.consentRecord());
        try {
            if (p.consentRecord()) {
                // a consent record's registration reads and checks the registry: a transaction of its own
                tx.executeWithoutResult(status -> persistAll(List.of(p), List.of()));
            } else {
                // committed with the concurrent submissions (one commit for all), answered once durable
                groupCommit.execute("intake", () -> persistAll(List.of(p), List.of()));
            }
        } catch (DuplicateKeyException duplicate) {
            return replay(p.exchange());
        }
        dispatcher.wakeUp();
        log.debug("exchange {} accepted from {} ({}), {} recipient(s) released, {} blocked", exchangeId, partnerId,
                p.exchange().recordType(), p.decisions().stream().filter(RoutingDecision::deliver).count(),
                p.decisions().stream().filter(d -> !d.deliver()).count());
        return new Accepted(exchangeId, false, p.exchange());
    }

    /** An envelope that passed every check, with what routing decided, ready to be stored. */
    private record Prepared(StoredExchange exchange, JsonNode envelope, byte[] body, List<RoutingDecision> decisions,
                            boolean consentRecord) {
    }

    /** Validates an envelope and decides its routing; nothing is stored. */
    private Prepared prepare(String partnerId, JsonNode envelope, byte[] body, String contentDigest,
                             GatewayConfig config, UUID exchangeId) {
        List<Violation> violations = schemas.validateEnvelope(envelope);
        if (!violations.isEmpty()) {
            throw new IntakeRejection(400, "schema-violation", "The envelope does not match the SPIE exchange schema",
                    violations.size() + " violation(s) of the SPIE exchange schema",
                    violations.stream().map(v -> new IntakeRejection.FieldError(v.pointer(), v.message())).toList(),
                    exchangeId);
        }
        String source = envelope.path("source").asString();
        if (!source.equals(partnerId)) {
            throw new IntakeRejection(403, "source-mismatch", "Source does not match the credential",
                    "the envelope's source '" + source + "' is not the authenticated partner '" + partnerId + "'");
        }
        String recordType = envelope.path("recordType").asString();
        boolean consentRecord = ConsentRegistry.RECORD_TYPE.equals(recordType); // registered, never routed
        if (!consentRecord && !policy.maySend(config, partnerId, recordType)) {
            throw new IntakeRejection(403, "record-type-not-allowed", "Record type not allowed",
                    "no route carries " + recordType + " records from partner '" + partnerId + "'");
        }
        String purpose = envelope.path("purpose").asString();
        String basis = envelope.path("legalBasis").path("type").asString();
        // a departement-id the sender issued itself is keyed with the sender's issuer (the envelope is kept as sent)
        JsonNode keyed = SenderIssuer.subjectToKey(config, partnerId, envelope.path("subject"));
        String pseudonym = pseudonymizer.pseudonymOf(keyed).orElse(null);
        if (pseudonym == null && !consentRecord) {
            // its deliveries would be on the record under no person: no access report could ever list them
            throw UnidentifiedSubject.of(keyed, exchangeId);
        }
        // the database keeps microseconds: the exchange in hand is then the very one that is read back later
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        StoredExchange exchange = new StoredExchange(exchangeId, partnerId, recordType,
                envelope.path("schemaVersion").asString(), purpose, basis,
                contentDigest != null ? contentDigest : CanonicalJson.digest(envelope),
                CanonicalJson.digest(envelope.path("payload")), pseudonym, config.version(), now);
        List<RoutingDecision> decisions = consentRecord ? List.of() : policy.decide(config,
                new RoutingPolicy.Request(partnerId, recordType, purpose, basis, pseudonym), consents, now);
        return new Prepared(exchange, envelope, body, decisions, consentRecord);
    }

    /** What became of one envelope of a batch: accepted (possibly as a replay) or refused. */
    public record BatchOutcome(UUID exchangeId, Accepted accepted, IntakeRejection rejection) {
        public boolean isAccepted() {
            return accepted != null;
        }
    }

    /**
     * One envelope of a batch and its bytes.
     *
     * @param canonicalBody whether {@code body} is the envelope's canonical serialisation ({@link CanonicalJson}):
     *                      then its digest is the content digest, and the envelope is not serialised a second time
     */
    public record BatchItem(JsonNode envelope, byte[] body, boolean canonicalBody) {
        public BatchItem(JsonNode envelope, byte[] body) {
            this(envelope, body, false);
        }
    }

    /**
     * Submits many envelopes of one partner at once — the file channel's path: the same checks, decisions and audit
     * events as {@link #submit}, but one database transaction for the whole batch. A refused envelope does not stop
     * the others; its refusal is audited and returned in its outcome.
     */
    public List<BatchOutcome> submitBatch(String partnerId, List<BatchItem> items) {
        GatewayConfig config = configHolder.current();
        List<CheckedItem> checked = new ArrayList<>(items.size());
        for (BatchItem item : items) {
            checked.add(check(partnerId, item, config));
        }
        return storeChecked(partnerId, checked);
    }

    /**
     * An envelope of a batch after {@link #check}: validated and routed, or refused; nothing stored or audited yet.
     */
    public static final class CheckedItem {
        private final BatchItem item;
        private final UUID exchangeId;
        private final String configVersion;
        private final Prepared prepared;
        private final IntakeRejection rejection;

        private CheckedItem(BatchItem item, UUID exchangeId, String configVersion, Prepared prepared,
                            IntakeRejection rejection) {
            this.item = item;
            this.exchangeId = exchangeId;
            this.configVersion = configVersion;
            this.prepared = prepared;
            this.rejection = rejection;
        }

        public UUID exchangeId() {
            return exchangeId;
        }
    }

    /**
     * The first half of {@link #submitBatch}: validates one envelope and decides its routing, with the configuration
     * of the moment; reads and writes nothing, so it may run on another thread than {@link #storeChecked} (the file
     * channel checks the next records while the previous batch is being stored).
     */
    public CheckedItem check(String partnerId, BatchItem item) {
        return check(partnerId, item, configHolder.current());
    }

    private CheckedItem check(String partnerId, BatchItem item, GatewayConfig config) {
        UUID exchangeId = readExchangeId(item.envelope());
        try {
            return new CheckedItem(item, exchangeId, config.version(),
                    prepare(partnerId, item.envelope(), item.body(),
                            item.canonicalBody() ? Digests.sha256Hex(item.body()) : null, config, exchangeId), null);
        } catch (IntakeRejection rejection) {
            return new CheckedItem(item, exchangeId, config.version(), null,
                    rejection.exchangeId() == null ? rejection.withExchangeId(exchangeId) : rejection);
        }
    }

    /**
     * The second half of {@link #submitBatch}: stores the checked envelopes that are new, with their deliveries and
     * audit events, and audits the refusals, in one database transaction; answers the known ones as replays (same
     * content) or 409 conflicts.
     */
    public List<BatchOutcome> storeChecked(String partnerId, List<CheckedItem> items) {
        return storeChecked(partnerId, items, outcomes -> { });
    }

    /**
     * The caller's own writes about a batch (the file channel's fingerprints and counts), made in the batch's
     * transaction so that a batch costs one commit.
     */
    @FunctionalInterface
    public interface AlongsideBatch {
        /**
         * Called once the batch's rows are written, before the commit, with the outcomes the commit will make
         * true. It may be called a second time, in a transaction of its own, when the batch had to be taken one
         * envelope at a time (another submission of one of its ids won a race); it must therefore only write.
         */
        void write(List<BatchOutcome> outcomes);
    }

    /** {@link #storeChecked(String, List)}, with {@code alongside} written in the same transaction. */
    public List<BatchOutcome> storeChecked(String partnerId, List<CheckedItem> items, AlongsideBatch alongside) {
        BatchOutcome[] outcomes = new BatchOutcome[items.size()];
        List<Prepared> fresh = new ArrayList<>();
        List<Integer> freshIndexes = new ArrayList<>();
        List<AuditEvent> refusals = new ArrayList<>();
        Map<UUID, String> known = store.contentDigests(items.stream().filter(i -> i.prepared != null)
                .map(CheckedItem::exchangeId).filter(java.util.Objects::nonNull).toList());
        Map<UUID, String> inBatch = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            CheckedItem item = items.get(i);
            UUID exchangeId = item.exchangeId;
            IntakeRejection refused = item.rejection;
            if (refused == null) {
                Prepared p = item.prepared;
                String previous = known.containsKey(exchangeId) ? known.get(exchangeId) : inBatch.get(exchangeId);
                if (previous == null) {
                    inBatch.put(exchangeId, p.exchange().contentDigest());
                    fresh.add(p);
                    freshIndexes.add(i);
                } else if (previous.equals(p.exchange().contentDigest())) {
                    outcomes[i] = new BatchOutcome(exchangeId, new Accepted(exchangeId, true, null), null);
                } else {
                    refused = new IntakeRejection(409, "exchange-id-conflict", "Exchange id already used",
                            "exchange " + exchangeId + " was already received with different content", List.of(),
                            exchangeId);
                }
            }
            if (refused != null) {
                refusals.add(rejectionEvent(partnerId, refused, item.configVersion));
                outcomes[i] = new BatchOutcome(exchangeId, null, refused);
            }
        }
        for (int k = 0; k < fresh.size(); k++) {
            UUID id = fresh.get(k).exchange().exchangeId();
            outcomes[freshIndexes.get(k)] = new BatchOutcome(id, new Accepted(id, false, fresh.get(k).exchange()),
                    null);
        }
        try {
            tx.executeWithoutResult(status -> {
                persistAll(fresh, refusals);
                alongside.write(List.of(outcomes));
            });
        } catch (DuplicateKeyException concurrent) {
            // another submission of one of these ids won the race: take the batch one by one
            audit.appendAll(refusals);
            for (int k = 0; k < fresh.size(); k++) {
                Prepared p = fresh.get(k);
                UUID id = p.exchange().exchangeId();
                try {
                    outcomes[freshIndexes.get(k)] = new BatchOutcome(id, submit(partnerId,
                            items.get(freshIndexes.get(k)).item.envelope(), p.body()), null);
                } catch (IntakeRejection rejection) {
                    outcomes[freshIndexes.get(k)] = new BatchOutcome(id, null, rejection);
                }
            }
            tx.executeWithoutResult(status -> alongside.write(List.of(outcomes)));
            return List.of(outcomes);
        }
        if (!fresh.isEmpty()) {
            dispatcher.wakeUp();
        }
        return List.of(outcomes);
    }

    private void persistAll(List<Prepared> prepared, List<AuditEvent> refusals) {
        List<AuditEvent> events = new ArrayList<>(refusals);
        List<ExchangeStore.NewExchange> exchanges = new ArrayList<>(prepared.size());
        for (Prepared p : prepared) {
            StoredExchange exchange = p.exchange();
            exchanges.add(new ExchangeStore.NewExchange(exchange, new String(p.body(), StandardCharsets.UTF_8),
                    p.decisions().stream().map(d -> new NewDelivery(d.recipient(), d.routeId(),
                            d.deliver() ? DeliveryStatus.PENDING : DeliveryStatus.BLOCKED,
                            d.deliver() ? null : bounded(d.explained()), d.deliver() ? null : d.rule()))
                            .toList()));
            events.add(exchangeEvent(AuditEventType.RECEIVED, exchange).withDetail("accepted"));
            for (RoutingDecision d : p.decisions()) {
                events.add(exchangeEvent(d.deliver() ? AuditEventType.ROUTED : AuditEventType.BLOCKED, exchange)
                        .withRecipient(d.recipient(), d.routeId()).withDetail(d.explained()));
            }
        }
        store.insertAll(exchanges);
        audit.appendAll(events);
        for (Prepared p : prepared) {
            if (p.consentRecord()) {
                consents.registerRecord(p.exchange(), p.envelope());
            }
        }
    }

    private AuditEvent exchangeEvent(AuditEventType type, StoredExchange e) {
        return AuditEvent.of(type, e.exchangeId(), e.sourcePartner())
                .withExchange(e.sourcePartner(), e.recordType(), e.purpose(), e.legalBasisType(), e.payloadDigest(),
                        e.subjectPseudonym(), e.configVersion());
    }

    /** The same exchange id again: same content is the same exchange (answered as before), other content is a 409. */
    private Accepted replay(StoredExchange attempt) {
        StoredExchange existing = store.find(attempt.exchangeId()).orElseThrow();
        if (existing.contentDigest().equals(attempt.contentDigest())
                && existing.sourcePartner().equals(attempt.sourcePartner())) {
            return new Accepted(existing.exchangeId(), true, existing);
        }
        throw new IntakeRejection(409, "exchange-id-conflict", "Exchange id already used",
                "exchange " + attempt.exchangeId() + " was already received with different content", List.of(),
                attempt.exchangeId());
    }

    private void auditRejection(String actor, IntakeRejection rejection, String configVersion) {
        audit.append(rejectionEvent(actor, rejection, configVersion));
        log.info("submission from {} rejected: {} {} (exchange {})", actor, rejection.status(), rejection.problem(),
                rejection.exchangeId());
    }

    private static AuditEvent rejectionEvent(String actor, IntakeRejection rejection, String configVersion) {
        String pointers = rejection.errors().stream().map(IntakeRejection.FieldError::pointer)
                .collect(Collectors.joining(", "));
        // the detail names the problem and where, never the submitted values
        String detail = rejection.status() + " " + rejection.problem() + (pointers.isEmpty() ? "" : ": " + pointers);
        return AuditEvent.of(AuditEventType.REJECTED, rejection.exchangeId(), actor)
                .withConfigVersion(configVersion).withDetail(detail);
    }

    /** Audits a refusal that happened before the envelope was read (credential, size, content type). */
    public void auditRefusal(String actor, IntakeRejection rejection) {
        auditRejection(actor, rejection, configHolder.current().version());
    }

    /**
     * Audits a submission refused for want of a valid credential (401), as "anonymous": one by one up to
     * {@code spie.audit.rejections.per-key-limit} per client and window, then counted into a summary event
     * ({@link UnauthenticatedRejections}), so that a flood of such requests does not grow the audit trail with it.
     *
     * @param client the client's address, used in memory only
     */
    public void auditAnonymousRefusal(IntakeRejection rejection, String client) {
        if (unauthenticated.record(rejectionEvent("anonymous", rejection, configHolder.current().version()), client)) {
            log.info("submission from anonymous rejected: {} {}", rejection.status(), rejection.problem());
        }
    }

    private static String bounded(String text) {
        return text.length() <= 500 ? text : text.substring(0, 497) + "...";
    }

    private static UUID readExchangeId(JsonNode envelope) {
        return Optional.ofNullable(envelope.get("exchangeId")).filter(JsonNode::isString).map(JsonNode::asString)
                .flatMap(IntakeService::uuid).orElse(null);
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
