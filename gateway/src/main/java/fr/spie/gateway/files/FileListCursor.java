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

    static FileListCursor after(ReceivedFile last) {
        return new FileListCursor(last.receivedAt(), last.fileId());
    }

    String encode() {
        String plain = receivedAt.getEpochSecond() + "." + receivedAt.getNano() + "/" + fileId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws IllegalArgumentException when the text is not a cursor this class wrote */
    static FileListCursor decode(String text) {
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
