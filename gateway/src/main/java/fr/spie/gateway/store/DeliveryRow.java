package fr.spie.gateway.store;

import java.time.Instant;

/** One recipient's delivery of an exchange. */
public record DeliveryRow(String recipient, String routeId, DeliveryStatus status, int attempts, String lastError,
                          Instant updatedAt, Instant deliveredAt) {
}
