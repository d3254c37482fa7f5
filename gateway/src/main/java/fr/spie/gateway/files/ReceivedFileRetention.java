package fr.spie.gateway.files;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Deletes the bytes of the received files that are finished (DONE or QUARANTINED) once {@code spie.retention.files}
 * has passed since: they are the partner's records as sent, personal data in clear, and nothing reads them any
 * more (the records are stored as exchanges, whose envelope copies have a retention of their own; a file sent again
 * is recognised by its digest, which stays). The file's row, report and audit events stay; each deletion is audited
 * FILE_BYTES_DELETED. Every instance deletes the bytes of its own file store (instances sharing a store record each
 * deletion once). Also deletes the files of the store no row names ({@link UnnamedStoredFiles}). Run by the retention
 * job; {@code 0s} keeps them for ever.
 */
@Component
public class ReceivedFileRetention {
    private static final Logger log = LoggerFactory.getLogger(ReceivedFileRetention.class);
    private static final int BATCH = 500;

    private final ReceivedFileStore store;
    private final FileIntake intake;
    private final Duration retention;

    public ReceivedFileRetention(ReceivedFileStore store, FileIntake intake,
                                 @Value("${spie.retention.files:P90D}") Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("spie.retention.files must not be negative (0s: kept for ever), got "
                    + retention);
        }
        this.store = store;
        this.intake = intake;
        this.retention = retention;
    }

    /** Deletes the bytes of this instance's finished files whose retention is over at {@code now}; returns how many. */
    public int purge(Instant now) {
        if (retention.isZero()) {
            return 0;
        }
        String storeId = intake.storeId();
        int deleted = 0;
        List<UUID> due;
        int failed = 0;
        do {
            due = store.finishedWithBytes(storeId, now.minus(retention), BATCH);
            for (UUID fileId : due) {
                try {
                    // the bytes first: a stop before the record deletes nothing twice, and the next run records it
                    Files.deleteIfExists(intake.storage().path(fileId));
                } catch (IOException e) {
                    // the others of the batch are still deleted; this one is tried again at the next run
                    failed++;
                    log.warn("file retention: the bytes of file {} could not be deleted, will try again: {}", fileId,
                            e.getClass().getSimpleName());
                    continue;
                }
                if (store.bytesDeleted(fileId, now, retention)) {
                    deleted++;
                }
            }
        } while (due.size() == BATCH && failed == 0);
        if (deleted > 0) {
            log.info("file retention: the bytes of {} finished file(s) deleted", deleted);
        }
        new UnnamedStoredFiles(store, intake.storage().root()).delete(now);
        return deleted;
    }
}
