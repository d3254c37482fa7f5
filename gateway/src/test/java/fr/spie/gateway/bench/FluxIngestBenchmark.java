package fr.spie.gateway.bench;

import fr.spie.connector.caf.SyntheticFluxGenerator;
import fr.spie.gateway.SpieGatewayMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * File-channel benchmark: a generated CNAF flux of N persons is uploaded to a gateway started in this JVM and
 * ingested — parsed (twice: validation pass, then submission), mapped, validated against the SPIE schema, routed,
 * stored with its audit events and enqueued on the recipient's queue. Deliveries are not started (Camel routes off),
 * so the figure is the ingestion rate. Prints records/s and the peak heap.
 *
 * <p>Arguments: [persons=1000000]. Run with {@code BENCH_JAVA_OPTS=-Xmx512m ./gateway/bench.sh FluxIngestBenchmark}.
 */
public final class FluxIngestBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        int persons = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path work = Files.createTempDirectory("spie-flux-bench");
        Path flux = work.resolve("RSABEM.xml");
        long g0 = System.nanoTime();
        int households = SyntheticFluxGenerator.write(flux, persons);
        System.out.printf("generated %,d persons in %,d households, %,d MB, in %.1f s%n", persons, households,
                Files.size(flux) >> 20, (System.nanoTime() - g0) / 1e9);

        ConfigurableApplicationContext gateway = new SpringApplicationBuilder(SpieGatewayMain.class).run(
                "--server.port=0", "--spie.data-dir=" + work.resolve("data"),
                "--spie.config-dir=src/test/resources/bench-config", "--BENCH_SINK_URL=http://127.0.0.1:9/none",
                "--camel.main.auto-startup=false", "--spie.files.inbox-enabled=false",
                "--spie.files.max-size=8GB", // a 1,000,000-person flux is 2.8 GB, above the 2 GB default
                "--logging.level.root=WARN", "--logging.level.fr.spie.gateway.files=INFO");
        int port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long t0 = System.nanoTime();
        ThreadCpu threads = ThreadCpu.now();
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/partners/caf-51/files?name=RSABEM.xml"))
                .header("Authorization", "Bearer test-token-caf-51")
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofFile(flux)).build(), HttpResponse.BodyHandlers.ofString());
        if (upload.statusCode() != 202) {
            throw new IllegalStateException("upload answered " + upload.statusCode() + ": " + upload.body());
        }
        String statusUrl = JSON.readTree(upload.body()).path("statusUrl").asString();
        System.out.printf("uploaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        JsonNode status;
        do {
            Thread.sleep(2000);
            status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + statusUrl))
                    .header("Authorization", "Bearer test-token-caf-51").GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            System.out.printf("  %s: %s done, %s/s%n", status.path("status").asString(),
                    status.path("progress").path("recordsDone").asString(),
                    status.path("progress").path("ratePerSecond").asString());
        } while (!"DONE".equals(status.path("status").asString())
                && !"QUARANTINED".equals(status.path("status").asString()));
        JdbcTemplate jdbc = gateway.getBean(JdbcTemplate.class);
        long queued;
        do {
            Thread.sleep(500);
            queued = jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE enqueued = FALSE", Long.class);
        } while (queued > 0);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Instant started = Instant.parse(status.path("startedAt").asString());
        Instant finished = Instant.parse(status.path("finishedAt").asString());
        long records = status.path("counts").path("records").asLong();
        System.out.printf("%nSPIE Gateway file-channel ingestion benchmark%n");
        System.out.printf("machine: %d cores, %s %s, heap max %d MB, peak heap used %d MB%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, peakHeapMb());
        System.out.printf("file: %,d persons, status %s, counts %s%n", persons, status.path("status").asString(),
                status.path("counts"));
        System.out.printf("processing (validation pass + submission): %.1f s = %,.0f records/s%n",
                Duration.between(started, finished).toMillis() / 1e3,
                records / (Duration.between(started, finished).toMillis() / 1e3));
        System.out.printf("upload to every delivery enqueued: %.1f s = %,.0f records/s%n", seconds, records / seconds);
        System.out.printf("load average at the end %.2f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.print(threads.reportUntilNow(records, "record"));
        gateway.close();
        // the data directory (and the generated file) can take gigabytes: a full disk blocks the broker
        org.springframework.util.FileSystemUtils.deleteRecursively(work);
        System.exit(0);
    }

    private static long peakHeapMb() {
        long sum = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum >> 20;
    }
}
