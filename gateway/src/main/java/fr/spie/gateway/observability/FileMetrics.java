package fr.spie.gateway.observability;

import fr.spie.gateway.files.FileStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * File ingestion progress, read from the {@code received_file} table when scraped: {@code spie.files{status}} (files
 * by status), {@code spie.files.records} (records read from all files, a counter: its rate is the ingestion rate; it
 * never goes down) and
 * {@code spie.files.records.remaining} (records still to read in the files being processed).
 */
public final class FileMetrics implements MeterBinder {
    private final JdbcTemplate jdbc;
    private final AtomicLong recordsRead = new AtomicLong();

    public FileMetrics(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (FileStatus status : FileStatus.values()) {
            Gauge.builder("spie.files", this, m -> m.query("SELECT COUNT(*) FROM received_file WHERE status = ?",
                            status.name()))
                    .description("received files by status").tag("status", status.name().toLowerCase())
                    .register(registry);
        }
        FunctionCounter.builder("spie.files.records", this, FileMetrics::recordsRead)
                .description("records read from received files (accepted, unchanged or rejected)")
                .register(registry);
        Gauge.builder("spie.files.records.remaining", this, m -> m.query("SELECT COALESCE(SUM(records_total - "
                        + "records_done), 0) FROM received_file WHERE status = ? AND records_total IS NOT NULL",
                        FileStatus.PROCESSING.name()))
                .description("records still to read in the files being processed").register(registry);
    }

    /**
     * The records read, as the files' counts add up, never less than already told: a file read again from its
     * beginning (after a crash or a stop) counts from 0 again, and a counter that goes down is taken by Prometheus
     * for a restart, whose rate then counts every record of every file once more. A database that does not answer
     * leaves it where it was.
     */
    private double recordsRead() {
        double now = query("SELECT COALESCE(SUM(records_done), 0) FROM received_file", null);
        return Double.isNaN(now) ? recordsRead.get() : recordsRead.accumulateAndGet((long) now, Math::max);
    }

    private double query(String sql, String status) {
        try {
            Long n = status == null ? jdbc.queryForObject(sql, Long.class)
                    : jdbc.queryForObject(sql, Long.class, status);
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
