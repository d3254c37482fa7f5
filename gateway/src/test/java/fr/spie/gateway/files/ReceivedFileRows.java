package fr.spie.gateway.files;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows of {@code received_file} written directly, for tests of the listing and of the CLI: no bytes, and the file's
 * store is one no instance of the test uses, so that the running gateway never reads or quarantines them by itself.
 */
public final class ReceivedFileRows {
    public static final String ELSEWHERE = "store-of-a-gone-instance";

    private final JdbcTemplate jdbc;

    public ReceivedFileRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A file of {@code partner} received at {@code receivedAt}; a finished status gets a finish time. */
    public UUID insert(String partner, String status, Instant receivedAt, String leaseHolder, Instant leaseUntil) {
        return insert(UUID.randomUUID(), partner, status, receivedAt, leaseHolder, leaseUntil);
    }

    public UUID insert(UUID fileId, String partner, String status, Instant receivedAt, String leaseHolder,
                       Instant leaseUntil) {
        boolean finished = FileStatus.valueOf(status).finished();
        jdbc.update("INSERT INTO received_file (file_id, partner, original_name, digest, size_bytes, format, channel, "
                        + "status, records_total, records_done, accepted, unchanged, rejected, attempts, received_at, "
                        + "started_at, finished_at, quarantine_reason, store_id, stored_by, lease_holder, lease_until) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                fileId, partner, "RSABEM_" + fileId.toString().substring(0, 8) + ".xml",
                String.format("%064x", fileId.getLeastSignificantBits() & Long.MAX_VALUE), 1234L, "cnaf-vrsb0801",
                "UPLOAD", status, finished ? 12L : null, finished ? 12L : 3L, finished ? 9L : 2L, finished ? 2L : 1L,
                finished ? 1L : 0L, "RECEIVED".equals(status) ? 0 : 1, Timestamp.from(receivedAt),
                "RECEIVED".equals(status) ? null : Timestamp.from(receivedAt.plusSeconds(1)),
                finished ? Timestamp.from(receivedAt.plusSeconds(5)) : null,
                "QUARANTINED".equals(status) ? "the file is empty (0 bytes)" : null, ELSEWHERE, "gw-gone",
                leaseHolder, leaseUntil == null ? null : Timestamp.from(leaseUntil));
        if ("DONE".equals(status)) {
            jdbc.update("INSERT INTO received_file_rejection (file_id, seq, location, reason) VALUES (?,?,?,?)",
                    fileId, 1, "/Racine/InfosFoyerRSA[3]/Personne[1]", "Identification/PRENOM (given name) is missing");
        }
        return fileId;
    }
}
