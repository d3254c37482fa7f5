package fr.spie.gateway.audit;

import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.db.LedgerWriter;
import java.util.Optional;

/**
 * The ledger's committed size and latest signed head as an instance reports them: its writer's on the instance that
 * runs it (the leader), the database's on the others, whose writer is closed (they reported 0 leaves, or what they had
 * when they last led). For the {@code ledger} health and the ledger gauges.
 */
final class CommittedLedger {
    private CommittedLedger() {
    }

    static long size(LedgerWriter writer, LedgerDb db) {
        return writer.isOpen() ? writer.size() : db.committedSize();
    }

    static Optional<SignedTreeHead> latestHead(LedgerWriter writer, LedgerDb db) {
        return writer.isOpen() ? writer.latestHead() : db.latestHead();
    }
}
