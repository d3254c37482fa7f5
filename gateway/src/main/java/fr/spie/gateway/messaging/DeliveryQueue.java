package fr.spie.gateway.messaging;

import jakarta.jms.TextMessage;
import java.util.UUID;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts delivery tasks on the recipients' durable queues. A task names the exchange and the recipient; the envelope
 * itself stays in the database, so that what is sent is decided at delivery time.
 */
@Component
public class DeliveryQueue {
    /** Artemis duplicate detection: the same task sent twice (e.g. by recovery) is stored once. */
    private static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private final JmsTemplate jms;

    public DeliveryQueue(JmsTemplate jms) {
        this.jms = jms;
    }

    /**
     * @param groupKey the person's pseudonym: tasks of one person to one recipient are consumed in order
     */
    public void enqueue(UUID exchangeId, String recipient, String routeId, String groupKey) {
        jms.send(DeliveryQueues.deliveryQueue(recipient), session -> {
            TextMessage message = session.createTextMessage(exchangeId.toString());
            message.setStringProperty(DeliveryQueues.EXCHANGE_ID, exchangeId.toString());
            message.setStringProperty(DeliveryQueues.RECIPIENT, recipient);
            message.setStringProperty(DeliveryQueues.ROUTE_ID, routeId);
            message.setStringProperty(DUPLICATE_ID, exchangeId + "/" + recipient);
            if (groupKey != null) {
                message.setStringProperty("JMSXGroupID", groupKey);
            }
            return message;
        });
    }
}
