package fr.spie.gateway.files;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of uploads that were stored but whose row could not be recorded (the database failed: the upload was
 * refused, the partner sends the file again). No row names them, so nothing would ever read or delete them: they are
 * deleted as soon as the database says that no file has their id. While it cannot say (it is still down), their ids
 * are kept here, at most {@link #REMEMBERED}, and {@link #settle()} (every inbox scan) tries again. A row recorded
 * after all (the commit succeeded, then the answer was lost) keeps its bytes: the file is read as any other.
 */
final class UnrecordedUploads {
    private static final Logger log = LoggerFactory.getLogger(UnrecordedUploads.class);
    /** Ids kept while the database cannot be asked; beyond, the bytes stay and the log names the file. */
    static final int REMEMBERED = 10_000;

    private final ReceivedFileStore store;
    private final FileStorage storage;
    private final Set<UUID> pending = new LinkedHashSet<>();

    UnrecordedUploads(ReceivedFileStore store, FileStorage storage) {
        this.store = store;
        this.storage = storage;
    }

    /** The upload {@code id} was stored, then its recording failed: its bytes go unless a row has its id after all. */
    synchronized void recordingFailed(UUID id) {
        if (settled(id)) {
            return;
        }
        if (pending.size() < REMEMBERED) {
            pending.add(id);
        } else {
            log.warn("file {}: its upload was refused (database unavailable) and its bytes could not be deleted; "
                    + "delete {} if no file {} is recorded", id, storage.path(id), id);
        }
    }

    /** Deletes the bytes of the waiting uploads that no row names; keeps the others waiting. */
    synchronized void settle() {
        for (Iterator<UUID> it = pending.iterator(); it.hasNext(); ) {
            if (settled(it.next())) {
                it.remove();
            }
        }
    }

    /** How many uploads wait for the database to say whether their bytes go. */
    synchronized int pending() {
        return pending.size();
    }

    /** True when the upload is settled: recorded after all (bytes kept), or not recorded and its bytes deleted. */
    private boolean settled(UUID id) {
        Optional<ReceivedFile> recorded;
        try {
            recorded = store.find(id);
        } catch (RuntimeException databaseDown) {
            return false;
        }
        if (recorded.isPresent()) {
            return true;
        }
        try {
            Files.deleteIfExists(storage.path(id));
            log.info("file {}: bytes of an upload that could not be recorded deleted", id);
            return true;
        } catch (IOException e) {
            log.warn("file {}: bytes of an upload that could not be recorded not deleted, will try again: {}", id,
                    InboxWatcher.describe(e));
            return false;
        }
    }
}
