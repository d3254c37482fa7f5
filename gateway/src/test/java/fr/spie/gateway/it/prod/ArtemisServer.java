package fr.spie.gateway.it.prod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real standalone Artemis broker for tests, run as a child process from the Artemis distribution that the build
 * unpacks ({@code org.apache.activemq:apache-artemis:<version>:tar.gz:bin}, system property
 * {@code spie.test.artemis.home}, set by surefire). {@code artemis create} makes a broker instance (once per build, as
 * a template copied to a directory of the caller's choosing), listening on a free loopback port with login required;
 * the address settings that the gateway needs (docs/operations.md, "External Artemis broker") are added to its
 * {@code broker.xml}. The journal is not fsynced ({@code --no-fsync}): a killed broker loses nothing, only an OS
 * crash would.
 *
 * <p>{@link #stop()} is a clean shutdown (SIGTERM), {@link #kill()} a crash (SIGKILL), {@link #restart()} a stop and
 * a start on the same port and journal. Output goes to {@code <instance>/log/console.log}.
 */
public final class ArtemisServer implements AutoCloseable {
    public static final String USER = "spie";
    public static final String PASSWORD = "spie-broker-test";

    /** What docs/operations.md asks of a production broker.xml, inserted into the created instance's. */
    static final String SPIE_ADDRESS_SETTINGS = """
                     <address-setting match="spie.#">
                        <max-delivery-attempts>-1</max-delivery-attempts>
                        <redelivery-delay>1000</redelivery-delay>
                        <dead-letter-address>spie.broker.dead-letter</dead-letter-address>
                        <expiry-address>spie.broker.expired</expiry-address>
                        <address-full-policy>PAGE</address-full-policy>
                        <max-size-bytes>64MB</max-size-bytes>
                        <auto-create-queues>true</auto-create-queues>
                        <auto-create-addresses>true</auto-create-addresses>
                        <auto-delete-queues>false</auto-delete-queues>
                        <auto-delete-addresses>false</auto-delete-addresses>
                     </address-setting>
            """;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path instance;
    private final int port;
    private Process process;

    private ArtemisServer(Path instance, int port) {
        this.instance = instance;
        this.port = port;
    }

    /** Creates a broker instance in {@code directory} (a new, empty directory) and starts it. */
    public static ArtemisServer start(Path directory) {
        ArtemisServer server = new ArtemisServer(directory.toAbsolutePath(), freePort());
        server.create();
        server.start();
        return server;
    }

    /** The URL a gateway gives as {@code spie.broker.url}. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path instance() {
        return instance;
    }

    /** Starts the broker (again) and waits until its acceptor takes connections. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(instance.resolve("log"));
            ProcessBuilder pb = new ProcessBuilder(instance.resolve("bin").resolve("artemis").toString(), "run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.resolve("log").resolve("console.log")
                            .toFile()));
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Artemis broker in " + instance, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Artemis broker exited with " + process.exitValue() + ", see "
                        + instance.resolve("log"));
            }
            if (PostgresServer.accepts(port)) {
                return;
            }
            PostgresServer.sleep(100);
        }
        throw new IllegalStateException("the Artemis broker did not listen on " + port + " within " + START_TIMEOUT);
    }

    /** Clean shutdown (SIGTERM: the broker's shutdown hook stops it). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** A crash: SIGKILL of the broker process (and of whatever it started). */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Artemis process " + h.pid() + " did not die", e);
            }
        }
        process = null;
    }

    public synchronized void restart() {
        stop();
        start();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Copies the instance template (made once per build by {@code artemis create}, which takes tens of seconds) and
     * points the copy at its own directory and port.
     */
    private void create() {
        Path template = template();
        try {
            PostgresServer.deleteRecursively(instance);
            try (var walk = Files.walk(template)) {
                for (Path from : walk.toList()) {
                    Path to = instance.resolve(template.relativize(from).toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            for (String dir : List.of("bin", "etc")) {
                try (var files = Files.list(instance.resolve(dir))) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String text = Files.readString(f);
                        String changed = text.replace(template.toString(), instance.toString())
                                .replace("tcp://127.0.0.1:" + TEMPLATE_PORT, "tcp://127.0.0.1:" + port);
                        if (!changed.equals(text)) {
                            Files.writeString(f, changed);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Artemis instance " + instance, e);
        }
    }

    private static final int TEMPLATE_PORT = 61616;

    private static synchronized Path template() {
        String home = System.getProperty("spie.test.artemis.home");
        if (home == null || !Files.isDirectory(Path.of(home))) {
            throw new IllegalStateException("no Artemis distribution (system property spie.test.artemis.home = "
                    + home + "): run the tests through Maven, which unpacks it under target/");
        }
        Path template = Path.of("target", "artemis-instance-template").toAbsolutePath();
        if (Files.exists(template.resolve("etc").resolve("broker.xml"))) {
            return template;
        }
        List<String> command = List.of(Path.of(home, "bin", "artemis").toString(), "create", template.toString(),
                "--silent", "--force", "--no-web", "--require-login", "--user", USER, "--password", PASSWORD,
                "--role", "amq", "--host", "127.0.0.1", "--default-port", Integer.toString(TEMPLATE_PORT),
                "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor",
                "--nio", "--no-autotune", "--no-fsync", "--java-memory", "384M");
        try {
            PostgresServer.deleteRecursively(template);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("artemis create failed: " + output);
            }
            // a test broker needs little heap (the profile's default -Xms is above the -Xmx given to create)
            Path profile = template.resolve("etc").resolve("artemis.profile");
            Files.writeString(profile, Files.readString(profile).replace("-Xms512M", "-Xms64M"));
            // last: its presence marks a complete template
            Path brokerXml = template.resolve("etc").resolve("broker.xml");
            String xml = Files.readString(brokerXml);
            Path written = template.resolve("etc").resolve("broker.xml.new");
            // max-disk-usage 100: the build's disk is shared; a file system another user filled beyond 90 % made
            // the broker block every send, and every test that waits for a delivery failed
            Files.writeString(written, xml.replace("<address-settings>", "<address-settings>\n" + SPIE_ADDRESS_SETTINGS)
                    .replaceAll("<max-disk-usage>\\d+</max-disk-usage>", "<max-disk-usage>100</max-disk-usage>")
                    .replace("</core>", "   <id-cache-size>100000</id-cache-size>\n"
                            + "      <persist-id-cache>true</persist-id-cache>\n   </core>"));
            Files.delete(brokerXml);
            Files.move(written, brokerXml);
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Artemis instance template " + template, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
