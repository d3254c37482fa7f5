package fr.spie.gateway.consent;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerKind;
import fr.spie.gateway.config.Route;
import fr.spie.gateway.delivery.OutboxDispatcher;
import fr.spie.gateway.privacy.CanonicalJson;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.StoredExchange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Withdrawal notices: when a person withdraws a consent, each route with {@code notifyWithdrawal: true} that rests
 * on it (one of its senders is among the consent's controllers; its recipient, purposes and one of its record types
 * are covered by the consent) sends a small JSON notice
 * to those of its recipients the consent named that received data about the person on that route (GDPR art. 19;
 * {@link DisclosedRecipients}: a recipient that never received any is not sent the person's identity now), through
 * the normal delivery path (an exchange from "gateway", one delivery per recipient,
 * outbox, queue, retries, audit). The notice:
 * <pre>
 * {"noticeType": "consent-withdrawn", "exchangeId": "...", "occurredAt": "...", "source": "gateway",
 *  "routeId": "...", "consentId": "...", "withdrawnAt": "...", "purposes": [...], "subject": {...}}
 * </pre>
 */
@Component
public class WithdrawalNotices {
    /** The record type of notice exchanges (never routed by routes: the delivery path releases them whole). */
    public static final String NOTICE_TYPE = "consent-withdrawal";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ExchangeStore exchanges;
    private final AuditTrail audit;
    private final OutboxDispatcher dispatcher;
    private final DisclosedRecipients disclosed;

    public WithdrawalNotices(ExchangeStore exchanges, AuditTrail audit, OutboxDispatcher dispatcher,
                             DisclosedRecipients disclosed) {
        this.exchanges = exchanges;
        this.audit = audit;
        this.dispatcher = dispatcher;
        this.disclosed = disclosed;
    }

    /**
     * Within the withdrawal's transaction: one notice exchange per route that asks for it and has recipients to
     * notify.
     *
     * @return for the withdrawal's audit event: each such route's recipients left without a notice because they
     * received nothing about the person on it (empty when there are none)
     */
    String enqueue(Consent consent, String subjectJson, GatewayConfig config) {
        List<String> notNotified = new ArrayList<>();
        for (Route route : config.routes()) {
            if (!route.notifyWithdrawal() || route.consent() == null
                    || !consent.purposes().containsAll(route.consent().purposes())
                    || consent.dataCategories().stream().noneMatch(d -> route.recordTypes().contains(d.recordType()))
                    // a route none of whose senders the person consented to never rested on this consent
                    // (ConsentCheck: consent-controller): its recipients are told nothing of it
                    || route.from().stream().noneMatch(consent.controllers()::contains)) {
                continue;
            }
            List<String> recipients = new ArrayList<>();
            for (String recipient : route.to()) {
                PartnerKind kind = config.partner(recipient).map(Partner::kind).orElse(null);
                if (consent.namesRecipient(recipient, kind)) {
                    recipients.add(recipient);
                }
            }
            java.util.Set<String> received = disclosed.amongst(consent, route.id(), recipients);
            for (String recipient : recipients) {
                if (!received.contains(recipient)) {
                    notNotified.add(recipient + " (route '" + route.id() + "')");
                }
            }
            if (!received.isEmpty()) {
                notice(consent, subjectJson, route, List.copyOf(received), config.version());
            }
        }
        return notNotified.isEmpty() ? "" : "; no withdrawal notice to " + String.join(", ", notNotified)
                + ": nothing about the person was delivered to them on that route";
    }

    /**
     * The detail of a notice exchange's RECEIVED audit event, which names the consent and the route: how
     * {@link LateDisclosures} finds the notices a withdrawal already sent.
     */
    static String receivedDetail(UUID consentId, String routeId) {
        return "withdrawal notice of consent " + consentId + " (route '" + routeId + "' notifyWithdrawal)";
    }

    /** One notice exchange of {@code route}, to {@code recipients}, written in the caller's transaction. */
    void notice(Consent consent, String subjectJson, Route route, List<String> recipients, String version) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        ObjectNode notice = JSON.createObjectNode();
        notice.put("noticeType", "consent-withdrawn").put("exchangeId", id.toString())
                .put("occurredAt", now.toString()).put("source", "gateway").put("routeId", route.id())
                .put("consentId", consent.id().toString()).put("withdrawnAt", consent.withdrawnAt().toString());
        consent.purposes().forEach(notice.putArray("purposes")::add);
        JsonNode subject = subjectJson == null ? JSON.createObjectNode() : JSON.readTree(subjectJson);
        notice.set("subject", subject);
        String digest = CanonicalJson.digest(notice);
        StoredExchange exchange = new StoredExchange(id, "gateway", NOTICE_TYPE, "1.0", route.purpose(),
                "legal-obligation", digest, digest, consent.subject(), version, now);
        exchanges.insert(exchange, JSON.writeValueAsString(notice));
        exchanges.insertDeliveries(id, recipients.stream()
                .map(r -> new ExchangeStore.NewDelivery(r, route.id(), DeliveryStatus.PENDING, null)).toList(), now);
        List<AuditEvent> events = new ArrayList<>();
        events.add(event(AuditEventType.RECEIVED, exchange).withDetail(receivedDetail(consent.id(), route.id())));
        for (String r : recipients) {
            events.add(event(AuditEventType.ROUTED, exchange).withRecipient(r, route.id())
                    .withDetail("withdrawal notice of consent " + consent.id() + " (GDPR art. 19)"));
        }
        audit.appendAll(events);
    }

    /** After the withdrawal's commit: queue the notices. */
    void wakeUp() {
        dispatcher.wakeUp();
    }

    private static AuditEvent event(AuditEventType type, StoredExchange e) {
        return AuditEvent.of(type, e.exchangeId(), "gateway")
                .withExchange(e.sourcePartner(), e.recordType(), e.purpose(), e.legalBasisType(), e.payloadDigest(),
                        e.subjectPseudonym(), e.configVersion());
    }
}
