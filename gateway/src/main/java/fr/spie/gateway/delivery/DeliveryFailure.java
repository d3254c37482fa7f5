package fr.spie.gateway.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * A delivery attempt failed. {@code retryable} failures are tried again with backoff; the others (the recipient
 * refused the record for good, e.g. HTTP 400 or 422) go straight to the dead-letter queue. A retryable failure may
 * carry the delay the recipient asked for (Retry-After): the next attempt waits at least that long.
 */
public class DeliveryFailure extends RuntimeException {
    private final boolean retryable;
    private final Duration retryAfter;

    public DeliveryFailure(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public DeliveryFailure(String message, boolean retryable, Duration retryAfter) {
        super(message, null, false, false);
        this.retryable = retryable;
        this.retryAfter = retryable ? retryAfter : null;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The least delay before the next attempt that the recipient asked for, if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
