package fr.spie.gateway.bench;

import fr.spie.gateway.SpieGatewayMain;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * End-to-end benchmark: N client threads submit RSA situations over HTTP for a fixed time to a gateway started in
 * this JVM (embedded Artemis + H2 in a temporary directory), which delivers each to a local HTTP sink. Prints the
 * sustained rate of exchanges acknowledged by the sink, and intake and end-to-end latency percentiles.
 *
 * <p>Arguments: [clients=16] [seconds=60] [warmupSeconds=60] [--gateway.setting=value ...]. Run with
 * gateway/bench.sh (see docs/performance.md).
 */
public final class EndToEndBenchmark {

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        // the JIT is still compiling a minute into a run on 2 cores (docs/performance.md): warm up for 60 s
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 60;

        RecipientSink sink = new RecipientSink();
        Path data = Files.createTempDirectory("spie-bench");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("spie.data-dir", data.toString());
        settings.put("spie.config-dir", "src/test/resources/bench-config");
        settings.put("BENCH_SINK_URL", sink.url());
        settings.put("logging.level.fr.spie", "WARN");
        settings.put("logging.level.root", "WARN");
        settings.put("server.tomcat.threads.max", "64");
        settings.put("spie.delivery.consumers-per-recipient", "8");
        // further --key=value arguments are gateway settings, replacing these defaults
        for (String arg : Arrays.asList(args).subList(Math.min(3, args.length), args.length)) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("gateway settings are --key=value, not " + arg);
            }
            settings.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        ConfigurableApplicationContext gateway;
        try {
            gateway = new SpringApplicationBuilder(SpieGatewayMain.class).run(settings.entrySet().stream()
                    .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
        int port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
        // -Dbench.h2.statistics=true: H2's per-statement execution times (warm-up included), printed at the end
        boolean statistics = Boolean.getBoolean("bench.h2.statistics");
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(
                gateway.getBean(javax.sql.DataSource.class));
        if (statistics) {
            jdbc.execute("SET QUERY_STATISTICS_MAX_ENTRIES 500");
            jdbc.execute("SET QUERY_STATISTICS TRUE");
        }

        IntakeLoad.Result load = IntakeLoad.run(List.of(URI.create("http://127.0.0.1:" + port + "/api/v1/exchanges")),
                clients, seconds, warmup, sink);
        long deliveredInWindow = sink.delivered();
        long drainUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (sink.pending() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(100);
        }
        double measuredSeconds = seconds;
        System.out.printf("%nSPIE Gateway end-to-end benchmark%n");
        System.out.printf("machine: %d cores, %s %s, heap max %d MB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.printf("clients: %d, warm-up %d s, measured %d s, embedded Artemis + H2%n", clients, warmup, seconds);
        System.out.printf("accepted (202): %d = %.0f exchanges/s; errors: %d%n", load.accepted(),
                load.accepted() / measuredSeconds, load.errors());
        System.out.printf("delivered within the window: %d = %.0f exchanges/s; after a 30 s drain: %d of them "
                        + "delivered, %d duplicates at the recipient%n", deliveredInWindow,
                deliveredInWindow / measuredSeconds, sink.delivered(), sink.duplicates());
        System.out.printf("intake latency ms: %s%n", load.intakeLatency().summary());
        System.out.printf("end-to-end latency ms (submit -> recipient ack): %s%n", sink.latency());
        System.out.print(load.cpu());
        System.out.printf("JVM uptime %d s%n", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        if (statistics) {
            System.out.println("H2 statements by cumulative execution time (ms; count; average ms):");
            jdbc.query("SELECT CUMULATIVE_EXECUTION_TIME, EXECUTION_COUNT, AVERAGE_EXECUTION_TIME, SQL_STATEMENT "
                    + "FROM INFORMATION_SCHEMA.QUERY_STATISTICS ORDER BY CUMULATIVE_EXECUTION_TIME DESC LIMIT 30",
                    rs -> {
                        System.out.printf("%10.0f %9d %8.3f  %s%n", rs.getDouble(1), rs.getLong(2), rs.getDouble(3),
                                rs.getString(4).replaceAll("\\s+", " "));
                    });
        }
        gateway.close();
        // the data directory (and the generated file) can take gigabytes: a full disk blocks the broker
        org.springframework.util.FileSystemUtils.deleteRecursively(data);
        sink.close();
        System.exit(0);
    }
}
