package fr.spie.gateway.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recipient of the benchmarks: a JDK HTTP server on loopback that acknowledges every POST, counts each exchange
 * once (by its {@code X-Spie-Exchange-Id} header; a second arrival is a duplicate), and times submit to
 * acknowledgement for the exchanges submitted in the measured window.
 */
final class RecipientSink implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Long> submittedAt = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile LatencyRecorder endToEnd = new LatencyRecorder();

    RecipientSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/sink", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String id = exchange.getRequestHeaders().getFirst("X-Spie-Exchange-Id");
            long now = System.nanoTime();
            if (id != null && !seen.add(id)) {
                duplicates.incrementAndGet();
            } else {
                Long start = id == null ? null : submittedAt.remove(id);
                if (start != null && start >= measureFrom) {
                    endToEnd.record(now - start);
                    delivered.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sink";
    }

    /** Forgets everything: a new run. */
    void reset() {
        submittedAt.clear();
        seen.clear();
        delivered.set(0);
        duplicates.set(0);
        measureFrom = Long.MAX_VALUE;
        endToEnd = new LatencyRecorder();
    }

    void measureFrom(long nanos) {
        measureFrom = nanos;
    }

    void submitted(String id, long nanos) {
        submittedAt.put(id, nanos);
    }

    void forget(String id) {
        submittedAt.remove(id);
    }

    /** Exchanges submitted in the measured window and acknowledged by the recipient so far. */
    long delivered() {
        return delivered.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** Exchanges submitted (in any window) not yet received. */
    long pending() {
        return submittedAt.size();
    }

    String latency() {
        return endToEnd.summary();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
