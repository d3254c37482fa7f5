package fr.spie.connector.francetravail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An answer whose headers come at once and whose body then trickles, or never ends: the call ends within the
 * request's timeout after the headers, or at the body limit, with a retryable failure, instead of waiting for as long
 * as the server likes or reading the body into memory whatever its size.
 */
class FranceTravailHttpSlowAnswerTest {
    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodyThatTricklesFailsRetryablyWithinTheTimeout() throws Exception {
        URI url = serving(10_000_000, 100);
        Object outcome = executeWithin(url, Duration.ofSeconds(5));
        assertThat(outcome).isInstanceOf(FranceTravailApiException.class);
        assertThat(((FranceTravailApiException) outcome).retryable()).isTrue();
        assertThat(((FranceTravailApiException) outcome).getMessage()).contains("not complete within 500 ms");
    }

    @Test
    void aBodyOverTheLimitIsNotReadToItsEnd() throws Exception {
        URI url = serving(16L * 1024 * 1024, 0); // four times the limit
        Object outcome = executeWithin(url, Duration.ofSeconds(5));
        assertThat(outcome).isInstanceOf(FranceTravailApiException.class);
        assertThat(((FranceTravailApiException) outcome).retryable()).isTrue();
        assertThat(((FranceTravailApiException) outcome).getMessage()).contains("answer body over");
    }

    private static Object executeWithin(URI url, Duration max) throws InterruptedException {
        FranceTravailHttp http = new FranceTravailHttp(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .build(), Clock.systemUTC());
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMillis(500))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
            try {
                return http.execute(request, "POST", "/partenaire/x").body().length();
            } catch (FranceTravailApiException e) {
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
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] chunk = new byte[pauseMillis > 0 ? 1 : 65536];
                    java.util.Arrays.fill(chunk, (byte) ' ');
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
        }, "slow-france-travail");
        thread.setDaemon(true);
        thread.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/partenaire/x");
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
