package fr.spie.connector.francetravail;

/** Thrown (without stack trace) to reject the current extract line; the message is the specific reason, no personal data. */
final class LineRejected extends Exception {

    LineRejected(String message) {
        super(message, null, false, false);
    }
}
