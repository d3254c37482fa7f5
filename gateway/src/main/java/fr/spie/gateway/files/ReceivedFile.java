package fr.spie.gateway.files;

import java.time.Instant;
import java.util.UUID;

/**
 * A received file as stored in {@code received_file}: with the file store that holds its bytes and the instance that
 * received it ({@code null} for files received before they were recorded), the lease of the instance processing it,
 * and when its bytes were deleted once finished ({@code spie.retention.files}; null while they are kept).
 */
public record ReceivedFile(UUID fileId, String partner, String name, String digest, long size, String format,
                           String channel, FileStatus status, UUID duplicateOf, Long recordsTotal, long recordsDone,
                           long accepted, long unchanged, long rejected, int attempts, Instant receivedAt,
                           Instant startedAt, Instant progressAt, Instant finishedAt, String quarantineReason,
                           String quarantineLocation, String facts, String storeId, String storedBy,
                           String leaseHolder, Instant leaseUntil, Instant bytesDeletedAt) {

    public static final String UPLOAD = "UPLOAD";
    public static final String INBOX = "INBOX";

    /** Records read so far (accepted + unchanged + rejected records). */
    public long records() {
        return accepted + unchanged + rejected;
    }
}
