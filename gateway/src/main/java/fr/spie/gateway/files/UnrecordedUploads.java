package fr.spie.gateway.files;

import fr.spie.gateway.store.StorageFailures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of uploads that were stored but whose row could not be recorded (the database failed: the upload was
 * refused, the partner sends the file again). No row names them, so nothing would ever read or delete them: they are
 * deleted as soon as the database says that no file has their id. While it cannot say (it is unavailable), their ids
 * are kept here, at most {@link #REMEMBERED}, and {@link #settle()} (every inbox scan) asks again, stopping at the
 * first failure so that an outage costs one failed query per scan. A row recorded after all (the commit succeeded,
 * then the answer was lost) keeps its bytes: the file is read as any other.
 */
final class UnrecordedUploads {
    private static final Logger log = LoggerFactory.getLogger(UnrecordedUploads.class);
    /** Ids kept while the database cannot be asked; beyond, the bytes stay and the log names the file. */
    static final int REMEMBERED = 10_000;

    private enum Outcome { SETTLED, RETRY, DATABASE_UNAVAILABLE }

    private final ReceivedFileStore store;
    private final FileStorage storage;
    private final Set<UUID> pending = ConcurrentHashMap.newKeySet();

    UnrecordedUploads(ReceivedFileStore store, FileStorage storage) {
        this.store = store;
        this.storage = storage;
    }

    /**
     * The upload {@code id} was stored, then recording it failed with {@code why}: its bytes go unless a row has its
     * id after all. The database is asked at once unless {@code why} says it is unavailable (the upload already
     * waited for it): then at the next {@link #settle()}.
     */
    void recordingFailed(UUID id, RuntimeException why) {
        if (!unavailable(why) && settle(id) == Outcome.SETTLED) {
            return;
        }
        if (pending.size() < REMEMBERED) {
            pending.add(id);
        } else {
            log.warn("file {}: its upload was refused (database unavailable) and its bytes could not be deleted; "
                    + "delete {} if no file {} is recorded", id, storage.path(id), id);
        }
    }

    /** Deletes the bytes of the waiting uploads that no row names; stops at the first database failure. */
    synchronized void settle() {
        for (Iterator<UUID> it = pending.iterator(); it.hasNext(); ) {
            Outcome outcome = settle(it.next());
            if (outcome == Outcome.SETTLED) {
                it.remove();
            } else if (outcome == Outcome.DATABASE_UNAVAILABLE) {
                return;
            }
        }
    }

    /** How many uploads wait for the database to say whether their bytes go. */
    int pending() {
        return pending.size();
    }

    /** Settled: recorded after all (bytes kept), or not recorded and its bytes deleted. */
    private Outcome settle(UUID id) {
        Optional<ReceivedFile> recorded;
        try {
            recorded = store.find(id);
        } catch (RuntimeException databaseDown) {
            return Outcome.DATABASE_UNAVAILABLE;
        }
        if (recorded.isPresent()) {
            return Outcome.SETTLED;
        }
        try {
            Files.deleteIfExists(storage.path(id));
            log.info("file {}: bytes of an upload that could not be recorded deleted", id);
            return Outcome.SETTLED;
        } catch (IOException e) {
            log.warn("file {}: bytes of an upload that could not be recorded not deleted, will try again: {}", id,
                    InboxWatcher.describe(e));
            return Outcome.RETRY;
        }
    }

    private static boolean unavailable(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<? extends Throwable> type : StorageFailures.TYPES) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}
