package fr.spie.gateway.audit;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.db.LedgerWriter;
import org.springframework.stereotype.Component;

/**
 * Puts a rewind of the ledger the operator accepted ({@code spie.ledger.accept-rewind-to}, {@link LedgerWriter#open()})
 * on the record: a {@link AuditEventType#LEDGER_REWOUND} event, which the ledger itself then holds at the first index
 * after the rewind or soon after. No personal data: sizes, a root hash, a time and a file name.
 */
@Component
public class LedgerRewindRecord {
    private final AuditTrail audit;

    public LedgerRewindRecord(LedgerWriter writer, AuditTrail audit) {
        this.audit = audit;
        writer.onRewound(this::record);
    }

    private void record(LedgerWriter.Rewind rewind) {
        audit.append(AuditEvent.of(AuditEventType.LEDGER_REWOUND, null, "gateway").withDetail(detail(rewind)));
    }

    static String detail(LedgerWriter.Rewind rewind) {
        StringBuilder d = new StringBuilder("the ledger continues from the database's ").append(rewind.databaseSize())
                .append(" entries (a database restored from an older backup, or another one), as the operator accepted "
                        + "with spie.ledger.accept-rewind-to; this instance's leaf file held ")
                .append(rewind.leafFileLeaves()).append(" leaves");
        if (rewind.signedHere() != null) {
            d.append(" and it had signed a tree head of size ").append(rewind.signedHere().treeSize())
                    .append(" (root ").append(MerkleHash.hex(rewind.signedHere().rootHash())).append(", at ")
                    .append(rewind.signedHere().timestamp()).append(')');
        }
        d.append(": heads from now on fork from those at size ").append(rewind.databaseSize());
        if (rewind.lostLeaves() != null) {
            d.append("; the leaves ").append(rewind.databaseSize()).append("..").append(rewind.leafFileLeaves() - 1)
                    .append(" are kept in ledger/").append(rewind.lostLeaves().getFileName());
        }
        return d.toString();
    }
}
