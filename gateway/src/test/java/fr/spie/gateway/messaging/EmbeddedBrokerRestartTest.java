package fr.spie.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker starts again on its own journal, with what it held: the second start of every gateway. On Java
 * 25 it did not (Netty could not free the journal's direct buffers: AMQ224000), and the gateway went on without a
 * broker; run this test with a Java 25 JDK to see it ({@link NettyCleanerOnNewerJdks}).
 */
class EmbeddedBrokerRestartTest {

    @Test
    void aBrokerStartsAgainOnItsJournalWithTheMessagesItHeld(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker first = new EmbeddedBroker(dir, true, 90)) {
            send(first, "spie.delivery.test", 3);
            assertThat(first.messageCount("spie.delivery.test")).isEqualTo(3);
        }
        try (EmbeddedBroker second = new EmbeddedBroker(dir, true, 90)) {
            assertThat(second.active()).isTrue();
            assertThat(second.messageCount("spie.delivery.test")).isEqualTo(3);
        }
    }

    @Test
    void onJava25AndLaterNettyIsToldToFreeBuffersTheWayArtemisNeedsUnlessTheOperatorSaidOtherwise() {
        String before = System.getProperty(NettyCleanerOnNewerJdks.PROPERTY);
        try {
            System.clearProperty(NettyCleanerOnNewerJdks.PROPERTY);
            NettyCleanerOnNewerJdks.apply(21);
            assertThat(System.getProperty(NettyCleanerOnNewerJdks.PROPERTY)).isNull();
            NettyCleanerOnNewerJdks.apply(25);
            assertThat(System.getProperty(NettyCleanerOnNewerJdks.PROPERTY)).isEqualTo("false");
            System.setProperty(NettyCleanerOnNewerJdks.PROPERTY, "true");
            NettyCleanerOnNewerJdks.apply(26);
            assertThat(System.getProperty(NettyCleanerOnNewerJdks.PROPERTY)).isEqualTo("true");
        } finally {
            if (before == null) {
                System.clearProperty(NettyCleanerOnNewerJdks.PROPERTY);
            } else {
                System.setProperty(NettyCleanerOnNewerJdks.PROPERTY, before);
            }
        }
    }

    private static void send(EmbeddedBroker broker, String queue, int n) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
             Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < n; i++) {
                producer.send(session.createTextMessage("task " + i));
            }
        }
    }
}
