package fr.spie.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.SpieProperties;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code broker} health with an external broker makes one connection attempt that gives up after 2 s
 * (docs/operations.md), also when the broker's host does not answer at all, so that a readiness probe is not held.
 */
class ExternalBrokerHealthTest {

    @Test
    void aBrokerWhoseHostDoesNotAnswerIsDownWithinTwoSeconds() throws Exception {
        // a listener that never accepts, its accept queue filled: the kernel drops further connection requests, as
        // a host behind a firewall that drops them
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> filling = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), 300);
                        filling.add(s);
                    } catch (java.io.IOException full) {
                        s.close();
                        break;
                    }
                }
                SpieProperties properties = new SpieProperties(null, null, null, new SpieProperties.Broker(
                        "tcp://127.0.0.1:" + silent.getLocalPort(), null, null, null, null), null, null);
                long start = System.nanoTime();
                Health health = new BrokerHealthIndicator(null, properties).health();
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("broker", "external").containsKey("error");
                // 2 s and the first connection's set-up (it was the 5 s TTL and more)
                assertThat(tookMs).as("ms to give up").isLessThan(4_000);
            } finally {
                for (Socket s : filling) {
                    s.close();
                }
            }
        }
    }
}
