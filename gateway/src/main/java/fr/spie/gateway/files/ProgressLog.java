package fr.spie.gateway.files;

import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * Tells the operator how far a file is while it is read: one INFO line every {@link #EVERY} at most, with counts and
 * rate only (never a name or a value of the file).
 */
final class ProgressLog {
    static final Duration EVERY = Duration.ofSeconds(30);

    private final Logger log;
    private final UUID fileId;
    private final String partner;
    private final Long recordsTotal;
    private final long startNanos;
    private long lastNanos;

    ProgressLog(Logger log, UUID fileId, String partner, Long recordsTotal, long startNanos) {
        this.log = log;
        this.fileId = fileId;
        this.partner = partner;
        this.recordsTotal = recordsTotal;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    /** After a batch is stored: logs the counts so far when the last line is {@link #EVERY} old. */
    void stored(ReceivedFileStore.Counts counts, long nowNanos) {
        if (nowNanos - lastNanos < EVERY.toNanos()) {
            return;
        }
        lastNanos = nowNanos;
        double seconds = Math.max(0.001, (nowNanos - startNanos) / 1e9);
        log.info("file {} from {}: {} of {} records done ({} accepted, {} unchanged, {} rejected), {} per second",
                fileId, partner, counts.done(), recordsTotal == null ? "?" : recordsTotal, counts.accepted(),
                counts.unchanged(), counts.rejected(), Math.round(counts.done() / seconds));
    }
}
