package fr.spie.gateway.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * {@code spie.database.file.size}: the size of the embedded H2 database's file. Written commit by commit, that file
 * grows far beyond its data under a steady load and gives nothing back while the gateway runs (docs/operations.md,
 * "Giving the embedded database's space back"): an operator alerts on it and plans a stop with {@code db compact}.
 * Registered only when the gateway's database is an H2 file; NaN while the file cannot be read.
 */
public final class EmbeddedDatabaseFileMetrics implements MeterBinder {
    /** H2's file-system prefixes a database URL may carry before the file's path (jdbc:h2:retry:/var/lib/...). */
    private static final Set<String> FILE_SYSTEMS = Set.of("file", "retry", "nio", "nioMapped", "async", "split");

    private final Path file;

    private EmbeddedDatabaseFileMetrics(Path file) {
        this.file = file;
    }

    /** The meter of the H2 file the JDBC URL names, or none (another database, or an in-memory H2). */
    public static Optional<EmbeddedDatabaseFileMetrics> of(String jdbcUrl) {
        return h2File(jdbcUrl).map(EmbeddedDatabaseFileMetrics::new);
    }

    /** The {@code .mv.db} file of an H2 file database URL; empty for any other URL. */
    static Optional<Path> h2File(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = jdbcUrl.substring("jdbc:h2:".length());
        int settings = rest.indexOf(';');
        if (settings >= 0) {
            rest = rest.substring(0, settings);
        }
        for (int colon = rest.indexOf(':'); colon > 0 && FILE_SYSTEMS.contains(rest.substring(0, colon));
             colon = rest.indexOf(':')) {
            rest = rest.substring(colon + 1);
        }
        if (rest.isEmpty() || rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:")
                || rest.startsWith("zip:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(rest + ".mv.db"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("spie.database.file.size", file, EmbeddedDatabaseFileMetrics::size)
                .baseUnit("bytes")
                .description("size of the embedded H2 database's file; it grows under load and gives space back "
                        + "only through 'db compact' during a stop")
                .register(registry);
    }

    private static double size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
