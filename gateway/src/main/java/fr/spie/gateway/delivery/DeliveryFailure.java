package fr.spie.gateway.delivery;

/**
 * A delivery attempt failed. {@code retryable} failures are tried again with backoff; the others (the recipient
 * refused the record for good, e.g. HTTP 400 or 422) go straight to the dead-letter queue.
 */
public class DeliveryFailure extends RuntimeException {
    private final boolean retryable;

    public DeliveryFailure(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
