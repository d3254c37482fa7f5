package fr.spie.connector.francetravail;

import java.time.Duration;

/** HTTP 429: retryable, after {@link #retryAfter()} when France Travail sent a Retry-After header. */
public final class FranceTravailRateLimitedException extends FranceTravailApiException {
    public FranceTravailRateLimitedException(String message, String errorCode, Duration retryAfter) {
        super(message, 429, errorCode, true, retryAfter, null);
    }
}
