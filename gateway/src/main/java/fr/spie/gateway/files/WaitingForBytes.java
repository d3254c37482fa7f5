package fr.spie.gateway.files;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, once per file and instance, that an unfinished file waits for an instance that has its bytes: which file
 * store holds them and which instance used that store last, or that no running instance does (the store was not
 * used within a lease duration: the file cannot be read until an instance on that store runs again).
 */
final class WaitingForBytes {
    private static final Logger log = LoggerFactory.getLogger(WaitingForBytes.class);
    private static final int REMEMBERED = 10_000;

    private final Set<UUID> told = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    /** Logs the file's wait unless it was already told; true when it logged. */
    synchronized boolean notice(ReceivedFileStore.Elsewhere file, String instance, String hereStore, Path hereRoot) {
        if (!told.add(file.fileId())) {
            return false;
        }
        String where = "file store " + file.storeId() + " (received by instance " + file.storedBy() + ")";
        if (file.storeRunning()) {
            log.info("file {} from {} waits for an instance that has its bytes: they are in {}, used by instance {} "
                            + "({}); not in this instance's ({}, store {} at {}), which neither reads it nor counts an "
                            + "attempt", file.fileId(), file.partner(), where, file.storeUsedBy(),
                    file.storeLocation(), instance, hereStore, hereRoot);
        } else {
            log.warn("file {} from {}: no running instance has its bytes: they are in {}, {}. The file waits, unread "
                            + "and not quarantined, until an instance that uses that store runs again (this one, {}, "
                            + "uses store {} at {}); if that store is lost, an administrator quarantines the file (POST "
                            + "/api/v1/admin/files/{}/quarantine, docs/files.md, \"Several instances\") and the "
                            + "partner sends it again",
                    file.fileId(), file.partner(), where, file.storeSeenAt() == null ? "never seen running"
                            : "last used by instance " + file.storeUsedBy() + " (" + file.storeLocation() + ") at "
                            + file.storeSeenAt(), instance, hereStore, hereRoot, file.fileId());
        }
        return true;
    }
}
