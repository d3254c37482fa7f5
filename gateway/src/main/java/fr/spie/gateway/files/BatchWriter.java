package fr.spie.gateway.files;

import fr.spie.connector.RecordRejection;
import fr.spie.connector.SpieRecord;
import fr.spie.gateway.intake.IntakeService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The storing side, on a thread of its own, one batch at a time in file order: change detection (one query per
 * batch, after the previous batch's fingerprints are saved), then one transaction — one commit — for the changed
 * records (the intake's rows), the fingerprints of the accepted ones and the file's counts and rejections. At
 * most {@value #BATCHES_IN_FLIGHT} batches wait, so memory does not depend on the file's size. The first failure
 * stops it: the reading side gets it at its next hand-off (or at {@link #finish()}) and the file is retried, as when
 * everything ran on one thread.
 */
final class BatchWriter implements AutoCloseable {
    // the file processor's logger, as before this class was split out of it
    private static final Logger log = LoggerFactory.getLogger(FileProcessor.class);
    static final int BATCHES_IN_FLIGHT = 2;

    private final ReceivedFileStore store;
    private final IntakeService intake;
    private final ReceivedFile file;
    private final ExecutorService thread;
    private final Semaphore slots = new Semaphore(BATCHES_IN_FLIGHT);
    private volatile Throwable failure;
    private volatile boolean aborted;
    private int rejectionSeq;
    volatile long accepted;
    volatile long unchanged;
    volatile long rejected;

    /**
     * One entry of a batch, in file order: a record mapped and checked by the intake (validated and routed, nothing
     * stored yet), or a native record the connector rejected.
     */
    record Entry(SpieRecord record, IntakeService.CheckedItem checked, ObjectNode envelope, String keyHash,
                 String contentDigest, UUID exchangeId, RecordRejection rejection) {
    }

    private final ProgressLog progressLog;

    private final String holder;

    /**
     * @param holder       the instance holding the file's lease: a batch it stores after losing it is rolled back
     * @param recordsTotal the file's records as the validation pass counted them (null: not known)
     */
    BatchWriter(ReceivedFileStore store, IntakeService intake, ReceivedFile file, String holder, Long recordsTotal) {
        this.store = store;
        this.holder = holder;
        this.intake = intake;
        this.file = file;
        this.progressLog = new ProgressLog(log, file.fileId(), file.partner(), recordsTotal, System.nanoTime());
        String name = Thread.currentThread().getName() + "-store";
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a batch; throws the writer's failure if it already failed. */
    void write(List<Entry> entries) {
        rethrowFailure();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the file's records were being stored", e);
        }
        thread.execute(() -> {
            try {
                if (failure == null && !aborted) {
                    store(entries);
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                slots.release();
            }
        });
    }

    /** Waits until every queued batch is stored; throws the writer's failure if any. */
    void finish() {
        thread.shutdown();
        try {
            while (!thread.awaitTermination(1, TimeUnit.SECONDS)) {
                log.debug("file {}: waiting for the last batches to be stored", file.fileId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the file's records were being stored", e);
        }
        rethrowFailure();
    }

    private void rethrowFailure() {
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        } else if (t instanceof Error e) {
            throw e;
        } else if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Stops the writer: batches not yet started are dropped, the one being stored is let finish (never
     * interrupted: an interrupt inside the database driver could close its file).
     */
    @Override
    public void close() {
        aborted = true;
        thread.shutdown();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!thread.isTerminated() && System.nanoTime() < deadline) {
            try {
                thread.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void store(List<Entry> entries) {
        List<ReceivedFileStore.ChangeKey> keys = new ArrayList<>();
        for (Entry e : entries) {
            if (e.keyHash() != null) {
                keys.add(new ReceivedFileStore.ChangeKey(e.keyHash(), e.record().recordType()));
            }
        }
        Map<ReceivedFileStore.ChangeKey, String> fingerprints = store.fingerprints(file.partner(), keys);
        // what is known of each key so far, this batch's earlier records included: a record repeated within the
        // batch (the same dossier twice in a file) is unchanged like one repeated from an earlier batch
        Map<ReceivedFileStore.ChangeKey, String> known = new java.util.HashMap<>(fingerprints);
        boolean[] same = new boolean[entries.size()];
        List<IntakeService.CheckedItem> changed = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.record() == null) {
                continue;
            }
            ReceivedFileStore.ChangeKey key = e.keyHash() == null ? null
                    : new ReceivedFileStore.ChangeKey(e.keyHash(), e.record().recordType());
            same[i] = key != null && e.contentDigest().equals(known.get(key));
            if (!same[i]) {
                changed.add(e.checked());
                if (key != null) {
                    known.put(key, e.contentDigest());
                }
            }
        }
        // the batch's fingerprints and the file's counts are written in the batch's own transaction: one commit
        BatchResult[] result = new BatchResult[1];
        IntakeService.AlongsideBatch alongside = outcomes -> {
            result[0] = result(entries, same, outcomes, fingerprints);
            store.writeFingerprints(result[0].fingerprints());
            store.progress(file.fileId(), holder, result[0].counts(), result[0].rejections(), Instant.now());
        };
        if (changed.isEmpty()) {
            store.inTransaction(() -> alongside.write(List.of()));
        } else {
            intake.storeChecked(file.partner(), changed, alongside);
        }
        accepted = result[0].counts().accepted();
        unchanged = result[0].counts().unchanged();
        rejected = result[0].counts().rejected();
        rejectionSeq += result[0].rejections().size();
        progressLog.stored(result[0].counts(), System.nanoTime());
    }

    /** What a batch adds to the file, given the intake's outcomes of its changed records (in order). */
    private record BatchResult(ReceivedFileStore.Counts counts, List<ReceivedFileStore.Fingerprint> fingerprints,
                               List<ReceivedFileStore.Rejection> rejections) {
    }

    /** Computes a batch's result from the counts so far; changes nothing (it may be computed twice). */
    private BatchResult result(List<Entry> entries, boolean[] same, List<IntakeService.BatchOutcome> outcomes,
                               Map<ReceivedFileStore.ChangeKey, String> fingerprints) {
        long acceptedNow = accepted;
        long unchangedNow = unchanged;
        long rejectedNow = rejected;
        // one fingerprint per key: the last record of the batch accepted under it
        Map<ReceivedFileStore.ChangeKey, ReceivedFileStore.Fingerprint> saved = new java.util.LinkedHashMap<>();
        List<ReceivedFileStore.Rejection> rejections = new ArrayList<>();
        Instant now = Instant.now();
        int k = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.record() == null) {
                rejectedNow++;
                addRejection(rejections, e.rejection().location(), e.rejection().reason());
            } else if (same[i]) {
                unchangedNow++;
            } else {
                IntakeService.BatchOutcome outcome = outcomes.get(k++);
                if (outcome.isAccepted()) {
                    acceptedNow++;
                    if (e.keyHash() != null) {
                        ReceivedFileStore.ChangeKey key = new ReceivedFileStore.ChangeKey(e.keyHash(),
                                e.record().recordType());
                        saved.put(key, new ReceivedFileStore.Fingerprint(file.partner(), e.keyHash(),
                                e.record().recordType(), e.contentDigest(), e.exchangeId(), now,
                                fingerprints.get(key)));
                    }
                } else {
                    rejectedNow++;
                    addRejection(rejections, e.record().location(), e.record().recordType() + ": "
                            + RejectionReasons.reason(outcome.rejection(), e.envelope()));
                }
            }
        }
        return new BatchResult(new ReceivedFileStore.Counts(acceptedNow + unchangedNow + rejectedNow, acceptedNow,
                unchangedNow, rejectedNow), List.copyOf(saved.values()), rejections);
    }

    private void addRejection(List<ReceivedFileStore.Rejection> rejections, String location, String reason) {
        int seq = rejectionSeq + rejections.size();
        if (seq < ReceivedFileStore.MAX_REJECTIONS_KEPT) {
            rejections.add(new ReceivedFileStore.Rejection(seq, location == null ? "" : location,
                    reason == null ? "" : reason));
        }
    }
}
