package fr.spie.connector;

/**
 * The input cannot be read at all (truncated, wrong format, wrong encoding, hostile XML, totals that do not match):
 * the whole input is quarantined with this message, never half-processed silently.
 */
public class UnreadableInputException extends Exception {
    private final String location;

    public UnreadableInputException(String message, String location, Throwable cause) {
        super(message, cause);
        this.location = location;
    }

    public UnreadableInputException(String message, String location) {
        this(message, location, null);
    }

    /** Where reading stopped (line, element path), or null when not known. */
    public String location() {
        return location;
    }
}
