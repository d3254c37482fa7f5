package fr.spie.connector.francetravail;

import java.time.Duration;
import java.util.Optional;

/**
 * A France Travail API call failed. {@link #retryable()} says whether the same call may succeed later (429, 5xx, network);
 * {@link #retryAfter()} is the delay France Travail asked for (Retry-After), when it gave one. Messages never contain
 * personal data (no NIR, no jeton usager).
 */
public class FranceTravailApiException extends Exception {

    private final int status;
    private final String errorCode;
    private final boolean retryable;
    private final Duration retryAfter;

    public FranceTravailApiException(String message, int status, String errorCode, boolean retryable, Duration retryAfter,
                                     Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** HTTP status, or 0 when no response was received. */
    public int status() {
        return status;
    }

    /** France Travail's error code (codeRetour / code, e.g. R001), when the response carried one. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
