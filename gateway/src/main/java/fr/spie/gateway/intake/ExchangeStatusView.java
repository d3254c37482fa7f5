package fr.spie.gateway.intake;

import fr.spie.gateway.store.DeliveryRow;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.StoredExchange;
import java.time.Instant;
import java.util.List;

/**
 * What a sender (or an admin) sees of an exchange.
 *
 * @param status overall: PENDING while any recipient is still being tried, else DEAD_LETTERED if any delivery was
 *               dead-lettered, else DISCARDED if an admin discarded a dead letter, else DELIVERED if any recipient
 *               received it, else BLOCKED
 */
public record ExchangeStatusView(String exchangeId, String source, String recordType, String purpose,
                                 Instant receivedAt, String configVersion, String status,
                                 List<DeliveryView> deliveries) {

    /** @param acknowledgedAt when the recipient acknowledged the delivery (POST .../acknowledgements), or null */
    public record DeliveryView(String recipient, String route, String status, int attempts, String lastError,
                               Instant deliveredAt, Instant acknowledgedAt) {
    }

    /** What an admin sees: every reason as recorded. */
    public static ExchangeStatusView of(StoredExchange e, List<DeliveryRow> rows) {
        return of(e, rows, false);
    }

    /**
     * @param forSender the sender reads it: a delivery blocked by a consent rule says which rule, not what the
     *                  person's consents hold (their ids, controllers, recipients, purposes, who withdrew them), which
     *                  the sender may not be allowed to read (GET /api/v1/consents); the audit trail has it all
     */
    public static ExchangeStatusView of(StoredExchange e, List<DeliveryRow> rows, boolean forSender) {
        List<DeliveryView> deliveries = rows.stream()
                .map(d -> new DeliveryView(d.recipient(), d.routeId(), d.status().name(), d.attempts(),
                        forSender ? senderReason(d.lastError()) : d.lastError(), d.deliveredAt(), d.acknowledgedAt()))
                .toList();
        return new ExchangeStatusView(e.exchangeId().toString(), e.sourcePartner(), e.recordType(), e.purpose(),
                e.receivedAt(), e.configVersion(), overall(rows), deliveries);
    }

    static String senderReason(String lastError) {
        if (lastError == null || !lastError.startsWith("[consent-")) {
            return lastError;
        }
        return lastError.substring(0, lastError.indexOf(']') + 1) + " the route needs the person's consent and none"
                + " of the person's consents covers this release (an auditor finds the details in the audit trail)";
    }

    static String overall(List<DeliveryRow> rows) {
        if (rows.stream().anyMatch(d -> !d.status().terminal())) {
            return DeliveryStatus.PENDING.name();
        }
        if (rows.stream().anyMatch(d -> d.status() == DeliveryStatus.DEAD_LETTERED)) {
            return DeliveryStatus.DEAD_LETTERED.name();
        }
        if (rows.stream().anyMatch(d -> d.status() == DeliveryStatus.DISCARDED)) {
            return DeliveryStatus.DISCARDED.name();
        }
        if (rows.stream().anyMatch(d -> d.status() == DeliveryStatus.DELIVERED)) {
            return DeliveryStatus.DELIVERED.name();
        }
        return DeliveryStatus.BLOCKED.name();
    }
}
