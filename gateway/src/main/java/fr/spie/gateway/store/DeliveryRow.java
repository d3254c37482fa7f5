package fr.spie.gateway.store;

import java.time.Instant;

/**
 * One recipient's delivery of an exchange.
 *
 * @param sentDigest     hex SHA-256 of the body delivered (null until delivered)
 * @param acknowledgedAt when the recipient acknowledged it, or null
 * @param blockRule      when BLOCKED, the code of the rule that blocked it (e.g. consent-withdrawn); null otherwise,
 *                       and for deliveries blocked before the column existed (schema v10)
 */
public record DeliveryRow(String recipient, String routeId, DeliveryStatus status, int attempts, String lastError,
                          Instant updatedAt, Instant deliveredAt, String sentDigest, Instant acknowledgedAt,
                          String blockRule) {

    public DeliveryRow(String recipient, String routeId, DeliveryStatus status, int attempts, String lastError,
                       Instant updatedAt, Instant deliveredAt) {
        this(recipient, routeId, status, attempts, lastError, updatedAt, deliveredAt, null, null, null);
    }
}
