package fr.spie.gateway.observability;

import java.util.OptionalLong;

/**
 * How many messages wait in a broker queue. The embedded broker answers from its own management view
 * ({@link EmbeddedQueueDepths}); an external broker can plug in another implementation (Artemis core management
 * queue {@code activemq.management} or JMX) as a bean of this type.
 */
public interface QueueDepths {
    /** Messages in the queue (waiting and being delivered), or empty when it cannot be known. */
    OptionalLong depth(String queue);
}
