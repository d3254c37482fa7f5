package fr.spie.gateway.ledger.tsa;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A TSA (or a proxy in front of it) whose answer's body trickles, or has no end: the timestamper's call ends within
 * its timeout after the headers, or at the answer limit, instead of holding the timestamper for as long as the
 * server likes or reading the body into memory whatever its size (the heads then wait in the backlog, as for any
 * TSA failure).
 */
class TimestampClientSlowAnswerTest {
    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anAnswerThatTricklesFailsWithinTheTimeout() throws Exception {
        Object outcome = timestampWithin(serving(10_000_000, 100), Duration.ofSeconds(5));

        assertThat(outcome).isInstanceOf(TimestampException.class);
        assertThat(((TimestampException) outcome).getMessage()).contains("not complete within 500 ms");
    }

    @Test
    void anAnswerOverTheLimitIsNotReadToItsEnd() throws Exception {
        Object outcome = timestampWithin(serving(64L * TimestampClient.MAX_ANSWER_BYTES, 0), Duration.ofSeconds(5));

        assertThat(outcome).isInstanceOf(TimestampException.class);
        assertThat(((TimestampException) outcome).getMessage()).contains("answer body over");
    }

    private static Object timestampWithin(URI url, Duration max) throws InterruptedException {
        TimestampClient client = new TimestampClient(url, Duration.ofMillis(500), null);
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
            try {
                return client.timestamp(TimestampClientTest.head(1));
            } catch (TimestampException e) {
                return e;
            }
        });
        try {
            return call.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the call still runs after " + max + " (timeout 500 ms)");
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** Answers 200 at once, then a body of {@code length} bytes, in 64 KiB chunks, or one byte every pauseMillis. */
    private URI serving(long length, long pauseMillis) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    readRequest(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: "
                            + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] chunk = new byte[pauseMillis > 0 ? 1 : 65536];
                    for (long sent = 0; sent < length; sent += chunk.length) {
                        out.write(chunk);
                        out.flush();
                        if (pauseMillis > 0) {
                            Thread.sleep(pauseMillis);
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // the client went away, or the test ends
                }
            }
        }, "slow-tsa");
        thread.setDaemon(true);
        thread.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/tsa");
    }

    /** Reads the request head and its body (Content-Length). */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
    }
}
