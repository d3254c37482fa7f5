package fr.spie.gateway.files;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.transaction.CannotCreateTransactionException;

/** A database that refuses every write; reads fail while it is down, then find what was committed. */
final class DatabaseDownStore extends ReceivedFileStore {
    volatile boolean down = true;
    /** Ids whose insert committed although the caller was told it failed (the answer was lost). */
    final Set<UUID> committedAnyway = ConcurrentHashMap.newKeySet();
    volatile boolean commitNext;
    /** What an insert throws. */
    volatile RuntimeException insertFailure = new CannotCreateTransactionException("database unavailable");
    /** Lookups of a file by id. */
    final AtomicInteger finds = new AtomicInteger();

    DatabaseDownStore() {
        super(null, null, null);
    }

    private void refuseWhileDown() {
        if (down) {
            throw new CannotCreateTransactionException("database unavailable");
        }
    }

    @Override
    public ReceivedFile insert(UUID fileId, String partner, String name, String digest, long size, String format,
                               String channel, Instant receivedAt, Origin origin) {
        if (commitNext) {
            committedAnyway.add(fileId);
        }
        throw insertFailure;
    }

    @Override
    public void fileStoreSeen(String storeId, String instance, String location) {
        refuseWhileDown();
    }

    @Override
    public Optional<ReceivedFile> find(UUID fileId) {
        finds.incrementAndGet();
        refuseWhileDown();
        return committedAnyway.contains(fileId) ? Optional.of(new ReceivedFile(fileId, "caf-51", "kept.xml",
                "d", 1, "cnaf-vrsb0801", ReceivedFile.UPLOAD, FileStatus.RECEIVED, null, null, 0, 0, 0, 0, 0,
                Instant.now(), null, null, null, null, null, null, null, null, null, null, null))
                : Optional.empty();
    }

    @Override
    public List<UUID> unfinished(String storeId, String instance, int limit) {
        refuseWhileDown();
        return List.of();
    }

    @Override
    public List<Elsewhere> unfinishedElsewhere(String storeId, Duration lease, int limit) {
        refuseWhileDown();
        return List.of();
    }
}
