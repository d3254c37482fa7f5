package fr.spie.gateway.messaging;

/** Names of the per-recipient queues. */
public final class DeliveryQueues {
    public static final String EXCHANGE_ID = "spieExchangeId";
    public static final String RECIPIENT = "spieRecipient";
    public static final String ROUTE_ID = "spieRouteId";

    private DeliveryQueues() {
    }

    public static String deliveryQueue(String recipient) {
        return "spie.delivery." + recipient;
    }
}
