package fr.spie.gateway.delivery;

import fr.spie.gateway.store.StoredExchange;

/**
 * One attempt to deliver an exchange to a recipient.
 *
 * @param exchange  the exchange
 * @param recipient the recipient partner id
 * @param routeId   the route that released it
 * @param attempt   the number of this attempt (1 = first)
 * @param envelope  the envelope JSON as accepted
 */
public record DeliveryTask(StoredExchange exchange, String recipient, String routeId, int attempt, String envelope) {

    /** Stable per exchange and recipient, so that a recipient can recognise a redelivery. */
    public String idempotencyKey() {
        return java.util.UUID.nameUUIDFromBytes((exchange.exchangeId() + "/" + recipient)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
