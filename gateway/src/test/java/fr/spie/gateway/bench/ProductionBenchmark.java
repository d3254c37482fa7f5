package fr.spie.gateway.bench;

import fr.spie.gateway.it.prod.ArtemisServer;
import fr.spie.gateway.it.prod.GatewayProcess;
import fr.spie.gateway.it.prod.PostgresServer;
import fr.spie.gateway.it.prod.ProductionGateway;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end benchmark of the production deployment (issue 7): a real PostgreSQL and a real standalone Artemis broker
 * (both started from Maven Central binaries, as in the production tests), one or more gateway instances in the
 * production profile, each in its own JVM, and this JVM as the load generator (N client threads spread round-robin
 * over the instances, as a load balancer would) and the recipient's HTTP sink. For each instance count, a fresh
 * database: the figures of the runs are comparable, and the scaling ratio is printed at the end.
 *
 * <p>Arguments: [instances=1,2] [clients=16] [seconds=60] [warmupSeconds=120] [gatewayHeap=768m]. Each gateway is
 * a JVM started for the run: with a shorter warm-up its JIT compilers are still busy in the measured window (34-42 %
 * of its CPU after 15 s, ~6 % after 120 s; docs/performance.md), which a long-running service does not pay.
 * {@code -Dbench.pg.statistics=true} (in {@code BENCH_JAVA_OPTS}) prints PostgreSQL's per-statement figures of each
 * run ({@link PostgresStatementStatistics}).
 * Run with {@code ./gateway/bench.sh ProductionBenchmark 1,2 16 60 120} (see docs/performance.md).
 */
public final class ProductionBenchmark {
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

    public static void main(String[] all) throws Exception {
        // gateway settings (--key=value) may follow the numbers, replacing the benchmark's own
        String[] args = java.util.Arrays.stream(all).filter(a -> !a.startsWith("--")).toArray(String[]::new);
        Map<String, String> extra = new LinkedHashMap<>();
        java.util.Arrays.stream(all).filter(a -> a.startsWith("--") && a.contains("="))
                .forEach(a -> extra.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1)));
        List<Integer> counts = new ArrayList<>();
        for (String n : (args.length > 0 ? args[0] : "1,2").split(",")) {
            counts.add(Integer.parseInt(n.trim()));
        }
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 120;
        String heap = args.length > 4 ? args[4] : "768m";

        // -Dbench.pg.statistics=true: PostgreSQL's per-statement figures of each run, printed after its load
        PostgresServer postgres = PostgresServer.start(PostgresServer.newDirectory("bench-pg"),
                PostgresStatementStatistics.enabled() ? PostgresStatementStatistics.SERVER_SETTINGS : List.of());
        ArtemisServer broker = ArtemisServer.start(PostgresServer.newDirectory("bench-artemis"));
        RecipientSink sink = new RecipientSink();
        List<Result> results = new ArrayList<>();
        try {
            for (int instances : counts) {
                System.out.printf("%n--- %d instance(s), %d clients, warm-up %d s, measured %d s%n", instances, clients,
                        warmup, seconds);
                results.add(run(instances, clients, seconds, warmup, heap, postgres, broker, sink, extra));
            }
        } finally {
            sink.close();
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
                              PostgresServer postgres, ArtemisServer broker, RecipientSink sink,
                              Map<String, String> extraSettings) throws Exception {
        String jdbcUrl = postgres.createDatabase("bench_" + instances + "_" + System.nanoTime() % 100_000);
        ProductionGateway.Cluster cluster = ProductionGateway.Cluster.withRecipients(jdbcUrl, broker,
                Map.of("BENCH_SINK_URL", sink.url()));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("logging.level.root", "WARN");
        settings.put("logging.level.fr.spie", "WARN");
        settings.put("server.tomcat.threads.max", "64");
        settings.put("spie.delivery.consumers-per-recipient", "8");
        settings.putAll(extraSettings);
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
            if (PostgresStatementStatistics.enabled()) {
                PostgresStatementStatistics.reset(jdbcUrl);
            }
            Result result = load(gateways, clients, seconds, warmup, sink);
            if (PostgresStatementStatistics.enabled()) {
                System.out.print(PostgresStatementStatistics.top(jdbcUrl, 15));
            }
            return result;
        } finally {
            for (GatewayProcess g : gateways) {
                g.close();
            }
        }
    }

    private static Result load(List<GatewayProcess> gateways, int clients, int seconds, int warmup,
                               RecipientSink sink) throws Exception {
        List<URI> intakes = gateways.stream()
                .map(g -> URI.create("http://127.0.0.1:" + g.port() + "/api/v1/exchanges")).toList();
        IntakeLoad.Result load = IntakeLoad.run(intakes, clients, seconds, warmup, sink);
        long deliveredInWindow = sink.delivered();
        long drainUntil = System.nanoTime() + DRAIN.toNanos();
        while (sink.pending() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(200);
        }
        return new Result(gateways.size(), load.accepted(), deliveredInWindow, sink.duplicates(), load.errors(),
                seconds, load.intakeLatency().summary(), sink.latency(), sink.pending());
    }
}
