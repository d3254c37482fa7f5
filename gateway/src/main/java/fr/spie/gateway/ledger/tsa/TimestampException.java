package fr.spie.gateway.ledger.tsa;

/** A timestamp could not be obtained, or a token does not verify. */
public class TimestampException extends Exception {
    public TimestampException(String message) {
        super(message);
    }

    public TimestampException(String message, Throwable cause) {
        super(message + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    }
}
