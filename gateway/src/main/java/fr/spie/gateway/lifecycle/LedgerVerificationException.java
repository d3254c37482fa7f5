package fr.spie.gateway.lifecycle;

/** The ledger does not verify at start-up: the gateway refuses to run on it (see {@link LedgerStartupCheck}). */
public class LedgerVerificationException extends RuntimeException {
    public LedgerVerificationException(String message) {
        super(message);
    }

    public LedgerVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
