package fr.spie.gateway.observability;

import fr.spie.gateway.messaging.EmbeddedBroker;
import java.util.OptionalLong;

/** Queue depths read from the embedded Artemis broker's management view (no network, no JMX). */
public final class EmbeddedQueueDepths implements QueueDepths {
    private final EmbeddedBroker broker;

    public EmbeddedQueueDepths(EmbeddedBroker broker) {
        this.broker = broker;
    }

    @Override
    public OptionalLong depth(String queue) {
        if (!broker.active()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(broker.messageCount(queue));
    }
}
