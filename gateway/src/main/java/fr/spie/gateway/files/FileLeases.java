package fr.spie.gateway.files;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's leases on the files it processes: one claim per file (a conditional UPDATE, see
 * {@link ReceivedFileStore#claim}), renewed on a timer every {@code renewal} while the file is read (not per record or
 * batch), released when the file is finished or when the instance stops. The same timer records that this instance
 * uses its file store ({@code file_store.seen_at}), so that a file waiting for its bytes says whether an instance
 * that has them is running. A lease another instance took over (this one did not renew it in time: a long pause,
 * the database out of reach) is dropped here; the writes this instance still tries for that file are refused
 * ({@link ReceivedFileStore.LeaseLostException}).
 */
final class FileLeases implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileLeases.class);

    private final ReceivedFileStore store;
    private final String instance;
    private final Duration duration;
    private final Duration renewal;
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private volatile StoreSeen storeSeen;

    /** What the timer records about this instance's file store, once it is known. */
    @FunctionalInterface
    interface StoreSeen {
        void record();
    }

    FileLeases(ReceivedFileStore store, String instance, Duration duration, Duration renewal) {
        this.store = store;
        this.instance = instance;
        this.duration = duration;
        this.renewal = renewal;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spie-files-lease");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::renewAll, renewal.toMillis(), renewal.toMillis(), TimeUnit.MILLISECONDS);
    }

    String instance() {
        return instance;
    }

    Duration duration() {
        return duration;
    }

    void onRenewal(StoreSeen seen) {
        this.storeSeen = seen;
    }

    /** Takes the file's lease if it is free, expired or this instance's; then renews it until {@link #release}. */
    boolean claim(UUID fileId) {
        if (!store.claim(fileId, instance, duration)) {
            return false;
        }
        held.add(fileId);
        return true;
    }

    /** Stops renewing and gives the lease back, if this instance still holds it (a finished file's is gone already). */
    void release(UUID fileId) {
        held.remove(fileId);
        store.release(fileId, instance);
    }

    /**
     * Why this instance no longer holds a file's lease, for its log line: the file was quarantined meanwhile (only an
     * administrator does that to a file whose lease its holder let expire) or another instance took it over.
     */
    String whyLost(UUID fileId) {
        try {
            return store.find(fileId).filter(f -> f.status() == FileStatus.QUARANTINED)
                    .map(f -> "the file was quarantined meanwhile by an administrator (FILE_QUARANTINED in the audit "
                            + "trail)")
                    .orElse("another instance took it over and continues the file");
        } catch (RuntimeException e) {
            return "another instance took it over, or the file was quarantined meanwhile";
        }
    }

    /**
     * Whether a lease the renewal no longer found was cleared because the file is finished (DONE, or quarantined
     * other than by an administrator): the holder's own end clears its lease a moment before the holder stops
     * renewing it, which is no takeover. If another instance took the file over and finished it, this instance's next
     * write to it is refused and says so ({@link ReceivedFileStore.LeaseLostException}).
     */
    private boolean justFinished(UUID fileId) {
        try {
            return store.find(fileId).filter(f -> f.status().finished())
                    .filter(f -> !ReceivedFileStore.QUARANTINED_BY_ADMIN.equals(f.quarantineReason()))
                    .isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    boolean holds(UUID fileId) {
        return held.contains(fileId);
    }

    /** One renewal round: every held lease (one short UPDATE each), then the file store's heartbeat. */
    void renewAll() {
        for (UUID id : held) {
            try {
                if (!store.renew(id, instance, duration) && held.remove(id) && !justFinished(id)) {
                    log.warn("file {}: this instance ({}) lost its lease on it, {}; this instance stops writing to "
                            + "it", id, instance, whyLost(id));
                }
            } catch (RuntimeException e) {
                log.warn("file {}: the lease could not be renewed, will try again in {} (it lasts {}): {}", id,
                        renewal, duration, e.getClass().getSimpleName());
            }
        }
        StoreSeen seen = storeSeen;
        if (seen != null) {
            try {
                seen.record();
            } catch (RuntimeException e) {
                log.debug("the file store's heartbeat could not be written: {}", e.getClass().getSimpleName());
            }
        }
    }

    /** Clean stop: no more renewals, and the leases still held are given back for another instance to resume. */
    @Override
    public void close() {
        timer.shutdownNow();
        for (UUID id : held) {
            try {
                release(id);
                log.info("file {}: lease given back at stop; another instance with its bytes resumes it", id);
            } catch (RuntimeException e) {
                log.warn("file {}: the lease could not be given back at stop, it expires within {}", id, duration);
            }
        }
    }
}
