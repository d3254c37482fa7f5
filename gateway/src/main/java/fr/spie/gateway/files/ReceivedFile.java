package fr.spie.gateway.files;

import java.time.Instant;
import java.util.UUID;

/** A received file as stored in {@code received_file}. */
public record ReceivedFile(UUID fileId, String partner, String name, String digest, long size, String format,
                           String channel, FileStatus status, UUID duplicateOf, Long recordsTotal, long recordsDone,
                           long accepted, long unchanged, long rejected, int attempts, Instant receivedAt,
                           Instant startedAt, Instant progressAt, Instant finishedAt, String quarantineReason,
                           String quarantineLocation, String facts) {

    public static final String UPLOAD = "UPLOAD";
    public static final String INBOX = "INBOX";

    /** Records read so far (accepted + unchanged + rejected records). */
    public long records() {
        return accepted + unchanged + rejected;
    }
}
