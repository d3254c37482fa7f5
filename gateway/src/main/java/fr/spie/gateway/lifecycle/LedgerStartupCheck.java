package fr.spie.gateway.lifecycle;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.db.AuditRow;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.db.LedgerWriter;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway verifies of its ledger before it takes any traffic, at a cost proportionate to a start-up (full
 * verification is {@code spie audit verify}):
 * <ol>
 *   <li>the writer's reconciliation ({@link LedgerWriter#open()}): the leaf file holds the database's leaves, the last
 *       leaf hash of the file equals the last {@code ledger_entry.leaf_hash}, and the root of the file's first N leaves
 *       equals the root of the latest signed tree head (of size N);</li>
 *   <li>the latest signed tree head's Ed25519 signature verifies with the gateway's ledger key;</li>
 *   <li>the last {@code tailEntries} audit rows of the ledger: each row's canonical entry, recomputed from its
 *       columns, hashes to its recorded {@code leaf_hash}, which is also the leaf in the file.</li>
 * </ol>
 * Any failure stops the start with a {@link LedgerVerificationException} naming the problem.
 */
public final class LedgerStartupCheck {
    private static final Logger log = LoggerFactory.getLogger(LedgerStartupCheck.class);

    private final LedgerWriter writer;
    private final LedgerDb db;
    private final PublicKey publicKey;
    private final int tailEntries;

    public LedgerStartupCheck(LedgerWriter writer, LedgerDb db, PublicKey publicKey, int tailEntries) {
        this.writer = writer;
        this.db = db;
        this.publicKey = publicKey;
        this.tailEntries = tailEntries;
    }

    /** Opens the ledger and verifies it; throws {@link LedgerVerificationException} when it does not verify. */
    public void verify() {
        try {
            if (!writer.isOpen()) {
                writer.open();
            }
        } catch (IllegalStateException e) {
            throw new LedgerVerificationException(e.getMessage(), e);
        }
        long size = writer.size();
        Optional<SignedTreeHead> head = writer.latestHead();
        if (head.isPresent() && !TreeHeadSigner.verify(head.get(), publicKey)) {
            throw new LedgerVerificationException("the latest signed tree head (size " + head.get().treeSize()
                    + ", key id " + head.get().keyId() + ") does not verify with the gateway's ledger key: the "
                    + "tree_head row was altered or the ledger keystore was replaced");
        }
        long from = Math.max(0, size - tailEntries);
        long[] checked = {0};
        db.forEachInLedgerOrder(from, size, row -> {
            checkRow(row);
            checked[0]++;
        });
        if (checked[0] != size - from) {
            throw new LedgerVerificationException("ledger indexes " + from + ".." + (size - 1) + " are incomplete in "
                    + "audit_event: " + checked[0] + " rows found for " + (size - from) + " leaves");
        }
        log.info("Ledger verified at start-up: {} leaves, latest signed head {}, last {} entries re-hashed", size,
                head.map(h -> "size " + h.treeSize() + " signature valid").orElse("none yet"), checked[0]);
    }

    private void checkRow(AuditRow row) {
        long index = row.ledgerIndex();
        String recomputed = row.recomputedLeafHash();
        if (!recomputed.equals(row.leafHash())) {
            throw new LedgerVerificationException("audit_event seq " + row.sequence() + " (ledger index " + index
                    + ") was altered: its content no longer hashes to its recorded leaf hash");
        }
        if (!MessageDigest.isEqual(MerkleHash.fromHex(row.leafHash()), writer.leafHash(index))) {
            throw new LedgerVerificationException("audit_event seq " + row.sequence() + " (ledger index " + index
                    + "): its leaf hash differs from the leaf file " + writer.leafFile());
        }
    }
}
