package fr.spie.gateway.it.prod;

import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.it.GatewayTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One gateway instance in the production profile as a separate JVM (the test's own class path), so that a test can
 * kill it with SIGKILL — a crash, with no shutdown hook, no flush, no goodbye to the broker or the database. The
 * instance keeps its data directory and port across restarts, like a restarted pod or service.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ProductionGateway.Cluster cluster;
    private final Path dataDir;
    private final int port;
    private final Path log;
    private final String configDir;
    private final Map<String, String> extra;
    private final List<String> jvmOptions;
    private Process process;

    /** A test instance: the test configuration, a small heap and a quick start (C1 only). */
    GatewayProcess(ProductionGateway.Cluster cluster, Path dataDir) {
        this(cluster, dataDir, Path.of(GatewayTestSupport.TEST_CONFIG).toAbsolutePath().toString(), Map.of(),
                List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"));
    }

    /**
     * An instance with its own routing configuration, extra gateway settings (overriding the defaults) and JVM
     * options (the benchmarks run the full JIT).
     */
    public GatewayProcess(ProductionGateway.Cluster cluster, Path dataDir, String configDir, Map<String, String> extra,
                          List<String> jvmOptions) {
        this.cluster = cluster;
        this.dataDir = dataDir;
        this.port = freePort();
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.configDir = configDir;
        this.extra = Map.copyOf(extra);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** Starts the JVM and waits until the gateway answers its health endpoint. */
    public synchronized void start() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.profiles.active", "production");
        p.put("server.port", Integer.toString(port));
        p.put("spie.data-dir", dataDir.toString());
        p.put("spie.config-dir", configDir);
        p.put("spring.datasource.url", cluster.jdbcUrl());
        p.put("spring.datasource.username", PostgresServer.USER);
        p.put("spring.datasource.password", "");
        p.put("spie.broker.url", cluster.brokerUrl());
        p.put("spie.broker.user", ArtemisServer.USER);
        p.put("spie.broker.password", ArtemisServer.PASSWORD);
        p.put("spie.privacy.pseudonym-key", cluster.pseudonymKey());
        p.put("spie.ledger.keystore", cluster.keystore().toString());
        p.put("spie.ledger.password", cluster.keystorePassword());
        p.put("spie.ledger.head-every", "300ms");
        p.put("spie.cluster.leader-check-interval", "500ms");
        p.putAll(cluster.recipients());
        p.putAll(extra);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")), SpieGatewayMain.class.getName()));
        p.forEach((k, v) -> command.add("--" + k + "=" + v));
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a gateway process", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue() + ", see " + log);
            }
            if (healthy()) {
                return;
            }
            PostgresServer.sleep(200);
        }
        throw new IllegalStateException("the gateway did not become healthy within " + START_TIMEOUT + ", see " + log);
    }

    private boolean healthy() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: the JVM dies at once, wherever it is. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gateway process " + process.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** A clean stop (SIGTERM: graceful shutdown). */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
