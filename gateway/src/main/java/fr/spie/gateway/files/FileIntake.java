package fr.spie.gateway.files;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.config.FileChannel;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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

    public FileIntake(ReceivedFileStore store, RoutingConfigHolder config, IntakeService intake,
                      Pseudonymizer pseudonymizer, SpieProperties spie, FilesProperties properties) {
        this.store = store;
        this.config = config;
        this.properties = properties;
        this.storage = new FileStorage(spie.dataPath().resolve("files"), properties.maxSize().toBytes());
        this.processor = new FileProcessor(store, storage, intake, pseudonymizer, properties.validateFirst(),
                properties.batchSize());
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
        ReceivedFile file = store.insert(id, partnerId, name, stored.digest(), stored.size(), channel.format(),
                ReceivedFile.UPLOAD, Instant.now());
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
     */
    void registerClaimed(String partnerId, UUID id, String name, Path claimed) throws IOException {
        Optional<ReceivedFile> existing = store.find(id);
        ReceivedFile file;
        if (existing.isPresent()) {
            file = existing.get();
        } else {
            FileStorage.Stored stored = FileStorage.describe(id, claimed);
            Optional<String> nameProblem = FileNames.problem(name);
            FileChannel channel = config.current().partner(partnerId).map(Partner::files).orElse(null);
            file = store.insert(id, partnerId, nameProblem.isPresent() ? FileNames.printable(name) : name,
                    stored.digest(), stored.size(), channel == null ? "unknown" : channel.format(), ReceivedFile.INBOX,
                    Instant.now());
            if (file.status() == FileStatus.RECEIVED && nameProblem.isPresent()) {
                store.quarantine(id, "file name refused: " + nameProblem.get(), null, Instant.now());
            } else if (file.status() == FileStatus.RECEIVED && stored.size() > properties.maxSize().toBytes()) {
                store.quarantine(id, "the file exceeds the limit of " + properties.maxSize().toBytes() + " bytes",
                        null, Instant.now());
            }
            file = store.find(id).orElseThrow();
        }
        if (file.status() == FileStatus.DUPLICATE) {
            Files.deleteIfExists(claimed);
        } else if (Files.exists(claimed)) {
            FileStorage.move(claimed, storage.path(id));
        }
        log.info("file {} taken from the inbox of {} ({} bytes): {}", id, partnerId, file.size(), file.status());
        afterInsert(file);
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

    /** Queues the files left RECEIVED or PROCESSING (at start-up: by the previous run). */
    void sweep() {
        for (UUID id : store.unfinished(SWEEP_BATCH)) {
            schedule(id);
        }
    }

    private void run(UUID id) {
        ReceivedFile file = null;
        try {
            file = store.find(id).orElse(null);
            if (file == null || file.status().finished()) {
                return;
            }
            if (file.attempts() >= properties.maxAttempts()) {
                store.quarantine(id, "processing failed " + file.attempts() + " times; see the gateway log", null,
                        Instant.now());
                return;
            }
            processor.process(file, config.current().partner(file.partner()));
        } catch (Exception | LinkageError e) {
            log.error("file {} could not be processed (attempt {}), it will be retried", id,
                    file == null ? "?" : file.attempts() + 1, fr.spie.gateway.observability.LogSafeThrowable.of(e));
        } finally {
            inFlight.remove(id);
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
