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

    /**
     * @param lastError      the reason of the last failure or of the block; for the sender, a blocked delivery's
     *                       reason is {@code [rule] sentence}, a fixed sentence per rule (SenderBlockReasons)
     * @param blockRule      when BLOCKED, the code of the rule that blocked it (null for deliveries blocked before
     *                       the rule was recorded apart, schema v10)
     * @param acknowledgedAt when the recipient acknowledged the delivery (POST .../acknowledgements), or null
     */
    public record DeliveryView(String recipient, String route, String status, int attempts, String lastError,
                               String blockRule, Instant deliveredAt, Instant acknowledgedAt) {
    }

    /** What an admin sees: every reason as recorded. */
    public static ExchangeStatusView of(StoredExchange e, List<DeliveryRow> rows) {
        return of(e, rows, false);
    }

    /**
     * @param forSender the sender reads it: a delivery blocked by the routing policy says which rule, in a fixed
     *                  sentence, never the recorded reason, which may name what the person's consents hold (their
     *                  ids, controllers, recipients, purposes, who withdrew them), which the sender may not be
     *                  allowed to read (GET /api/v1/consents); the admin's view and the audit trail have it all
     */
    public static ExchangeStatusView of(StoredExchange e, List<DeliveryRow> rows, boolean forSender) {
        List<DeliveryView> deliveries = rows.stream().map(d -> view(d, forSender)).toList();
        return new ExchangeStatusView(e.exchangeId().toString(), e.sourcePartner(), e.recordType(), e.purpose(),
                e.receivedAt(), e.configVersion(), overall(rows), deliveries);
    }

    /**
     * What the sender reads of a dead letter an admin discarded: the admin's reason is typed by a person, may name the
     * person the record is about or the recipient's circumstances, and is for the admin's view and the audit trail.
     */
    static final String DISCARDED_FOR_SENDER = "discarded by an administrator of the gateway after its attempts ran "
            + "out: the recipient will not receive it (an admin sees the reason, an auditor finds it in the audit "
            + "trail)";

    private static DeliveryView view(DeliveryRow d, boolean forSender) {
        boolean blocked = d.status() == DeliveryStatus.BLOCKED;
        String rule = blocked ? SenderBlockReasons.code(d.blockRule()) : null;
        String reason = !forSender ? d.lastError()
                : blocked ? SenderBlockReasons.of(d.blockRule())
                : d.status() == DeliveryStatus.DISCARDED ? DISCARDED_FOR_SENDER : d.lastError();
        return new DeliveryView(d.recipient(), d.routeId(), d.status().name(), d.attempts(), reason, rule,
                d.deliveredAt(), d.acknowledgedAt());
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
