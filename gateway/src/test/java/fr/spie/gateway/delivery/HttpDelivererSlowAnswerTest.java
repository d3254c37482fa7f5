package fr.spie.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.config.TransportSettings;
import fr.spie.gateway.outbound.ImiloApiTransport;
import fr.spie.gateway.store.StoredExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A recipient that sends its status line at once, then its body one byte at a time (or a body without end): the
 * attempt ends within the delivery's {@code timeout}, with the outcome the status says, instead of holding a
 * consumer of the recipient's queue for as long as the recipient likes.
 */
class HttpDelivererSlowAnswerTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private ServerSocket server;
    private Thread serving;

    @AfterEach
    void stop() throws IOException {
        if (serving != null) {
            serving.interrupt();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSuccessWhoseBodyTricklesEndsWithinTheTimeoutAsDelivered() throws Exception {
        URI url = trickling(200);
        assertThat(postWithin(url, Duration.ofSeconds(5))).isNull();
    }

    @Test
    void aServerErrorWhoseBodyTricklesEndsWithinTheTimeoutAsRetryable() throws Exception {
        URI url = trickling(503);
        Throwable outcome = postWithin(url, Duration.ofSeconds(5));
        assertThat(outcome).isInstanceOf(DeliveryFailure.class).hasMessage("HTTP 503");
        assertThat(((DeliveryFailure) outcome).retryable()).isTrue();
    }

    @Test
    void aRefusalWhoseBodyTricklesEndsWithinTheTimeoutAsARefusal() throws Exception {
        URI url = trickling(422);
        Throwable outcome = postWithin(url, Duration.ofSeconds(5));
        assertThat(outcome).isInstanceOf(DeliveryFailure.class).hasMessage("HTTP 422");
        assertThat(((DeliveryFailure) outcome).retryable()).isFalse();
    }

    @Test
    void anImiloAnswerWhoseBodyTricklesEndsWithinTheTimeout() throws Exception {
        URI url = trickling(201);
        ImiloApiTransport imilo = new ImiloApiTransport(new TransportSettings.ImiloApi(url, "key", null),
                delivery(null));
        StoredExchange exchange = new StoredExchange(UUID.randomUUID(), "cd-51", "orientation", "1.0", "route",
                "public-task", "c".repeat(64), "d".repeat(64), "e".repeat(64), "f".repeat(64), Instant.now());
        DeliveryTask task = new DeliveryTask(exchange, "ml-reims", "route", 1, null);
        String envelope = "{\"recordType\":\"orientation\",\"subject\":{\"identifiers\":[{\"scheme\":"
                + "\"imilo-dossier-id\",\"value\":\"D123\"}]},\"payload\":{\"path\":\"PED\"}}";
        CompletableFuture<Void> attempt = CompletableFuture.runAsync(() -> imilo.deliver(task, envelope));
        try {
            attempt.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the i-milo attempt still runs after 5 s (timeout " + TIMEOUT + ")");
        }
    }

    @Test
    void noStatusWithinTheTimeoutIsARetryableTimeout() throws Exception {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        serving = daemon(() -> {
            try (Socket socket = server.accept()) {
                Thread.sleep(60_000);
            } catch (IOException | InterruptedException e) {
                // stopped
            }
        });
        URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/spie/records");
        assertThatThrownBy(() -> new HttpDeliverer().post(delivery(url), "key", "id", "{}".getBytes()))
                .isInstanceOf(DeliveryFailure.class).hasMessage("no answer within 500 ms");
    }

    /** Null when delivered, else what was thrown; fails the test when the attempt lasts longer than {@code max}. */
    private Throwable postWithin(URI url, Duration max) throws InterruptedException {
        CompletableFuture<Throwable> attempt = CompletableFuture.supplyAsync(() -> {
            try {
                new HttpDeliverer().post(delivery(url), "key", "id", "{}".getBytes(StandardCharsets.UTF_8));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        try {
            return attempt.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the attempt still runs after " + max + " (timeout " + TIMEOUT + ")");
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** A server that answers {@code status} at once, then a 10 MB body at one byte every 100 ms. */
    private URI trickling(int status) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        serving = daemon(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    readRequestHead(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: text/plain\r\nContent-Length: 10000000\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    for (int i = 0; i < 10_000_000; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client went away, or the test ends
                }
            }
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/spie/records");
    }

    private static Thread daemon(Runnable body) {
        Thread thread = new Thread(body, "slow-recipient");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static Delivery delivery(URI url) {
        return new Delivery(url, Duration.ofSeconds(2), TIMEOUT, 3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1),
                0.0);
    }
}
