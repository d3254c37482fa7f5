package fr.spie.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.it.GatewayTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 6, point 5: a client that sends half a request and stalls is disconnected within Tomcat's connection timeout
 * ({@code server.tomcat.connection-timeout}, 20s in production, 1s here), in the headers or in the body.
 */
@SpringBootTest(classes = SpieGatewayMain.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlowClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    // its own data directory: another context on RunningGatewayTest's would wait for the broker journal's lock
    private static final java.nio.file.Path DATA = GatewayTestSupport.tempDataDir();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void slow(DynamicPropertyRegistry registry) {
        registry.add("spie.data-dir", DATA::toString);
        registry.add("spie.config-dir", () -> GatewayTestSupport.TEST_CONFIG);
        registry.add("TEST_URL_CD_51", () -> "http://127.0.0.1:9/spie/records");
        registry.add("TEST_URL_FT_51", () -> "http://127.0.0.1:9/spie/records");
        registry.add("TEST_URL_ML_REIMS", () -> "http://127.0.0.1:9/spie/records");
        registry.add("server.tomcat.connection-timeout", () -> TIMEOUT.toMillis() + "ms");
    }

    @Test
    void aClientStallingInItsHeadersIsDisconnected() throws IOException {
        Duration closedAfter = stall("POST /api/v1/exchanges HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ");
        assertThat(closedAfter).isBetween(TIMEOUT.minusMillis(300), TIMEOUT.plusSeconds(4));
    }

    @Test
    void aClientStallingInItsBodyIsDisconnectedAndNothingIsStored() throws IOException {
        long exchanges = jdbc.queryForObject("SELECT COUNT(*) FROM exchange", Long.class);
        Duration closedAfter = stall("POST /api/v1/exchanges HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer test-token-caf-51\r\nContent-Type: application/json\r\n"
                + "Content-Length: 5000\r\n\r\n{\"exchangeId\": \"");
        assertThat(closedAfter).isBetween(TIMEOUT.minusMillis(300), TIMEOUT.plusSeconds(4));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM exchange", Long.class)).isEqualTo(exchanges);
    }

    @Test
    void anIdleConnectionIsDisconnected() throws IOException {
        assertThat(stall("")).isBetween(TIMEOUT.minusMillis(300), TIMEOUT.plusSeconds(4));
    }

    /** Sends the start of a request, then nothing: how long until the server closes the connection. */
    private Duration stall(String start) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(15_000);
            long t0 = System.nanoTime();
            socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // an error answer may come first; the connection must still end
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a stalled connection open for 15s", e);
            } catch (IOException reset) {
                // closed by a reset: also a disconnection
            }
            return Duration.ofNanos(System.nanoTime() - t0);
        }
    }
}
