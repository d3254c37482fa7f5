package fr.spie.gateway.it.prod;

import static fr.spie.gateway.it.GatewayTestSupport.example;

import fr.spie.gateway.it.GatewayTestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * Partners that keep submitting while the gateway crashes under them, and behave as the API asks: an exchange
 * without a definitive answer (connection refused or cut, 5xx) is sent again, same id and same bytes, until it gets
 * one. So every exchange the load created ends up answered 202 exactly as often as the gateway accepted it.
 */
final class SubmissionLoad implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private static final long PACE_MILLIS = 100;

    private final IntSupplier port;
    private final List<Thread> threads = new ArrayList<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong resent = new AtomicLong();
    private final List<String> failures = new ArrayList<>();
    private volatile boolean running = true;

    SubmissionLoad(IntSupplier port, int partners) {
        this.port = port;
        for (int i = 0; i < partners; i++) {
            Thread t = new Thread(this::loop, "load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop() {
        while (running) {
            // a steady flow (about 10 exchanges/s per partner), not a flood: the test is about what survives a
            // crash, and a backlog of thousands would only make the drain at the end longer
            PostgresServer.sleep(PACE_MILLIS);
            ObjectNode envelope = example("person.applicant-with-nir");
            envelope.put("exchangeId", UUID.randomUUID().toString());
            ((ObjectNode) envelope.path("subject")).put("nir",
                    "1850775" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000)));
            byte[] body = GatewayTestSupport.JSON.writeValueAsBytes(envelope);
            boolean first = true;
            while (true) {
                if (!first) {
                    resent.incrementAndGet();
                }
                first = false;
                int status = send(body);
                if (status == 202) {
                    accepted.add(envelope.path("exchangeId").asString());
                    break;
                }
                if (status >= 400 && status < 500) {
                    synchronized (failures) {
                        failures.add(envelope.path("exchangeId").asString() + " → " + status);
                    }
                    break;
                }
                PostgresServer.sleep(100); // no answer, or 5xx: the same exchange again
            }
        }
    }

    private int send(byte[] body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt()
                            + "/api/v1/exchanges")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + GatewayTestSupport.token("caf-51"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Exchanges answered 202. */
    Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    /** Submissions sent again because the first had no definitive answer. */
    long resent() {
        return resent.get();
    }

    /** Exchanges refused with a 4xx: none expected. */
    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Stops creating exchanges; waits until each partner has its last one answered (a gateway must be up). */
    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(120).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
