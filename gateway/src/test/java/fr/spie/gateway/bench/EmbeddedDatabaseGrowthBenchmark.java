package fr.spie.gateway.bench;

import fr.spie.gateway.cli.SpieCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.util.FileSystemUtils;

/**
 * How much the embedded H2 file grows for the data it holds when written as the gateway writes it (its URL settings,
 * WRITE_DELAY=0: each commit at once, which leaves H2 without its background housekeeping), and what 'db compact'
 * gives back. Each of {@code threads} writers inserts rows of 1.5 kB and updates each twice (routed, attempted,
 * delivered: a delivery's life), every statement its own commit. Usage:
 * {@code ./gateway/bench.sh EmbeddedDatabaseGrowthBenchmark [rows=40000] [threads=4]}. The data directory is
 * deleted at the end.
 */
public final class EmbeddedDatabaseGrowthBenchmark {
    private EmbeddedDatabaseGrowthBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path data = Files.createTempDirectory("spie-h2-growth");
        Path file = data.resolve("db").resolve("spie.mv.db");
        String url = "jdbc:h2:retry:" + data.resolve("db").resolve("spie") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=64;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        try {
            try (Connection keeper = DriverManager.getConnection(url, "sa", "");
                 Statement s = keeper.createStatement()) {
                s.execute("CREATE TABLE delivery (exchange_id UUID PRIMARY KEY, status VARCHAR(20) NOT NULL, "
                        + "attempts INT NOT NULL, body VARCHAR(4000), updated_at TIMESTAMP NOT NULL)");
                s.execute("CREATE INDEX delivery_status ON delivery (status, updated_at)");
                long start = System.nanoTime();
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < threads; w++) {
                    writers.add(pool.submit(() -> write(url, rows / threads)));
                }
                for (Future<?> writer : writers) {
                    writer.get();
                }
                pool.shutdown();
                double seconds = (System.nanoTime() - start) / 1e9;
                long size = Files.size(file);
                System.out.printf(Locale.ROOT, "%,d rows written by %d threads in %.1f s (%,.0f commits/s): "
                                + "file %s, %,.0f bytes per commit%n", rows, threads, seconds, 3 * rows / seconds,
                        mb(size), (double) size / (3L * rows));
            }
            System.out.printf("closed: file %s%n", mb(Files.size(file)));
            int exit = SpieCli.execute("db", "compact", "--data-dir", data.toString());
            System.out.printf("db compact exit %d: file %s%n", exit, mb(Files.size(file)));
        } finally {
            FileSystemUtils.deleteRecursively(data);
        }
    }

    private static Void write(String url, int rows) throws Exception {
        String body = "x".repeat(1_500);
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO delivery VALUES (?, 'PENDING', 0, ?, CURRENT_TIMESTAMP)");
             PreparedStatement update = c.prepareStatement(
                     "UPDATE delivery SET status = ?, attempts = attempts + 1, updated_at = CURRENT_TIMESTAMP "
                             + "WHERE exchange_id = ?")) {
            for (int i = 0; i < rows; i++) {
                UUID id = UUID.randomUUID();
                insert.setObject(1, id);
                insert.setString(2, body);
                insert.executeUpdate();
                for (String status : new String[] {"ATTEMPTED", "DELIVERED"}) {
                    update.setString(1, status);
                    update.setObject(2, id);
                    update.executeUpdate();
                }
            }
        }
        return null;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,.1f MB", bytes / 1_048_576.0);
    }
}
