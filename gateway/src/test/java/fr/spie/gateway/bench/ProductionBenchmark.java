package fr.spie.gateway.bench;

import com.sun.net.httpserver.HttpServer;
import fr.spie.gateway.bench.EndToEndBenchmark.LatencyRecorder;
import fr.spie.gateway.it.prod.ArtemisServer;
import fr.spie.gateway.it.prod.GatewayProcess;
import fr.spie.gateway.it.prod.PostgresServer;
import fr.spie.gateway.it.prod.ProductionGateway;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * End-to-end benchmark of the production deployment (issue 7): a real PostgreSQL and a real standalone Artemis broker
 * (both started from Maven Central binaries, as in the production tests), one or more gateway instances in the
 * production profile, each in its own JVM, and this JVM as the load generator (N client threads spread round-robin
 * over the instances, as a load balancer would) and the recipient's HTTP sink. For each instance count, a fresh
 * database: the figures of the runs are comparable, and the scaling ratio is printed at the end.
 *
 * <p>Arguments: [instances=1,2] [clients=16] [seconds=60] [warmupSeconds=15] [gatewayHeap=768m].
 * Run with {@code ./gateway/bench.sh ProductionBenchmark 1,2 16 60 15} (see docs/performance.md).
 */
public final class ProductionBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DRAIN = Duration.ofSeconds(60);

    private ProductionBenchmark() {
    }

    /** What one run measured. */
    record Result(int instances, long accepted, long delivered, long duplicates, int errors, double seconds,
                  String intake, String endToEnd, long backlog) {
        double acceptedPerSecond() {
            return accepted / seconds;
        }

        double deliveredPerSecond() {
            return delivered / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (String n : (args.length > 0 ? args[0] : "1,2").split(",")) {
            counts.add(Integer.parseInt(n.trim()));
        }
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        String heap = args.length > 4 ? args[4] : "768m";

        PostgresServer postgres = PostgresServer.start(PostgresServer.newDirectory("bench-pg"));
        ArtemisServer broker = ArtemisServer.start(PostgresServer.newDirectory("bench-artemis"));
        Sink sink = new Sink();
        List<Result> results = new ArrayList<>();
        try {
            for (int instances : counts) {
                System.out.printf("%n--- %d instance(s), %d clients, warm-up %d s, measured %d s%n", instances, clients,
                        warmup, seconds);
                results.add(run(instances, clients, seconds, warmup, heap, postgres, broker, sink));
            }
        } finally {
            sink.stop();
            broker.close();
            postgres.close();
        }
        System.out.printf("%nSPIE Gateway production benchmark (PostgreSQL + standalone Artemis, gateway JVMs -Xmx%s)%n",
                heap);
        System.out.printf("machine: %d cores, %s %s; load generator and sink in the benchmark JVM%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        for (Result r : results) {
            System.out.printf("%d instance(s): accepted %,d = %.0f/s, delivered %,d = %.0f/s, errors %d, "
                            + "duplicates at the recipient %d, backlog after %d s drain %d%n", r.instances(),
                    r.accepted(), r.acceptedPerSecond(), r.delivered(), r.deliveredPerSecond(), r.errors(),
                    r.duplicates(), DRAIN.toSeconds(), r.backlog());
            System.out.printf("    intake latency ms: %s%n", r.intake());
            System.out.printf("    end-to-end latency ms (submit -> recipient ack): %s%n", r.endToEnd());
        }
        if (results.size() > 1 && results.get(0).deliveredPerSecond() > 0) {
            Result first = results.get(0);
            for (Result r : results.subList(1, results.size())) {
                System.out.printf("scaling %d -> %d instances: accepted x%.2f, delivered x%.2f%n", first.instances(),
                        r.instances(), r.acceptedPerSecond() / first.acceptedPerSecond(),
                        r.deliveredPerSecond() / first.deliveredPerSecond());
            }
        }
        System.exit(0);
    }

    private static Result run(int instances, int clients, int seconds, int warmup, String heap,
                              PostgresServer postgres, ArtemisServer broker, Sink sink) throws Exception {
        String jdbcUrl = postgres.createDatabase("bench_" + instances + "_" + System.nanoTime() % 100_000);
        ProductionGateway.Cluster cluster = ProductionGateway.Cluster.withRecipients(jdbcUrl, broker,
                Map.of("BENCH_SINK_URL", sink.url()));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("logging.level.root", "WARN");
        settings.put("logging.level.fr.spie", "WARN");
        settings.put("server.tomcat.threads.max", "64");
        settings.put("spie.delivery.consumers-per-recipient", "8");
        String config = Path.of("src/test/resources/bench-config").toAbsolutePath().toString();
        List<GatewayProcess> gateways = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                GatewayProcess g = new GatewayProcess(cluster, PostgresServer.newDirectory("bench-gw-" + i)
                        .resolve("data"), config, settings, List.of("-Xmx" + heap));
                g.start();
                gateways.add(g);
                System.out.printf("instance %d up on port %d (log %s)%n", i + 1, g.port(), g.log());
            }
            sink.reset();
            return load(gateways, clients, seconds, warmup, sink);
        } finally {
            for (GatewayProcess g : gateways) {
                g.close();
            }
        }
    }

    private static Result load(List<GatewayProcess> gateways, int clients, int seconds, int warmup, Sink sink)
            throws Exception {
        ObjectNode template;
        try (InputStream in = ProductionBenchmark.class.getResourceAsStream(
                "/spie/examples/v1/rsa-situation/rsa-situation.open-payable-applicant.valid.json")) {
            template = (ObjectNode) JSON.readTree(in);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        LatencyRecorder intakeLatency = new LatencyRecorder();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        long measureFrom = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
        long end = measureFrom + Duration.ofSeconds(seconds).toNanos();
        sink.measureFrom(measureFrom);
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            URI intake = URI.create("http://127.0.0.1:" + gateways.get(c % gateways.size()).port()
                    + "/api/v1/exchanges");
            Thread worker = new Thread(() -> {
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        ObjectNode envelope = template.deepCopy();
                        String id = UUID.randomUUID().toString();
                        envelope.put("exchangeId", id);
                        // a different person each time, as in real traffic: the tasks of one person are delivered
                        // in order (one message group), those of different persons in parallel
                        ObjectNode subject = (ObjectNode) envelope.path("subject");
                        subject.put("birthName", "BENCH" + client + "X" + n);
                        subject.put("nir", String.format("282025%02d%05d", client % 100, n++ % 100_000));
                        HttpRequest request = HttpRequest.newBuilder(intake)
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer test-token-caf-51")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(envelope)))
                                .build();
                        long t0 = System.nanoTime();
                        sink.submitted(id, t0);
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        long t1 = System.nanoTime();
                        if (response.statusCode() != 202) {
                            sink.forget(id);
                            errors.incrementAndGet();
                        } else if (t0 >= measureFrom) {
                            intakeLatency.record(t1 - t0);
                            accepted.incrementAndGet();
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    errors.incrementAndGet();
                } finally {
                    done.countDown();
                }
            }, "bench-client-" + c);
            worker.start();
        }
        done.await();
        long deliveredInWindow = sink.delivered();
        long drainUntil = System.nanoTime() + DRAIN.toNanos();
        while (sink.pending() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(200);
        }
        return new Result(gateways.size(), accepted.get(), deliveredInWindow, sink.duplicates(), errors.get(),
                seconds, intakeLatency.summary(), sink.latency(), sink.pending());
    }

    /** The recipient: acknowledges every POST, counts each exchange once, and times submit to acknowledgement. */
    private static final class Sink {
        private final HttpServer server;
        private final Map<String, Long> submittedAt = new ConcurrentHashMap<>();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong duplicates = new AtomicLong();
        private volatile long measureFrom = Long.MAX_VALUE;
        private volatile LatencyRecorder endToEnd = new LatencyRecorder();

        Sink() throws IOException {
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

        void stop() {
            server.stop(0);
        }
    }
}
