package fr.spie.gateway.messaging;

import fr.spie.gateway.SpieProperties;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;

/** Connects the gateway to Artemis: the embedded broker by default, an external broker when spie.broker.url is set. */
@Configuration(proxyBeanMethods = false)
public class MessagingConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedBrokerHandle embeddedBroker(SpieProperties properties) throws Exception {
        if (!properties.broker().embedded()) {
            return new EmbeddedBrokerHandle(null);
        }
        return new EmbeddedBrokerHandle(new EmbeddedBroker(properties.dataPath().resolve("artemis"),
                properties.broker().syncNonTransactional(), properties.broker().maxDiskUsage()));
    }

    @Bean(destroyMethod = "close")
    ActiveMQConnectionFactory artemisConnectionFactory(SpieProperties properties, EmbeddedBrokerHandle broker) {
        return connectionFactory(properties, broker);
    }

    private static ActiveMQConnectionFactory connectionFactory(SpieProperties properties,
                                                               EmbeddedBrokerHandle broker) {
        String url = broker.broker() != null ? broker.broker().url() : properties.broker().url();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        if (!properties.broker().embedded() && properties.broker().user() != null) {
            factory.setUser(properties.broker().user());
            factory.setPassword(properties.broker().password());
        }
        factory.setBlockOnDurableSend(true);   // a send returns once the broker has persisted the message
        factory.setReconnectAttempts(-1);
        return factory;
    }

    @Bean
    @Primary
    CachingConnectionFactory cachingConnectionFactory(ActiveMQConnectionFactory artemis) {
        CachingConnectionFactory caching = new CachingConnectionFactory(artemis);
        caching.setSessionCacheSize(32);
        return caching;
    }

    @Bean
    JmsTemplate jmsTemplate(CachingConnectionFactory connectionFactory) {
        JmsTemplate template = new JmsTemplate(connectionFactory);
        template.setExplicitQosEnabled(true);
        template.setDeliveryPersistent(true);
        return template;
    }

    /**
     * Camel's "jms" component. Its consumers take one message at a time (no client-side buffer), so that the
     * concurrent consumers of a recipient share the work instead of one consumer buffering it all.
     */
    @Bean("jms")
    JmsComponent jms(SpieProperties properties, EmbeddedBrokerHandle broker) {
        ActiveMQConnectionFactory consumers = connectionFactory(properties, broker);
        consumers.setConsumerWindowSize(0);
        return JmsComponent.jmsComponent((ConnectionFactory) consumers);
    }

    /** Holds the embedded broker when there is one, so that it starts before and stops after its clients. */
    public record EmbeddedBrokerHandle(EmbeddedBroker broker) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
