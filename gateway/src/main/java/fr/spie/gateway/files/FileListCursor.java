package fr.spie.gateway.files;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of {@code GET /api/v1/files} ended: the reception time and id of its last file (the list is ordered
 * by both, descending). Given to the client as an opaque {@code after} token (base64url); it holds no personal data
 * and grants nothing: the caller's own rights and filters still apply to the next page.
 */
record FileListCursor(Instant receivedAt, UUID fileId) {
    /**
     * The reception times a cursor may hold: years 1 to 9999, as {@code since} and {@code until} (RFC 3339). Beyond,
     * {@link java.sql.Timestamp} overflows or the database refuses the value (PostgreSQL stops at year 294276).
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    static FileListCursor after(ReceivedFile last) {
        return new FileListCursor(last.receivedAt(), last.fileId());
    }

    String encode() {
        String plain = receivedAt.getEpochSecond() + "." + receivedAt.getNano() + "/" + fileId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @throws IllegalArgumentException when the text is not a cursor this class wrote: not its exact text (padding, a
     *     sign, leading zeros, an id in capitals, anything added), or a time out of {@link #EARLIEST}..{@link #LATEST}
     */
    static FileListCursor decode(String text) {
        FileListCursor cursor = parse(text);
        if (cursor.receivedAt.isBefore(EARLIEST) || cursor.receivedAt.isAfter(LATEST)
                || !cursor.encode().equals(text)) {
            throw new IllegalArgumentException("not a cursor");
        }
        return cursor;
    }

    private static FileListCursor parse(String text) {
        String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
        int dot = plain.indexOf('.');
        int slash = plain.indexOf('/');
        if (dot < 1 || slash < dot + 2 || plain.length() - slash != 37) {
            throw new IllegalArgumentException("not a cursor");
        }
        long seconds = Long.parseLong(plain.substring(0, dot));
        int nanos = Integer.parseInt(plain.substring(dot + 1, slash));
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("not a cursor");
        }
        return new FileListCursor(Instant.ofEpochSecond(seconds, nanos), UUID.fromString(plain.substring(slash + 1)));
    }
}
