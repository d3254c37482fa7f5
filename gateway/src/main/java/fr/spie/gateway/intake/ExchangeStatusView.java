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

    public static ExchangeStatusView of(StoredExchange e, List<DeliveryRow> rows) {
        List<DeliveryView> deliveries = rows.stream()
                .map(d -> new DeliveryView(d.recipient(), d.routeId(), d.status().name(), d.attempts(), d.lastError(),
                        d.deliveredAt(), d.acknowledgedAt()))
                .toList();
        return new ExchangeStatusView(e.exchangeId().toString(), e.sourcePartner(), e.recordType(), e.purpose(),
                e.receivedAt(), e.configVersion(), overall(rows), deliveries);
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
