package fr.spie.gateway.ledger.db;

import fr.spie.gateway.ledger.TreeHead;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database is behind this instance's ledger files when the writer opens (restored from an older backup,
 * or another database), and whether the operator accepted to continue from it
 * ({@link LedgerWriter.Settings#acceptRewindTo()}).
 */
final class DatabaseBehindCheck {
    private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);

    private final LedgerDb db;
    private final LeafFileOnDisk onDisk;
    private final SignedSizeMark signedHere;
    private final LedgerWriter.Settings settings;
    private final Clock clock;

    DatabaseBehindCheck(LedgerDb db, LeafFileOnDisk onDisk, SignedSizeMark signedHere, LedgerWriter.Settings settings,
                        Clock clock) {
        this.db = db;
        this.onDisk = onDisk;
        this.signedHere = signedHere;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A database behind this instance's ledger files: a head this instance signed is larger than the database, or
     * the leaf file is ahead of it by more than the one batch a crash can leave (more than the batch size, and than
     * the audit rows waiting for the ledger, which such a batch holds). Such a database was restored from a
     * backup (or is another one): continuing would give the lost entries' ledger indexes to other events, a fork that
     * anyone holding a later signed head, or a receipt naming one of those indexes, would find. Refused, unless the
     * operator accepted a rewind to exactly this database's size: the lost leaves are then kept aside and the
     * rewind is told to the {@link LedgerWriter#onRewound listeners} (the gateway records it in the ledger).
     *
     * @return the accepted rewind, or null when the database is not behind
     */
    LedgerWriter.Rewind acceptedRewind(long dbSize) {
        long fileLeaves = onDisk.leaves();
        TreeHead signed = signedHere.read().orElse(null);
        boolean signedBeyond = signed != null && signed.treeSize() > dbSize;
        // a batch cut short by a crash holds rows that still wait for the ledger: the file may be ahead by as many
        // (the batch size may have been larger before the restart), a database restored behind it has lost them
        long waiting = fileLeaves - dbSize > settings.batchSize() ? db.pendingCount() : 0;
        if (!signedBeyond && (fileLeaves - dbSize <= settings.batchSize() || fileLeaves - dbSize <= waiting)) {
            if (settings.acceptRewindTo() != null) {
                log.info("spie.ledger.accept-rewind-to={} is set but the ledger is not behind the database ({} "
                        + "entries): nothing to accept; remove the setting", settings.acceptRewindTo(), dbSize);
            }
            return null;
        }
        String evidence = (signedBeyond ? "this instance signed a tree head of size " + signed.treeSize() + " at "
                + signed.timestamp() + (fileLeaves > dbSize ? " and its leaf file holds " + fileLeaves + " leaves"
                : "") : "its leaf file " + onDisk.path() + " holds " + fileLeaves + " leaves, more than one batch ("
                + settings.batchSize() + ") beyond, and than the " + waiting + " audit events waiting for the ledger");
        if (settings.acceptRewindTo() == null || settings.acceptRewindTo() != dbSize) {
            throw new DatabaseBehindLedgerException("the database holds " + dbSize + " ledger entries but "
                    + evidence + ": the database is behind the ledger (restored from an older backup, or another "
                    + "database). Ledger indexes " + dbSize + ".." + (Math.max(fileLeaves, signedBeyond
                    ? signed.treeSize() : 0) - 1) + " were written" + (signedBeyond ? " (" + dbSize + ".."
                    + (signed.treeSize() - 1) + " signed)" : "") + " and are not in it: continuing would give them "
                    + "to other events, a fork that auditors holding a later signed head would find. Restore the most "
                    + "recent backup of the database; or, to continue the ledger from this database and have the loss "
                    + "recorded in it, start once with "
                    + "spie.ledger.accept-rewind-to=" + dbSize + " (docs/operations.md, Backup and restore)");
        }
        // a start that accepted this rewind but stopped before it was told kept the leaves and truncated the file
        Path kept = fileLeaves > dbSize ? onDisk.keep("rewound", dbSize, fileLeaves, clock.millis())
                : onDisk.keptEarlier("rewound", dbSize);
        long held = kept == null || fileLeaves > dbSize ? fileLeaves : dbSize + LeafFileOnDisk.leavesIn(kept);
        log.warn("ledger rewound to the database's {} entries, as accepted by spie.ledger.accept-rewind-to: {}{}",
                dbSize, evidence, kept == null ? "" : "; the leaves beyond are kept in " + kept);
        return new LedgerWriter.Rewind(dbSize, held, signed, kept);
    }
}
