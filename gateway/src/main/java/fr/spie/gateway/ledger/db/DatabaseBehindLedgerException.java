package fr.spie.gateway.ledger.db;

/**
 * The database holds fewer ledger entries than this instance wrote or signed (restored from an older backup, or
 * another database): the ledger is not continued from it unless the operator accepts the rewind
 * ({@link LedgerWriter#open()}).
 */
public final class DatabaseBehindLedgerException extends IllegalStateException {
    public DatabaseBehindLedgerException(String message) {
        super(message);
    }
}
