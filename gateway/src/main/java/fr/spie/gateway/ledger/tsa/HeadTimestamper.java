package fr.spie.gateway.ledger.tsa;

import fr.spie.gateway.ledger.SignedTreeHead;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timestamps signed tree heads in the background, on its own thread (never on a request path nor in the ledger
 * writer): every {@code interval} it asks the TSA for a token for every head that has none, oldest first, and stores
 * it. When the TSA fails, the heads stay in the backlog and it retries after a back-off that doubles from
 * {@code minBackoff} to {@code maxBackoff}; when the TSA returns it catches up. Nothing else waits for it.
 */
public final class HeadTimestamper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeadTimestamper.class);

    /**
     * @param interval   pause between rounds when the TSA is fine
     * @param minBackoff first pause after a failure
     * @param maxBackoff longest pause after repeated failures
     * @param batch      heads read per query
     */
    public record Settings(Duration interval, Duration minBackoff, Duration maxBackoff, int batch) {
        public Settings {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(minBackoff, "minBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be >= 1");
            }
        }

        public static Settings every(Duration interval) {
            return new Settings(interval, Duration.ofSeconds(5), Duration.ofMinutes(5), 100);
        }
    }

    /**
     * @param running     the thread is scheduled
     * @param up          the last attempt succeeded (or none failed yet)
     * @param lastSuccess time of the last token obtained, or null
     * @param lastError   message of the last failure, or null
     * @param lastErrorAt time of the last failure, or null
     * @param failures    failed rounds since start
     * @param timestamped tokens obtained since start
     */
    public record Status(boolean running, boolean up, Instant lastSuccess, String lastError, Instant lastErrorAt,
                         long failures, long timestamped) {
    }

    private final TimestampDb db;
    private final Tsa tsa;
    private final Settings settings;
    private final Clock clock;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong timestamped = new AtomicLong();
    private volatile ScheduledExecutorService executor;
    private volatile boolean up = true;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private Duration backoff;

    public HeadTimestamper(TimestampDb db, Tsa tsa, Settings settings, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.tsa = Objects.requireNonNull(tsa, "tsa");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = settings.minBackoff();
    }

    /** Starts the background thread (first round at once). */
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spie-ledger-tsa");
            t.setDaemon(true);
            return t;
        });
        executor.schedule(this::round, 0, TimeUnit.MILLISECONDS);
    }

    private void round() {
        Duration next;
        try {
            runOnce();
            backoff = settings.minBackoff();
            next = settings.interval();
        } catch (Exception e) {
            if (executor == null || executor.isShutdown()) {
                return; // closing: the interrupted round is not a TSA failure worth a warning
            }
            next = backoff;
            backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                    : backoff.multipliedBy(2);
            log.warn("Tree head timestamping failed (retry in {}; heads wait in the backlog): {}", next,
                    e.getMessage());
        }
        ScheduledExecutorService ex = executor;
        if (ex != null && !ex.isShutdown()) {
            try {
                ex.schedule(this::round, next.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // closing
            }
        }
    }

    /**
     * One round, on the caller's thread: timestamps every head without token, oldest first, until none is left.
     *
     * @return the number of heads timestamped
     * @throws Exception the first failure (TSA or database); the heads not done stay in the backlog
     */
    public int runOnce() throws Exception {
        int done = 0;
        try {
            while (true) {
                List<SignedTreeHead> heads = db.untimestamped(settings.batch());
                if (heads.isEmpty()) {
                    up = true;
                    return done;
                }
                for (SignedTreeHead h : heads) {
                    TimestampToken token = tsa.timestamp(h.treeHead());
                    db.insert(h.treeSize(), token);
                    done++;
                    timestamped.incrementAndGet();
                    lastSuccess = clock.instant();
                    up = true;
                }
                if (Thread.currentThread().isInterrupted()) {
                    return done;
                }
            }
        } catch (Exception e) {
            failures.incrementAndGet();
            up = false;
            lastError = e.getMessage();
            lastErrorAt = clock.instant();
            throw e;
        }
    }

    public Status status() {
        ScheduledExecutorService ex = executor;
        return new Status(ex != null && !ex.isShutdown(), up, lastSuccess, lastError, lastErrorAt, failures.get(),
                timestamped.get());
    }

    /** Failed rounds since start. */
    public long failures() {
        return failures.get();
    }

    /** Heads without a timestamp (a database query). */
    public long backlog() {
        return db.backlog();
    }

    /** Stops the thread, waiting for a round in progress (bounded by the TSA timeout). */
    @Override
    public synchronized void close() {
        ScheduledExecutorService ex = executor;
        if (ex == null) {
            return;
        }
        ex.shutdownNow();
        try {
            ex.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;   // start() may run it again (a gateway instance that leads again)
    }
}
