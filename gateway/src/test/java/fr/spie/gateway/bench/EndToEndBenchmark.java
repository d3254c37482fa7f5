package fr.spie.gateway.bench;

import com.sun.net.httpserver.HttpServer;
import fr.spie.gateway.SpieGatewayMain;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * End-to-end benchmark: N client threads submit RSA situations over HTTP for a fixed time to a gateway started in
 * this JVM (embedded Artemis + H2 in a temporary directory), which delivers each to a local HTTP sink. Prints the
 * sustained rate of exchanges acknowledged by the sink, and intake and end-to-end latency percentiles.
 *
 * <p>Arguments: [clients=16] [seconds=60] [warmupSeconds=15]. Run with gateway/bench.sh (see docs/performance.md).
 */
public final class EndToEndBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 15;

        Map<String, Long> submittedAt = new ConcurrentHashMap<>();
        LatencyRecorder endToEnd = new LatencyRecorder();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong measuring = new AtomicLong(Long.MAX_VALUE);
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        sink.setExecutor(Executors.newFixedThreadPool(16));
        sink.createContext("/sink", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String id = exchange.getRequestHeaders().getFirst("X-Spie-Exchange-Id");
            Long start = id == null ? null : submittedAt.remove(id);
            long now = System.nanoTime();
            if (start != null && start >= measuring.get()) {
                endToEnd.record(now - start);
                acknowledged.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.start();

        Path data = Files.createTempDirectory("spie-bench");
        ConfigurableApplicationContext gateway = new SpringApplicationBuilder(SpieGatewayMain.class).run(
                "--server.port=0", "--spie.data-dir=" + data, "--spie.config-dir=src/test/resources/bench-config",
                "--BENCH_SINK_URL=http://127.0.0.1:" + sink.getAddress().getPort() + "/sink",
                "--logging.level.fr.spie=WARN", "--logging.level.root=WARN",
                "--server.tomcat.threads.max=64", "--spie.delivery.consumers-per-recipient=8");
        int port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));

        ObjectNode template;
        try (InputStream in = EndToEndBenchmark.class.getResourceAsStream(
                "/spie/examples/v1/rsa-situation/rsa-situation.open-payable-applicant.valid.json")) {
            template = (ObjectNode) JSON.readTree(in);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        URI intake = URI.create("http://127.0.0.1:" + port + "/api/v1/exchanges");
        LatencyRecorder intakeLatency = new LatencyRecorder();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        long startAll = System.nanoTime();
        long measureFrom = startAll + Duration.ofSeconds(warmup).toNanos();
        long end = measureFrom + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread worker = new Thread(() -> {
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        ObjectNode envelope = template.deepCopy();
                        String id = UUID.randomUUID().toString();
                        envelope.put("exchangeId", id);
                        // a different person per exchange, as in a real flux
                        ((ObjectNode) envelope.path("subject")).put("birthName", "BENCH" + client + "X" + n++);
                        HttpRequest request = HttpRequest.newBuilder(intake)
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer test-token-caf-51")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(envelope)))
                                .build();
                        long t0 = System.nanoTime();
                        submittedAt.put(id, t0);
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        long t1 = System.nanoTime();
                        if (response.statusCode() != 202) {
                            submittedAt.remove(id);
                            errors.incrementAndGet();
                        } else if (t0 >= measureFrom) {
                            intakeLatency.record(t1 - t0);
                            accepted.incrementAndGet();
                        }
                        if (measuring.get() == Long.MAX_VALUE && t0 >= measureFrom) {
                            measuring.compareAndSet(Long.MAX_VALUE, measureFrom);
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
        long drainUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (acknowledged.get() < accepted.get() && System.nanoTime() < drainUntil) {
            Thread.sleep(100);
        }
        double measuredSeconds = seconds;
        System.out.printf("%nSPIE Gateway end-to-end benchmark%n");
        System.out.printf("machine: %d cores, %s %s, heap max %d MB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.printf("clients: %d, warm-up %d s, measured %d s, embedded Artemis + H2%n", clients, warmup, seconds);
        System.out.printf("accepted (202): %d = %.0f exchanges/s; errors: %d%n", accepted.get(),
                accepted.get() / measuredSeconds, errors.get());
        System.out.printf("delivered (recipient acknowledged): %d = %.0f exchanges/s%n", acknowledged.get(),
                acknowledged.get() / measuredSeconds);
        System.out.printf("intake latency ms: %s%n", intakeLatency.summary());
        System.out.printf("end-to-end latency ms (submit -> recipient ack): %s%n", endToEnd.summary());
        System.out.printf("JVM uptime %d s%n", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        gateway.close();
        sink.stop(0);
        System.exit(0);
    }

    /** Collects latencies; percentiles over all samples. */
    static final class LatencyRecorder {
        private long[] samples = new long[1 << 16];
        private int size;

        synchronized void record(long nanos) {
            if (size == samples.length) {
                samples = Arrays.copyOf(samples, size * 2);
            }
            samples[size++] = nanos;
        }

        synchronized String summary() {
            if (size == 0) {
                return "no samples";
            }
            long[] sorted = Arrays.copyOf(samples, size);
            Arrays.sort(sorted);
            return String.format("p50 %.1f, p95 %.1f, p99 %.1f, max %.1f (n=%d)", ms(sorted, 0.50), ms(sorted, 0.95),
                    ms(sorted, 0.99), sorted[size - 1] / 1e6, size);
        }

        private static double ms(long[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
        }
    }
}
