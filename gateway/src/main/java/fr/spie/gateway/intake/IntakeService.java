package fr.spie.gateway.intake;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.consent.ConsentRegistry;
import fr.spie.gateway.delivery.OutboxDispatcher;
import fr.spie.gateway.privacy.CanonicalJson;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.routing.RoutingDecision;
import fr.spie.gateway.routing.RoutingPolicy;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.ExchangeStore.NewDelivery;
import fr.spie.gateway.store.StoredExchange;
import fr.spie.schema.SpieSchemas;
import fr.spie.schema.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    public IntakeService(SpieSchemas schemas, RoutingConfigHolder configHolder, Pseudonymizer pseudonymizer,
                         ExchangeStore store, AuditTrail audit, OutboxDispatcher dispatcher,
                         TransactionTemplate tx, ConsentRegistry consents) {
        this.consents = consents;
        this.schemas = schemas;
        this.configHolder = configHolder;
        this.pseudonymizer = pseudonymizer;
        this.store = store;
        this.audit = audit;
        this.dispatcher = dispatcher;
        this.tx = tx;
    }

    /** The outcome of an accepted submission. */
    public record Accepted(UUID exchangeId, boolean replay) {
    }

    /**
     * @param partnerId the authenticated partner (from its credential, never from the payload)
     * @param envelope  the parsed envelope
     * @param body      the raw body (stored as the envelope copy)
     * @throws IntakeRejection when the envelope is refused; the rejection is already audited
     */
    public Accepted submit(String partnerId, JsonNode envelope, byte[] body) {
        GatewayConfig config = configHolder.current();
        UUID exchangeId = readExchangeId(envelope);
        try {
            return accept(partnerId, envelope, body, config, exchangeId);
        } catch (IntakeRejection rejection) {
            IntakeRejection withId = rejection.exchangeId() == null ? rejection.withExchangeId(exchangeId) : rejection;
            auditRejection(partnerId, withId, config.version());
            throw withId;
        }
    }

    private Accepted accept(String partnerId, JsonNode envelope, byte[] body, GatewayConfig config, UUID exchangeId) {
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

        JsonNode subject = envelope.path("subject");
        String contentDigest = CanonicalJson.digest(envelope);
        String payloadDigest = CanonicalJson.digest(envelope.path("payload"));
        String pseudonym = pseudonymizer.pseudonymOf(subject).orElse(null);
        String purpose = envelope.path("purpose").asString();
        String basis = envelope.path("legalBasis").path("type").asString();
        Instant now = Instant.now();
        StoredExchange exchange = new StoredExchange(exchangeId, partnerId, recordType,
                envelope.path("schemaVersion").asString(), purpose, basis, contentDigest, payloadDigest, pseudonym,
                config.version(), now);
        List<RoutingDecision> decisions = consentRecord ? List.of() : policy.decide(config,
                new RoutingPolicy.Request(partnerId, recordType, purpose, basis, pseudonym), consents, now);

        try {
            tx.executeWithoutResult(status -> {
                persist(exchange, body, decisions, now);
                if (consentRecord) {
                    consents.registerRecord(exchange, envelope);
                }
            });
        } catch (DuplicateKeyException duplicate) {
            return replay(exchange);
        }
        dispatcher.wakeUp();
        log.info("exchange {} accepted from {} ({}), {} recipient(s) released, {} blocked", exchangeId, partnerId,
                recordType, decisions.stream().filter(RoutingDecision::deliver).count(),
                decisions.stream().filter(d -> !d.deliver()).count());
        return new Accepted(exchangeId, false);
    }

    private void persist(StoredExchange exchange, byte[] body, List<RoutingDecision> decisions, Instant now) {
        store.insert(exchange, new String(body, StandardCharsets.UTF_8));
        store.insertDeliveries(exchange.exchangeId(), decisions.stream()
                .map(d -> new NewDelivery(d.recipient(), d.routeId(),
                        d.deliver() ? DeliveryStatus.PENDING : DeliveryStatus.BLOCKED,
                        d.deliver() ? null : bounded(d.explained())))
                .toList(), now);
        List<AuditEvent> events = new ArrayList<>();
        events.add(exchangeEvent(AuditEventType.RECEIVED, exchange).withDetail("accepted"));
        for (RoutingDecision d : decisions) {
            events.add(exchangeEvent(d.deliver() ? AuditEventType.ROUTED : AuditEventType.BLOCKED, exchange)
                    .withRecipient(d.recipient(), d.routeId()).withDetail(d.explained()));
        }
        audit.appendAll(events);
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
            return new Accepted(existing.exchangeId(), true);
        }
        throw new IntakeRejection(409, "exchange-id-conflict", "Exchange id already used",
                "exchange " + attempt.exchangeId() + " was already received with different content", List.of(),
                attempt.exchangeId());
    }

    private void auditRejection(String actor, IntakeRejection rejection, String configVersion) {
        String pointers = rejection.errors().stream().map(IntakeRejection.FieldError::pointer)
                .collect(Collectors.joining(", "));
        // the detail names the problem and where, never the submitted values
        String detail = rejection.status() + " " + rejection.problem() + (pointers.isEmpty() ? "" : ": " + pointers);
        audit.append(AuditEvent.of(AuditEventType.REJECTED, rejection.exchangeId(), actor)
                .withConfigVersion(configVersion).withDetail(detail));
        log.info("submission from {} rejected: {} {} (exchange {})", actor, rejection.status(), rejection.problem(),
                rejection.exchangeId());
    }

    /** Audits a refusal that happened before the envelope was read (credential, size, content type). */
    public void auditRefusal(String actor, IntakeRejection rejection) {
        auditRejection(actor, rejection, configHolder.current().version());
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
