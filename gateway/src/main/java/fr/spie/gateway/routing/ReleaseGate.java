package fr.spie.gateway.routing;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.Route;
import fr.spie.gateway.consent.ConsentLookup;
import fr.spie.gateway.consent.LateDisclosures;
import fr.spie.gateway.consent.WithdrawalNotices;
import fr.spie.gateway.delivery.DeliveryTask;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.StoredExchange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The policy again at delivery time, before every attempt (first delivery, retry, redelivery after a restart):
 * the configuration and the consents in force now decide. Blocked → the delivery row becomes BLOCKED and the audit
 * trail gets BLOCKED with the rule (the recipient gets nothing); released → the envelope with only the fields the
 * route releases to this recipient.
 */
@Component
public class ReleaseGate {
    private static final Logger log = LoggerFactory.getLogger(ReleaseGate.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RoutingConfigHolder configHolder;
    private final ConsentLookup consents;
    private final ExchangeStore store;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final RoutingPolicy policy = new RoutingPolicy();
    private final LateDisclosures lateDisclosures;

    /** Without the notices of late disclosures (unit tests of the release itself). */
    public ReleaseGate(RoutingConfigHolder configHolder, ConsentLookup consents, ExchangeStore store,
                       AuditTrail audit, TransactionTemplate tx) {
        this(configHolder, consents, store, audit, tx, null);
    }

    @Autowired
    public ReleaseGate(RoutingConfigHolder configHolder, ConsentLookup consents, ExchangeStore store,
                       AuditTrail audit, TransactionTemplate tx, LateDisclosures lateDisclosures) {
        this.lateDisclosures = lateDisclosures;
        this.configHolder = configHolder;
        this.consents = consents;
        this.store = store;
        this.audit = audit;
        this.tx = tx;
    }

    /**
     * @param body           what the recipient receives
     * @param releasedFields the JSON Pointers released, null for the whole payload
     * @param note           for the DELIVERED audit event: the fields released and the config version applied
     * @param configVersion  the configuration version the release was decided under (the one in force now), which
     *                       the attempt's audit events carry
     * @param consentId      the consent the release rests on, or null
     */
    public record Release(byte[] body, List<String> releasedFields, String note, String configVersion,
                          UUID consentId) {
    }

    /**
     * What to send for this attempt, or empty when the policy now blocks it (already recorded) or when it is a
     * withdrawal notice that must wait ({@link #noticeMustWait}: nothing recorded, the delivery stays pending).
     */
    public Optional<Release> release(DeliveryTask task) {
        StoredExchange e = task.exchange();
        GatewayConfig config = configHolder.current();
        String version = config.version().substring(0, 12);
        List<String> subjectFields = config.subjectFieldsOf(task.recipient());
        if (WithdrawalNotices.NOTICE_TYPE.equals(e.recordType())) {
            if (noticeMustWait(config, task.recipient())) {
                log.warn("exchange {} to {}: withdrawal notice not sent: the configuration in force gives the recipient "
                        + "no delivery, so which subject fields it may receive is unknown; it stays pending (queue it "
                        + "again once the recipient has one: deliveries requeue)", e.exchangeId(), task.recipient());
                return Optional.empty();
            }
            return Optional.of(new Release(projected(task.envelope(), null, subjectFields), null,
                    "withdrawal notice" + subjectNote(subjectFields) + "; config " + version, config.version(),
                    null));
        }
        Route route = route(config, task);
        RoutingDecision decision = decide(config, route, task);
        if (!decision.deliver()) {
            block(task, decision, config.version());
            return Optional.empty();
        }
        List<String> fields = route.releaseFor(task.recipient()).orElse(null);
        byte[] body = projected(task.envelope(), fields, subjectFields);
        String note = "released " + (fields == null ? "the whole payload" : "fields " + String.join(", ", fields))
                + subjectNote(subjectFields) + " [" + decision.rule()
                + (decision.consentId() == null ? "" : " " + decision.consentId()) + "]; config " + version;
        return Optional.of(new Release(body, fields, note, config.version(), decision.consentId()));
    }

    /**
     * After an attempt this gate released is recorded {@code DELIVERED}: when it rested on a consent withdrawn while
     * it was in flight, its recipient is sent the withdrawal notice ({@link LateDisclosures}).
     */
    public void delivered(DeliveryTask task, Release release) {
        if (release.consentId() != null && lateDisclosures != null) {
            lateDisclosures.delivered(release.consentId(), task.routeId(), task.recipient());
        }
    }

    /**
     * Whether a withdrawal notice to this recipient must wait: the configuration in force gives it no delivery (it
     * was taken out of every route and out of partners.yaml, or lost its delivery block, while the notice was queued).
     * Its {@code delivery.subjectFields} are then unknown, and "no subjectFields" would mean the whole subject, NIR
     * included, for a recipient whose last settings may have left the NIR out.
     */
    static boolean noticeMustWait(GatewayConfig config, String recipient) {
        return config.partner(recipient).map(Partner::delivery).isEmpty();
    }

    /** The envelope with only the payload fields and subject fields released (null: all of them). */
    private static byte[] projected(String envelopeJson, List<String> fields, List<String> subjectFields) {
        if (fields == null && subjectFields == null) {
            return envelopeJson.getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode envelope = (ObjectNode) JSON.readTree(envelopeJson);
        if (fields != null) {
            envelope.set("payload", new PayloadProjection(fields).project(envelope.path("payload")));
        }
        SubjectProjection.apply(envelope, subjectFields);
        return JSON.writeValueAsBytes(envelope);
    }

    private static String subjectNote(List<String> subjectFields) {
        return subjectFields == null ? "" : ", subject fields " + String.join(", ", subjectFields);
    }

    /**
     * What the configuration and the consents in force now decide for this task, without recording anything (a
     * withdrawal notice is always released).
     */
    public RoutingDecision decide(DeliveryTask task) {
        GatewayConfig config = configHolder.current();
        if (WithdrawalNotices.NOTICE_TYPE.equals(task.exchange().recordType())) {
            return new RoutingDecision(task.recipient(), task.routeId(), true, "withdrawal notice");
        }
        return decide(config, route(config, task), task);
    }

    /** The task's route in this configuration, if it still releases the exchange's type from its source to it. */
    private static Route route(GatewayConfig config, DeliveryTask task) {
        StoredExchange e = task.exchange();
        return config.routes().stream().filter(r -> r.id().equals(task.routeId())).findFirst()
                .filter(r -> r.to().contains(task.recipient()) && r.from().contains(e.sourcePartner())
                        && r.recordTypes().contains(e.recordType()))
                .orElse(null);
    }

    private RoutingDecision decide(GatewayConfig config, Route route, DeliveryTask task) {
        StoredExchange e = task.exchange();
        return route == null
                ? new RoutingDecision(task.recipient(), task.routeId(), false, "route '" + task.routeId()
                + "' no longer releases " + e.recordType() + " from '" + e.sourcePartner() + "' to '"
                + task.recipient() + "' in the configuration in force", RoutingDecision.ROUTE_GONE, null)
                : policy.decideRoute(config, route, task.recipient(), new RoutingPolicy.Request(e.sourcePartner(),
                e.recordType(), e.purpose(), e.legalBasisType(), e.subjectPseudonym()), consents, Instant.now());
    }

    private void block(DeliveryTask task, RoutingDecision decision, String configVersion) {
        StoredExchange e = task.exchange();
        tx.executeWithoutResult(s -> {
            store.updateStatus(e.exchangeId(), task.recipient(), DeliveryStatus.BLOCKED,
                    bounded(decision.explained()), decision.rule(), Instant.now());
            audit.append(AuditEvent.of(AuditEventType.BLOCKED, e.exchangeId(), "gateway")
                    .withExchange(e.sourcePartner(), e.recordType(), e.purpose(), e.legalBasisType(),
                            e.payloadDigest(), e.subjectPseudonym(), configVersion)
                    .withRecipient(task.recipient(), task.routeId())
                    .withDetail("at delivery: " + decision.explained()));
        });
        log.info("exchange {} to {}: blocked at delivery ({})", e.exchangeId(), task.recipient(), decision.rule());
    }

    private static String bounded(String text) {
        return text.length() <= 500 ? text : text.substring(0, 497) + "...";
    }
}
