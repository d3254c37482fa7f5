package fr.spie.gateway.cli;

import fr.spie.gateway.ledger.export.ExportVerifier;
import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * What {@code audit verify} prints (to standard error, so that standard output keeps only the verdict) while it reads
 * a long full export: how many entries it has read and hashed and at what rate, at most once per interval.
 */
final class VerifyProgress implements ExportVerifier.Progress {
    private final PrintWriter err;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final long start;
    private long lastPrinted;

    VerifyProgress(PrintWriter err, long intervalNanos, LongSupplier nanoTime) {
        this.err = err;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
        this.lastPrinted = start;
    }

    /** Every 5 seconds at most. */
    static VerifyProgress every5Seconds(PrintWriter err) {
        return new VerifyProgress(err, 5_000_000_000L, System::nanoTime);
    }

    @Override
    public void entriesRead(long entries) {
        long now = nanoTime.getAsLong();
        if (now - lastPrinted < intervalNanos) {
            return;
        }
        lastPrinted = now;
        double seconds = (now - start) / 1e9;
        err.printf("... %,d entries read and hashed in %.0f s (%,.0f entries/s)%n", entries, seconds,
                entries / seconds);
        err.flush();
    }
}
