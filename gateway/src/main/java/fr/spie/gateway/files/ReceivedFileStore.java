package fr.spie.gateway.files;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Received files, their rejections, digests and the record fingerprints of change detection. */
@Repository
public class ReceivedFileStore {
    /** Rejections kept per file (the count covers all of them). */
    public static final int MAX_REJECTIONS_KEPT = 1000;
    private static final String UPDATE_FINGERPRINT = "UPDATE record_fingerprint SET content_digest = ?, "
            + "exchange_id = ?, updated_at = ? WHERE partner = ? AND change_key_hash = ? AND record_type = ?";
    private static final String INSERT_FINGERPRINT = "INSERT INTO record_fingerprint (partner, change_key_hash, "
            + "record_type, content_digest, exchange_id, updated_at) VALUES (?,?,?,?,?,?)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AuditTrail audit;

    public ReceivedFileStore(JdbcTemplate jdbc, TransactionTemplate tx, AuditTrail audit) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
    }

    /**
     * Records a new file, in one transaction with its digest claim. When the partner already sent these bytes (and
     * that file was not quarantined), the new file is stored as DUPLICATE of the first one.
     *
     * @return the stored row
     */
    public ReceivedFile insert(UUID fileId, String partner, String name, String digest, long size, String format,
                               String channel, Instant receivedAt) {
        String received = "file " + fileId + ": " + size + " bytes, format " + format + ", by " + channel;
        try {
            tx.executeWithoutResult(s -> {
                insertRow(fileId, partner, name, digest, size, format, channel, FileStatus.RECEIVED, null, receivedAt);
                jdbc.update("INSERT INTO received_file_digest (partner, digest, file_id) VALUES (?,?,?)", partner,
                        digest, fileId);
                audit.append(fileEvent(AuditEventType.FILE_RECEIVED, partner, digest).withDetail(received));
            });
        } catch (DuplicateKeyException duplicate) {
            UUID first = jdbc.queryForObject("SELECT file_id FROM received_file_digest WHERE partner = ? AND digest = ?",
                    UUID.class, partner, digest);
            tx.executeWithoutResult(s -> {
                insertRow(fileId, partner, name, digest, size, format, channel, FileStatus.DUPLICATE, first,
                        receivedAt);
                jdbc.update("UPDATE received_file SET finished_at = ? WHERE file_id = ?", Timestamp.from(receivedAt),
                        fileId);
                audit.append(fileEvent(AuditEventType.FILE_RECEIVED, partner, digest).withDetail(received
                        + "; the same bytes as file " + first + ": a duplicate, not read again"));
            });
        }
        return find(fileId).orElseThrow();
    }

    /** An audit event about a partner's file: the partner as actor and source, the file's SHA-256 as digest. */
    private static AuditEvent fileEvent(AuditEventType type, String partner, String digest) {
        return AuditEvent.of(type, null, partner).withExchange(partner, null, null, null, digest, null, null);
    }

    private void insertRow(UUID fileId, String partner, String name, String digest, long size, String format,
                           String channel, FileStatus status, UUID duplicateOf, Instant receivedAt) {
        jdbc.update("INSERT INTO received_file (file_id, partner, original_name, digest, size_bytes, format, channel, "
                + "status, duplicate_of, received_at) VALUES (?,?,?,?,?,?,?,?,?,?)", ps -> {
                    ps.setObject(1, fileId, Types.OTHER);
                    ps.setString(2, partner);
                    ps.setString(3, name);
                    ps.setString(4, digest);
                    ps.setLong(5, size);
                    ps.setString(6, format);
                    ps.setString(7, channel);
                    ps.setString(8, status.name());
                    ps.setObject(9, duplicateOf, Types.OTHER);
                    ps.setTimestamp(10, Timestamp.from(receivedAt));
                });
    }

    public Optional<ReceivedFile> find(UUID fileId) {
        return jdbc.query("SELECT * FROM received_file WHERE file_id = ?", ReceivedFileStore::map, fileId).stream()
                .findFirst();
    }

    /** Files to (re)process: RECEIVED, or PROCESSING left by a stop or a failure. */
    public List<UUID> unfinished(int limit) {
        return jdbc.queryForList("SELECT file_id FROM received_file WHERE status IN ('RECEIVED', 'PROCESSING') "
                + "ORDER BY received_at LIMIT " + limit, UUID.class);
    }

    /** Starts (or restarts from the beginning) the processing of a file: counts and rejections are reset. */
    public void start(UUID fileId, Instant now) {
        tx.executeWithoutResult(s -> {
            jdbc.update("DELETE FROM received_file_rejection WHERE file_id = ?", fileId);
            jdbc.update("UPDATE received_file SET status = 'PROCESSING', attempts = attempts + 1, started_at = ?, "
                            + "progress_at = ?, records_total = NULL, records_done = 0, accepted = 0, unchanged = 0, "
                            + "rejected = 0 WHERE file_id = ?", Timestamp.from(now), Timestamp.from(now), fileId);
        });
    }

    public void total(UUID fileId, long recordsTotal) {
        jdbc.update("UPDATE received_file SET records_total = ? WHERE file_id = ?", recordsTotal, fileId);
    }

    /** Runs {@code work} in one transaction (joins the caller's when there is one). */
    public void inTransaction(Runnable work) {
        tx.executeWithoutResult(status -> work.run());
    }

    /** Progress so far, with the rejections found since the last call (kept up to {@link #MAX_REJECTIONS_KEPT}). */
    public void progress(UUID fileId, Counts counts, List<Rejection> newRejections, Instant now) {
        tx.executeWithoutResult(s -> {
            if (!newRejections.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO received_file_rejection (file_id, seq, location, reason) VALUES (?,?,?,?)",
                        newRejections, newRejections.size(), (ps, r) -> {
                            ps.setObject(1, fileId, Types.OTHER);
                            ps.setInt(2, r.seq());
                            ps.setString(3, truncate(r.location(), 500));
                            ps.setString(4, truncate(r.reason(), 2000));
                        });
            }
            jdbc.update("UPDATE received_file SET records_done = ?, accepted = ?, unchanged = ?, rejected = ?, "
                            + "progress_at = ? WHERE file_id = ?", counts.done(), counts.accepted(), counts.unchanged(),
                    counts.rejected(), Timestamp.from(now), fileId);
        });
    }

    /** The file is read to its end: DONE, audited FILE_PROCESSED with its counts. */
    public void done(UUID fileId, String facts, Instant now) {
        tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE received_file SET status = 'DONE', finished_at = ?, facts = ? WHERE file_id = ?",
                    Timestamp.from(now), truncate(facts, 4000), fileId);
            ReceivedFile file = find(fileId).orElseThrow();
            audit.append(fileEvent(AuditEventType.FILE_PROCESSED, file.partner(), file.digest()).withDetail("file "
                    + fileId + ": " + file.recordsDone() + " records, " + file.accepted() + " accepted, "
                    + file.unchanged() + " unchanged, " + file.rejected() + " rejected"
                    + (file.attempts() > 1 ? " (read " + file.attempts() + " times)" : "")));
        });
    }

    /**
     * Quarantines a file, audited FILE_QUARANTINED with the reason; its digest is released so that the same bytes may
     * be sent again after a fix.
     */
    public void quarantine(UUID fileId, String reason, String location, Instant now) {
        tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE received_file SET status = 'QUARANTINED', finished_at = ?, quarantine_reason = ?, "
                            + "quarantine_location = ? WHERE file_id = ?", Timestamp.from(now), truncate(reason, 1000),
                    truncate(location, 500), fileId);
            jdbc.update("DELETE FROM received_file_digest WHERE file_id = ?", fileId);
            ReceivedFile file = find(fileId).orElseThrow();
            audit.append(fileEvent(AuditEventType.FILE_QUARANTINED, file.partner(), file.digest()).withDetail("file "
                    + fileId + " quarantined" + (location == null || location.isBlank() ? "" : " at " + location)
                    + ": " + reason));
        });
    }

    public List<Rejection> rejections(UUID fileId, int limit) {
        return jdbc.query("SELECT seq, location, reason FROM received_file_rejection WHERE file_id = ? ORDER BY seq "
                        + "LIMIT " + limit, (rs, i) -> new Rejection(rs.getInt(1), rs.getString(2), rs.getString(3)),
                fileId);
    }

    /** The content digest of the last accepted version of a record, if any. */
    public Optional<String> fingerprint(String partner, String changeKeyHash, String recordType) {
        return jdbc.queryForList("SELECT content_digest FROM record_fingerprint WHERE partner = ? AND change_key_hash = ? "
                + "AND record_type = ?", String.class, partner, changeKeyHash, recordType).stream().findFirst();
    }

    /**
     * The last accepted content of a record, for change detection.
     *
     * @param known whether {@link #fingerprints} found one for this key (then it is updated, else inserted)
     */
    public record Fingerprint(String partner, String changeKeyHash, String recordType, String contentDigest,
                              UUID exchangeId, Instant at, boolean known) {
    }

    /** What identifies a record for change detection, with its partner. */
    public record ChangeKey(String changeKeyHash, String recordType) {
    }

    /**
     * The content digests of the last accepted versions of these records of one partner: primary-key lookups with
     * one prepared statement on one connection (an {@code IN} list on the key's second column would scan every
     * fingerprint of the partner).
     */
    public Map<ChangeKey, String> fingerprints(String partner, Collection<ChangeKey> keys) {
        Map<ChangeKey, String> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            try (PreparedStatement ps = connection.prepareStatement("SELECT content_digest FROM record_fingerprint "
                    + "WHERE partner = ? AND change_key_hash = ? AND record_type = ?")) {
                ps.setString(1, partner);
                for (ChangeKey key : new LinkedHashSet<>(keys)) {
                    ps.setString(2, key.changeKeyHash());
                    ps.setString(3, key.recordType());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            found.put(key, rs.getString(1).trim());
                        }
                    }
                }
            }
            return null;
        });
        return found;
    }

    /**
     * Writes fingerprints with two batched statements, in the caller's transaction (the file channel writes them in
     * its batch's): the ones {@link #fingerprints} found are updated, the others inserted (no update is tried for a
     * key known to be absent: on a first load that was one wasted index search per record). When another file of the
     * same partner inserted one of them meanwhile, the insert fails with a {@link DuplicateKeyException} and the
     * transaction is rolled back (PostgreSQL aborts it at the first duplicate key anyway): the file is retried, its
     * records are then replays and these fingerprints are found, so updated.
     */
    public void writeFingerprints(List<Fingerprint> fingerprints) {
        if (fingerprints.isEmpty()) {
            return;
        }
        List<Fingerprint> known = fingerprints.stream().filter(Fingerprint::known).toList();
        int[] updated = known.isEmpty() ? new int[0]
                : jdbc.batchUpdate(UPDATE_FINGERPRINT, known, known.size(), (ps, f) -> {
                    ps.setString(1, f.contentDigest());
                    ps.setObject(2, f.exchangeId());
                    ps.setTimestamp(3, Timestamp.from(f.at()));
                    ps.setString(4, f.partner());
                    ps.setString(5, f.changeKeyHash());
                    ps.setString(6, f.recordType());
                })[0];
        List<Fingerprint> missing = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) { // deleted since it was read
                missing.add(known.get(i));
            }
        }
        fingerprints.stream().filter(f -> !f.known()).forEach(missing::add);
        jdbc.batchUpdate(INSERT_FINGERPRINT, missing, missing.size(), (ps, f) -> {
            ps.setString(1, f.partner());
            ps.setString(2, f.changeKeyHash());
            ps.setString(3, f.recordType());
            ps.setString(4, f.contentDigest());
            ps.setObject(5, f.exchangeId());
            ps.setTimestamp(6, Timestamp.from(f.at()));
        });
    }

    private static ReceivedFile map(ResultSet rs, int row) throws SQLException {
        long total = rs.getLong("records_total");
        Long recordsTotal = rs.wasNull() ? null : total;
        return new ReceivedFile(rs.getObject("file_id", UUID.class), rs.getString("partner"),
                rs.getString("original_name"), rs.getString("digest").trim(), rs.getLong("size_bytes"),
                rs.getString("format"), rs.getString("channel"), FileStatus.valueOf(rs.getString("status")),
                rs.getObject("duplicate_of", UUID.class), recordsTotal, rs.getLong("records_done"),
                rs.getLong("accepted"), rs.getLong("unchanged"), rs.getLong("rejected"), rs.getInt("attempts"),
                instant(rs, "received_at"), instant(rs, "started_at"), instant(rs, "progress_at"),
                instant(rs, "finished_at"), rs.getString("quarantine_reason"), rs.getString("quarantine_location"),
                rs.getString("facts"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** Running counts of a file. */
    public record Counts(long done, long accepted, long unchanged, long rejected) {
    }

    /** One rejected record: where, and why (never the values). */
    public record Rejection(int seq, String location, String reason) {
    }
}
