package fr.spie.gateway.store;

import java.time.Instant;

/**
 * One recipient's delivery of an exchange.
 *
 * @param sentDigest     hex SHA-256 of the body delivered (null until delivered)
 * @param acknowledgedAt when the recipient acknowledged it, or null
 */
public record DeliveryRow(String recipient, String routeId, DeliveryStatus status, int attempts, String lastError,
                          Instant updatedAt, Instant deliveredAt, String sentDigest, Instant acknowledgedAt) {

    public DeliveryRow(String recipient, String routeId, DeliveryStatus status, int attempts, String lastError,
                       Instant updatedAt, Instant deliveredAt) {
        this(recipient, routeId, status, attempts, lastError, updatedAt, deliveredAt, null, null);
    }
}
