package fr.spie.gateway.messaging;

import fr.spie.gateway.store.ExchangeStore;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.JmsException;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts delivery tasks on the recipients' durable queues. A task names the exchange and the recipient; the envelope
 * itself stays in the database, so that what is sent is decided at delivery time.
 */
@Component
public class DeliveryQueue {
    private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);
    /** Artemis duplicate detection: the same task sent twice (e.g. by recovery) is stored once. */
    private static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private final JmsTemplate jms;
    private final JmsTemplate transactedJms;

    public DeliveryQueue(JmsTemplate jms) {
        this.jms = jms;
        this.transactedJms = new JmsTemplate(jms.getConnectionFactory());
        this.transactedJms.setSessionTransacted(true);
    }

    /**
     * Sends a batch of tasks in one broker transaction (one journal sync for the batch). The broker rolls back a
     * whole transaction that holds a duplicate (a task already queued: by another gateway instance, or by this one
     * before a crash left it unmarked in the database); the batch is then sent again task by task, outside a
     * transaction, where the broker drops each duplicate alone and stores the others.
     */
    public void enqueueAll(List<ExchangeStore.QueuedDelivery> deliveries) {
        try {
            sendInOneTransaction(deliveries);
        } catch (JmsException e) {
            log.info("a batch of {} delivery tasks was refused ({}); sending them one by one", deliveries.size(),
                    e.getMostSpecificCause().toString());
            for (ExchangeStore.QueuedDelivery d : deliveries) {
                jms.send(DeliveryQueues.deliveryQueue(d.recipient()),
                        session -> message(session, d.exchangeId(), d.recipient(), d.routeId(), d.subjectPseudonym(),
                                d.replays()));
            }
        }
    }

    private void sendInOneTransaction(List<ExchangeStore.QueuedDelivery> deliveries) {
        transactedJms.execute(session -> {
            Map<String, MessageProducer> producers = new HashMap<>();
            for (ExchangeStore.QueuedDelivery d : deliveries) {
                MessageProducer producer = producers.computeIfAbsent(d.recipient(),
                        r -> createProducer(session, r));
                producer.send(message(session, d.exchangeId(), d.recipient(), d.routeId(), d.subjectPseudonym(),
                        d.replays()));
            }
            session.commit();
            producers.values().forEach(DeliveryQueue::closeQuietly);
            producers.clear();
            return null;
        }, true);
    }

    private static TextMessage message(Session session, UUID exchangeId, String recipient, String routeId,
                                       String groupKey, int replays) throws JMSException {
        TextMessage message = session.createTextMessage(exchangeId.toString());
        message.setStringProperty(DeliveryQueues.EXCHANGE_ID, exchangeId.toString());
        message.setStringProperty(DeliveryQueues.RECIPIENT, recipient);
        message.setStringProperty(DeliveryQueues.ROUTE_ID, routeId);
        // a replayed dead letter is a new task for the broker: the first one is still in its duplicate-id cache
        message.setStringProperty(DUPLICATE_ID, exchangeId + "/" + recipient + (replays == 0 ? "" : "/" + replays));
        if (groupKey != null) {
            message.setStringProperty("JMSXGroupID", groupKey);
        }
        return message;
    }

    private static MessageProducer createProducer(Session session, String recipient) {
        try {
            MessageProducer producer = session.createProducer(
                    session.createQueue(DeliveryQueues.deliveryQueue(recipient)));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            return producer;
        } catch (JMSException e) {
            throw new IllegalStateException("cannot create a producer for " + recipient, e);
        }
    }

    private static void closeQuietly(MessageProducer producer) {
        try {
            producer.close();
        } catch (JMSException e) {
            // the session is cached and the producer is gone with it anyway
        }
    }
}
