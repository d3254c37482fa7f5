package fr.spie.gateway.receipt;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.intake.EnvelopeReader;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.store.DeliveryRow;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.StoredExchange;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Records recipients' acknowledgements: only a recipient of the exchange, only once its delivery succeeded; a digest
 * it quotes must be the one of the body it was sent. The acknowledgement is the audit event DELIVERY_ACKNOWLEDGED
 * (ledgered like every event; digests only) and the delivery's {@code acknowledged_at}, in one transaction. A second
 * acknowledgement of the same delivery changes nothing and is answered with the first one's time.
 */
@Service
public class Acknowledgements {
    private static final EnvelopeReader READER = new EnvelopeReader(AcknowledgementController.MAX_BODY);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final ExchangeStore store;
    private final AuditTrail audit;
    private final TransactionTemplate tx;

    public Acknowledgements(ExchangeStore store, AuditTrail audit, TransactionTemplate tx) {
        this.store = store;
        this.audit = audit;
        this.tx = tx;
    }

    /** @param recorded whether this call recorded the acknowledgement (false: it already was) */
    public record Outcome(boolean recorded, Map<String, Object> view) {
    }

    public Outcome acknowledge(UUID exchangeId, String recipient, byte[] body) {
        String quoted = quotedDigest(body);
        StoredExchange exchange = store.find(exchangeId).orElseThrow(() -> new IntakeRejection(404,
                "exchange-not-found", "Exchange not found", "no exchange " + exchangeId));
        DeliveryRow delivery = store.delivery(exchangeId, recipient).orElseThrow(() -> new IntakeRejection(403,
                "not-a-recipient", "Not a recipient of this exchange",
                "partner '" + recipient + "' is not a recipient of exchange " + exchangeId));
        if (delivery.status() != DeliveryStatus.DELIVERED) {
            throw new IntakeRejection(409, "not-delivered", "Not delivered",
                    "exchange " + exchangeId + " has not been delivered to '" + recipient + "' (delivery "
                            + delivery.status() + ")");
        }
        if (quoted != null && (delivery.sentDigest() == null || !MessageDigest.isEqual(
                quoted.getBytes(StandardCharsets.US_ASCII), delivery.sentDigest().getBytes(StandardCharsets.US_ASCII)))) {
            throw new IntakeRejection(409, "digest-mismatch", "Digest does not match",
                    "receivedDigest is not the SHA-256 of the body delivered to '" + recipient + "' for exchange "
                            + exchangeId + (delivery.sentDigest() == null ? " (no digest was kept for it)" : ""));
        }
        if (delivery.acknowledgedAt() != null) {
            return new Outcome(false, view(exchangeId, recipient, delivery.acknowledgedAt(), quoted != null));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // as the database keeps it
        Boolean recorded = tx.execute(status -> {
            if (!store.markAcknowledged(exchangeId, recipient, now)) {
                return false;
            }
            audit.append(AuditEvent.of(AuditEventType.DELIVERY_ACKNOWLEDGED, exchangeId, recipient)
                    .withExchange(exchange.sourcePartner(), exchange.recordType(), exchange.purpose(),
                            exchange.legalBasisType(), exchange.payloadDigest(), exchange.subjectPseudonym(),
                            exchange.configVersion())
                    .withRecipient(recipient, delivery.routeId())
                    .withDetail(quoted != null ? "acknowledged by the recipient; received body digest " + quoted
                            + " matches the body sent" : "acknowledged by the recipient (no digest quoted)"));
            return true;
        });
        if (!Boolean.TRUE.equals(recorded)) { // a concurrent acknowledgement won
            Instant first = store.delivery(exchangeId, recipient).map(DeliveryRow::acknowledgedAt).orElse(now);
            return new Outcome(false, view(exchangeId, recipient, first, quoted != null));
        }
        return new Outcome(true, view(exchangeId, recipient, now, quoted != null));
    }

    private static Map<String, Object> view(UUID exchangeId, String recipient, Instant at, boolean digestChecked) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("exchangeId", exchangeId.toString());
        view.put("recipient", recipient);
        view.put("acknowledgedAt", at.toString());
        view.put("digestChecked", digestChecked);
        return view;
    }

    /** The {@code receivedDigest} of the body (hex, any case, optional {@code sha256:} prefix), or null. */
    private static String quotedDigest(byte[] body) {
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        // read as the intake reads an envelope: UTF-8 only, a member named twice refused (else the last one was
        // checked, the first one shown to whoever reads the body), a nesting limit
        JsonNode node = startsAnObject(body) ? READER.parse(body) : null;
        if (node == null || !node.isObject()) {
            throw new IntakeRejection(400, "invalid-acknowledgement", "Invalid acknowledgement",
                    "the body must be empty or a JSON object {\"receivedDigest\": \"<hex SHA-256>\"}");
        }
        for (String member : node.propertyNames()) {
            if (!"receivedDigest".equals(member)) {
                // a misspelt receivedDigest recorded the acknowledgement without checking any digest
                throw new IntakeRejection(400, "invalid-acknowledgement", "Invalid acknowledgement",
                        "the body must be empty or a JSON object {\"receivedDigest\": \"<hex SHA-256>\"}: '"
                                + (member.length() > 64 ? member.substring(0, 64) + "…" : member)
                                + "' is not a member of it");
            }
        }
        JsonNode digest = node.get("receivedDigest");
        if (digest == null || digest.isNull()) {
            return null;
        }
        String hex = digest.isString() ? digest.asString().trim().toLowerCase(Locale.ROOT) : "";
        if (hex.startsWith("sha256:")) {
            hex = hex.substring("sha256:".length());
        }
        if (!HEX64.matcher(hex).matches()) {
            throw new IntakeRejection(400, "invalid-acknowledgement", "Invalid acknowledgement",
                    "receivedDigest must be the 64 hex characters of a SHA-256");
        }
        return hex;
    }

    /** Whether the first character, after blanks and a UTF-8 byte order mark, opens a JSON object. */
    private static boolean startsAnObject(byte[] body) {
        int i = body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF
                ? 3 : 0;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
            i++;
        }
        return i < body.length && body[i] == '{';
    }
}
