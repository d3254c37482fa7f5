package fr.spie.gateway.files;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.cluster.InstanceId;
import fr.spie.gateway.config.FileChannel;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Receives files (uploads and inbox drops): stores each one with its digest and records it before anything else, then
 * processes it off the request thread on a bounded pool. Files that wait (pool full, gateway stopped) stay RECEIVED
 * or PROCESSING in the database and are picked up again by {@link #sweep()}: nothing is lost.
 * <p>
 * Instances that share the database share the files: an instance processes a file only if it has its bytes (they are
 * in its file store) and holds the file's lease ({@link FileLeases}); a file whose bytes are in another store waits for
 * an instance that uses it, with no attempt counted ({@link WaitingForBytes} says so once).
 */
@Service
public class FileIntake implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(FileIntake.class);
    private static final int SWEEP_BATCH = 200;

    private final ReceivedFileStore store;
    private final RoutingConfigHolder config;
    private final FileStorage storage;
    private final FileProcessor processor;
    private final FilesProperties properties;
    private final ThreadPoolExecutor executor;
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final FileLeases leases;
    private final WaitingForBytes waiting = new WaitingForBytes();
    private final UnrecordedUploads unrecorded;
    private final AbandonedUploadParts abandonedParts;
    /** This instance's file store, read (or created) at start-up: {@link FileStoreId#atStartup}. */
    private final String storeId;
    private volatile boolean storeRecorded;
    /** Set by the gateway's stop: a file whose reading ends now was stopped, it did not fail. */
    private volatile boolean stopping;

    public FileIntake(ReceivedFileStore store, RoutingConfigHolder config, IntakeService intake,
                      Pseudonymizer pseudonymizer, SpieProperties spie, FilesProperties properties,
                      InstanceId instance) {
        this.store = store;
        this.config = config;
        this.properties = properties;
        this.storage = new FileStorage(spie.dataPath().resolve("files"), properties.maxSize().toBytes());
        this.storeId = FileStoreId.atStartup(storage.root());
        this.unrecorded = new UnrecordedUploads(store, storage);
        this.abandonedParts = new AbandonedUploadParts(storage.root(), java.time.Clock.systemUTC());
        this.leases = new FileLeases(store, instance.value(), properties.leaseDuration(),
                properties.leaseRenewal());
        this.processor = new FileProcessor(store, storage, intake, pseudonymizer, properties.validateFirst(),
                properties.batchSize(), instance.value());
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(properties.workers(), properties.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, properties.queueCapacity())), r -> {
                    Thread t = new Thread(r, "spie-files-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    FileStorage storage() {
        return storage;
    }

    String instance() {
        return leases.instance();
    }

    /** Uploads refused because their row could not be recorded, whose bytes wait to be deleted (for tests). */
    int unrecordedUploads() {
        return unrecorded.pending();
    }

    /**
     * The id of this instance's file store (read at start-up); recorded in the database at its first use: from then
     * on the lease timer also records that this instance uses the store.
     */
    String storeId() {
        if (!storeRecorded) {
            synchronized (this) {
                if (!storeRecorded) {
                    String location = storage.root().toAbsolutePath().toString();
                    store.fileStoreSeen(storeId, instance(), location);
                    leases.onRenewal(() -> store.fileStoreSeen(storeId, instance(), location));
                    log.info("file store {} ({}) is used by this instance, {}", storeId, location, instance());
                    storeRecorded = true;
                }
            }
        }
        return storeId;
    }

    /** Where the bytes of a new file are, and its first lease. */
    private ReceivedFileStore.Origin origin() throws IOException {
        return new ReceivedFileStore.Origin(storeId(), instance(), properties.leaseDuration());
    }

    /** What is known of the file store that holds a file's bytes (an administrator's report shows it). */
    public Optional<ReceivedFileStore.Elsewhere> fileStore(String storeId) {
        return storeId == null ? Optional.empty() : store.fileStore(storeId, properties.leaseDuration());
    }
    /** The file channel of a partner, or a 400 problem when it has none. */
    public FileChannel channelOf(String partnerId) {
        return config.current().partner(partnerId).map(Partner::files)
                .orElseThrow(() -> new IntakeRejection(400, "no-file-channel", "No file channel",
                        "partner '" + partnerId + "' has no 'files' block in partners.yaml: its files cannot be read"));
    }

    /**
     * Stores an uploaded file, records it and queues its processing.
     *
     * @throws IntakeRejection 413 when it exceeds the limit (nothing is kept), 400 when the partner has no file channel
     */
    public ReceivedFile upload(String partnerId, String name, InputStream in) throws IOException {
        FileChannel channel = channelOf(partnerId);
        UUID id = UUID.randomUUID();
        FileStorage.Stored stored;
        try {
            stored = storage.store(id, in);
        } catch (FileStorage.TooLargeException e) {
            throw new IntakeRejection(413, "file-too-large", "File too large", e.getMessage());
        } catch (FileStorage.InputFailedException e) {
            log.info("upload {} from {}: the request body could not be read to its end ({}): nothing kept", id,
                    partnerId, fr.spie.gateway.IoErrorText.reason((IOException) e.getCause()));
            throw new IntakeRejection(400, "upload-interrupted", "Upload interrupted",
                    "the request body could not be read to its end: nothing was kept, send the file again");
        } catch (FileStorage.StoreUnavailableException e) {
            log.error("upload {} from {} refused: {} ({}; {} bytes usable): files cannot be received until it can",
                    id, partnerId, e.getMessage(), storage.root(), usableSpace());
            throw new IntakeRejection(503, "file-store-unavailable", "File store unavailable",
                    "the gateway cannot store files at the moment: nothing was kept, send the file again later");
        }
        ReceivedFile file;
        try {
            file = store.insert(id, partnerId, name, stored.digest(), stored.size(), channel.format(),
                    ReceivedFile.UPLOAD, Instant.now(), origin());
        } catch (RuntimeException e) {
            // refused (the database failed): the partner sends the file again, these bytes must not stay behind
            unrecorded.recordingFailed(id, e);
            throw e;
        }
        afterInsert(file);
        return file;
    }

    /** Usable bytes on the file store's disk, or -1 when even that cannot be known. */
    private long usableSpace() {
        try {
            Path existing = storage.root();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing == null ? -1 : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Records a file taken from the inbox and already moved (atomically) to {@code claimed}, then moves it into the
     * store. Called again for the same id after a crash between the two steps: the second call finishes the move.
     * Instances that share {@code <data-dir>/files} all recover its {@code .incoming} folder, so two may record the
     * same file at once: the one that finds it recorded (or moved) by the other leaves it to the other, silently.
     */
    void registerClaimed(String partnerId, UUID id, String name, Path claimed) throws IOException {
        ReceivedFile file = store.find(id).orElse(null);
        if (file == null) {
            file = record(partnerId, id, name, claimed);
            if (file == null) {
                log.debug("file {} taken from the inbox of {}: recorded by another instance", id, partnerId);
                return;
            }
        }
        try {
            if (file.status() == FileStatus.DUPLICATE) {
                Files.delete(claimed);
            } else {
                FileStorage.move(claimed, storage.path(id));
            }
        } catch (NoSuchFileException gone) {
            log.debug("file {} taken from the inbox of {}: moved into the store by another instance", id, partnerId);
            return;
        }
        log.info("file {} taken from the inbox of {} ({} bytes): {}", id, partnerId, file.size(), file.status());
        afterInsert(file);
    }

    /** Records a claimed file (quarantined at once for a bad name or size); null when another instance did. */
    private ReceivedFile record(String partnerId, UUID id, String name, Path claimed) throws IOException {
        FileStorage.Stored stored;
        try {
            stored = FileStorage.describe(id, claimed);
        } catch (NoSuchFileException gone) {
            if (store.find(id).isPresent()) {
                return null; // recorded, then moved into the store, by another instance
            }
            throw gone;
        }
        Optional<String> nameProblem = FileNames.problem(name);
        FileChannel channel = config.current().partner(partnerId).map(Partner::files).orElse(null);
        ReceivedFile file;
        try {
            file = store.insert(id, partnerId, nameProblem.isPresent() ? FileNames.printable(name) : name,
                    stored.digest(), stored.size(), channel == null ? "unknown" : channel.format(), ReceivedFile.INBOX,
                    Instant.now(), origin());
        } catch (ReceivedFileStore.AlreadyRecordedException other) {
            return null;
        }
        if (file.status() == FileStatus.RECEIVED && nameProblem.isPresent()) {
            store.quarantine(id, "file name refused: " + nameProblem.get(), null, Instant.now());
        } else if (file.status() == FileStatus.RECEIVED && stored.size() > properties.maxSize().toBytes()) {
            store.quarantine(id, "the file exceeds the limit of " + properties.maxSize().toBytes() + " bytes",
                    null, Instant.now());
        }
        return store.find(id).orElseThrow();
    }

    private void afterInsert(ReceivedFile file) throws IOException {
        if (file.status() == FileStatus.DUPLICATE) {
            // the same bytes are kept under the first file's id
            Files.deleteIfExists(storage.path(file.fileId()));
            log.info("file {} from {} is a duplicate of {}: not processed", file.fileId(), file.partner(),
                    file.duplicateOf());
        } else if (file.status() == FileStatus.RECEIVED) {
            schedule(file.fileId());
        }
    }

    public Optional<ReceivedFile> find(UUID id) {
        return store.find(id);
    }

    public java.util.List<ReceivedFileStore.Rejection> rejections(UUID id, int limit) {
        return store.rejections(id, limit);
    }

    /** Queues the processing of a file unless it is already queued or running; a full pool leaves it for later. */
    void schedule(UUID id) {
        if (!inFlight.add(id)) {
            return;
        }
        try {
            executor.execute(() -> run(id));
        } catch (RejectedExecutionException full) {
            inFlight.remove(id);
            log.debug("file {} waits: the file workers are busy", id);
        }
    }

    /**
     * Queues the files left RECEIVED or PROCESSING (at start-up: by the previous run) that this instance may take:
     * those of its file store that no other instance holds a lease on; and says once of each file whose bytes are in
     * another store that it waits for an instance that has them. First deletes the bytes of uploads refused because
     * the database could not record them ({@link UnrecordedUploads}), once it answers again, and (hourly) the
     * temporary files of writes a stop cut short ({@link AbandonedUploadParts}).
     */
    void sweep() throws IOException {
        unrecorded.settle();
        abandonedParts.deleteIfDue();
        String here = storeId();
        for (UUID id : store.unfinished(here, instance(), SWEEP_BATCH)) {
            schedule(id);
        }
        for (ReceivedFileStore.Elsewhere file : store.unfinishedElsewhere(here, properties.leaseDuration(),
                SWEEP_BATCH)) {
            if (Files.isRegularFile(storage.path(file.fileId()))) {
                schedule(file.fileId()); // its bytes were put here after all
            } else {
                waiting.notice(file, instance(), here, storage.root());
            }
        }
    }

    /** Whether the file's bytes are in another file store, which this instance does not have. */
    private boolean bytesElsewhere(ReceivedFile file) throws IOException {
        return file.storeId() != null && !file.storeId().equals(storeId())
                && !Files.isRegularFile(storage.path(file.fileId()));
    }

    private void run(UUID id) {
        ReceivedFile file = null;
        boolean claimed = false;
        try {
            file = store.find(id).orElse(null);
            if (file == null || file.status().finished()) {
                return;
            }
            if (bytesElsewhere(file)) {
                // not this instance's to read: no lease taken, no attempt counted
                ReceivedFile f = file;
                store.fileStore(f.storeId(), properties.leaseDuration()).ifPresentOrElse(
                        s -> waiting.notice(new ReceivedFileStore.Elsewhere(id, f.partner(), f.storeId(), f.storedBy(),
                                s.storeUsedBy(), s.storeLocation(), s.storeSeenAt(), s.storeRunning()), instance(),
                                storeId, storage.root()),
                        () -> waiting.notice(new ReceivedFileStore.Elsewhere(id, f.partner(), f.storeId(), f.storedBy(),
                                null, null, null, false), instance(), storeId, storage.root()));
                return;
            }
            claimed = leases.claim(id);
            if (!claimed) {
                log.debug("file {}: another instance holds its lease", id);
                return;
            }
            file = store.find(id).orElse(null); // as the lease holder sees it: attempts of the one before
            if (file == null || file.status().finished()) {
                return;
            }
            if (file.attempts() >= properties.maxAttempts()) {
                store.quarantine(id, instance(), "processing failed " + file.attempts() + " times; see the gateway log",
                        null, Instant.now());
                return;
            }
            processor.process(file, config.current().partner(file.partner()));
        } catch (ReceivedFileStore.FingerprintConflict e) {
            // not a failure of this file: read again at the next sweep, when the other file's records are unchanged
            readAgain(id, file);
        } catch (ReceivedFileStore.LeaseLostException e) {
            log.warn("file {}: this instance ({}) lost its lease, {}; this one stopped reading it", id, instance(),
                    leases.whyLost(id));
        } catch (FileProcessor.ReadingStopped e) {
            stoppedBeforeTheEnd(id, file);
        } catch (Exception | LinkageError e) {
            if (stopping) {
                stoppedBeforeTheEnd(id, file);
            } else {
                log.error("file {} could not be processed (attempt {}), it will be retried", id,
                        file == null ? "?" : file.attempts() + 1,
                        fr.spie.gateway.observability.LogSafeThrowable.of(e));
            }
        } finally {
            if (claimed) {
                releaseQuietly(id);
            }
            inFlight.remove(id);
        }
    }

    /**
     * Another file of the partner, read at the same time, accepted a new version of some of this file's records
     * first ({@link ReceivedFileStore.FingerprintConflict}): the batch was rolled back. Not a failed attempt either:
     * the file is read again from its beginning at the next sweep (its lease is given back by the caller).
     */
    private void readAgain(UUID id, ReceivedFile before) {
        try {
            if (before != null) {
                store.attemptNotCounted(id, instance(), before.attempts());
            }
        } catch (RuntimeException e) {
            log.warn("file {}: its attempt could not be uncounted ({})", id, e.getClass().getSimpleName());
        }
        log.info("file {}: another file of its partner changed some of the same records while it was read; it is read "
                + "again from the beginning, no attempt counted", id);
    }

    /**
     * The gateway stopped while this instance read the file: not a failed attempt (a large file caught by a few
     * restarts would otherwise be quarantined unread). Its attempt count goes back to what it was; its lease is given
     * back by the caller; the next start, or another instance with its bytes, reads it again from the beginning (what
     * was already accepted is recognised as unchanged, not sent twice).
     */
    private void stoppedBeforeTheEnd(UUID id, ReceivedFile before) {
        boolean interrupted = Thread.interrupted(); // the stop's interrupt: the database call below must not see it
        try {
            if (before != null) {
                store.attemptNotCounted(id, instance(), before.attempts());
            }
            log.info("file {}: stopped with the gateway before its end, no attempt counted; it is read again from "
                    + "the beginning at the next start", id);
        } catch (RuntimeException e) {
            log.warn("file {}: stopped with the gateway before its end; its attempt could not be uncounted ({})", id,
                    e.getClass().getSimpleName());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void releaseQuietly(UUID id) {
        try {
            leases.release(id);
        } catch (RuntimeException e) {
            log.warn("file {}: its lease could not be given back, it expires within {}", id,
                    properties.leaseDuration());
        }
    }

    /** Clean stop: the workers are stopped, then the leases still held are given back. */
    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } finally {
            leases.close();
        }
    }
}
