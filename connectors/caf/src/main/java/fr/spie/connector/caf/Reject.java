package fr.spie.connector.caf;

/** A mapping problem of one household or person: rejected (reason = message, no stack trace), the file goes on. */
final class Reject extends Exception {
    Reject(String reason) {
        super(reason, null, false, false);
    }
}
