package fr.spie.gateway.files;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
            + "exchange_id = ?, updated_at = ? WHERE partner = ? AND change_key_hash = ? AND record_type = ? "
            + "AND content_digest = ?";
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
     * @throws AlreadyRecordedException when a file with this id is recorded already (another instance sharing the
     *     inbox recorded it at the same moment): nothing is written
     */
    public ReceivedFile insert(UUID fileId, String partner, String name, String digest, long size, String format,
                               String channel, Instant receivedAt, Origin origin) {
        String received = "file " + fileId + ": " + size + " bytes, format " + format + ", by " + channel;
        try {
            tx.executeWithoutResult(s -> {
                insertRow(fileId, partner, name, digest, size, format, channel, FileStatus.RECEIVED, null, receivedAt,
                        origin);
                jdbc.update("INSERT INTO received_file_digest (partner, digest, file_id) VALUES (?,?,?)", partner,
                        digest, fileId);
                audit.append(fileEvent(AuditEventType.FILE_RECEIVED, partner, digest).withDetail(received));
            });
        } catch (DuplicateKeyException duplicate) {
            if (find(fileId).isPresent()) {
                throw new AlreadyRecordedException(fileId);
            }
            UUID first = jdbc.queryForObject("SELECT file_id FROM received_file_digest WHERE partner = ? AND digest = ?",
                    UUID.class, partner, digest);
            tx.executeWithoutResult(s -> {
                insertRow(fileId, partner, name, digest, size, format, channel, FileStatus.DUPLICATE, first,
                        receivedAt, origin);
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

    /**
     * Where a new file's bytes are and who received it. The receiving instance holds the new file's first lease
     * (not renewed: it expires after {@code lease} unless the instance claims the file), so that no other instance
     * takes the file before its bytes are in the store.
     */
    public record Origin(String storeId, String instance, Duration lease) {
    }

    private void insertRow(UUID fileId, String partner, String name, String digest, long size, String format,
                           String channel, FileStatus status, UUID duplicateOf, Instant receivedAt, Origin origin) {
        boolean leased = status == FileStatus.RECEIVED;
        jdbc.update("INSERT INTO received_file (file_id, partner, original_name, digest, size_bytes, format, channel, "
                + "status, duplicate_of, received_at, store_id, stored_by, lease_holder, lease_until) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?," + (leased ? LEASE_END : "NULL") + ")", ps -> {
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
                    ps.setString(11, origin.storeId());
                    ps.setString(12, origin.instance());
                    ps.setString(13, leased ? origin.instance() : null);
                    if (leased) {
                        ps.setLong(14, origin.lease().toMillis());
                    }
                });
    }

    public Optional<ReceivedFile> find(UUID fileId) {
        return jdbc.query("SELECT * FROM received_file WHERE file_id = ?", ReceivedFileStore::map, fileId).stream()
                .findFirst();
    }

    /**
     * Files newest first (reception time, then id, both descending), at most {@code limit}: of one partner or all
     * ({@code partner} null), in some statuses or all (empty), received in [{@code since}, {@code until}) (either
     * null: unbounded), and after the keyset position {@code after} (null: from the newest).
     */
    public List<ReceivedFile> list(String partner, Collection<FileStatus> statuses, Instant since, Instant until,
                                   FileListCursor after, int limit) {
        ListSql query = listSql(partner, statuses, since, until, after, limit);
        return jdbc.query(query.sql(), ReceivedFileStore::map, query.parameters().toArray());
    }

    /** The statement of {@link #list} and its parameters. */
    record ListSql(String sql, List<Object> parameters) {
    }

    /**
     * Read from an index in its order (V12_2: by partner, or all), the page's rows only: the partner leads the ORDER
     * BY when it is fixed (else H2 sorts every file of the partner), and {@code received_at <= } the cursor's time
     * bounds the index range (else each page would be read from the newest file).
     */
    static ListSql listSql(String partner, Collection<FileStatus> statuses, Instant since, Instant until,
                           FileListCursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM received_file WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (partner != null) {
            sql.append(" AND partner = ?");
            parameters.add(partner);
        }
        if (!statuses.isEmpty()) {
            sql.append(" AND status IN (").append(String.join(",", java.util.Collections.nCopies(statuses.size(), "?")))
                    .append(')');
            statuses.forEach(s -> parameters.add(s.name()));
        }
        if (since != null) {
            sql.append(" AND received_at >= ?");
            parameters.add(Timestamp.from(since));
        }
        if (until != null) {
            sql.append(" AND received_at < ?");
            parameters.add(Timestamp.from(until));
        }
        if (after != null) {
            Timestamp at = Timestamp.from(after.receivedAt());
            sql.append(" AND received_at <= ? AND (received_at < ? OR (received_at = ? AND file_id < ?))");
            parameters.addAll(List.of(at, at, at, after.fileId()));
        }
        sql.append(" ORDER BY ").append(partner != null ? "partner, " : "")
                .append("received_at DESC, file_id DESC LIMIT ").append(limit);
        return new ListSql(sql.toString(), parameters);
    }

    /**
     * Files to (re)process here: RECEIVED, or PROCESSING left by a stop or a failure, whose bytes are in this file
     * store (or whose store is not recorded) and that no other instance holds a lease on.
     */
    public List<UUID> unfinished(String storeId, String instance, int limit) {
        return jdbc.queryForList("SELECT file_id FROM received_file WHERE status IN ('RECEIVED', 'PROCESSING') "
                + "AND (store_id IS NULL OR store_id = ?) AND (lease_holder IS NULL OR lease_holder = ? "
                + "OR lease_until < CURRENT_TIMESTAMP) ORDER BY received_at LIMIT " + limit, UUID.class, storeId,
                instance);
    }

    /** An unfinished file whose bytes are in another file store, with what is known of that store. */
    public record Elsewhere(UUID fileId, String partner, String storeId, String storedBy, String storeUsedBy,
                            String storeLocation, Instant storeSeenAt, boolean storeRunning) {
    }

    /**
     * Unfinished files that no instance holds a lease on and whose bytes are in another file store than this one:
     * they wait for an instance that uses that store ({@code storeRunning}: one did within {@code lease}).
     */
    public List<Elsewhere> unfinishedElsewhere(String storeId, Duration lease, int limit) {
        return jdbc.query("SELECT f.file_id, f.partner, f.store_id, f.stored_by, s.instance_id, s.location, "
                + "s.seen_at, CASE WHEN s.seen_at >= " + since("?") + " THEN 1 ELSE 0 END AS running "
                + "FROM received_file f LEFT JOIN file_store s ON s.store_id = f.store_id "
                + "WHERE f.status IN ('RECEIVED', 'PROCESSING') AND f.store_id <> ? "
                + "AND (f.lease_holder IS NULL OR f.lease_until < CURRENT_TIMESTAMP) ORDER BY f.received_at LIMIT "
                + limit, (rs, i) -> new Elsewhere(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), instant(rs, "seen_at"), rs.getInt(8) == 1),
                lease.toMillis(), storeId);
    }

    /** What is known of a file store: the instance that used it last, where, when, and whether within {@code lease}. */
    public Optional<Elsewhere> fileStore(String storeId, Duration lease) {
        return jdbc.query("SELECT instance_id, location, seen_at, CASE WHEN seen_at >= " + since("?")
                        + " THEN 1 ELSE 0 END AS running FROM file_store WHERE store_id = ?",
                (rs, i) -> new Elsewhere(null, null, storeId, null, rs.getString(1), rs.getString(2),
                        instant(rs, "seen_at"), rs.getInt(4) == 1), lease.toMillis(), storeId).stream().findFirst();
    }

    /** Records that this instance uses this file store now. */
    public void fileStoreSeen(String storeId, String instance, String location) {
        String update = "UPDATE file_store SET instance_id = ?, location = ?, seen_at = CURRENT_TIMESTAMP "
                + "WHERE store_id = ?";
        String where = truncate(location, 1000);
        if (jdbc.update(update, instance, where, storeId) == 0) {
            try {
                jdbc.update("INSERT INTO file_store (store_id, instance_id, location, seen_at) "
                        + "VALUES (?, ?, ?, CURRENT_TIMESTAMP)", storeId, instance, where);
            } catch (DuplicateKeyException another) {
                jdbc.update(update, instance, where, storeId);
            }
        }
    }

    // ---------------------------------------------------------------- leases

    /** The database's time plus a number of milliseconds given as parameter (H2 and PostgreSQL). */
    private static final String LEASE_END = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";

    private static String since(String millisParameter) {
        return "CURRENT_TIMESTAMP - CAST(" + millisParameter + " AS BIGINT) * INTERVAL '0.001' SECOND";
    }

    /**
     * Takes the lease on an unfinished file for {@code instance}, if it is free, expired or already this instance's:
     * one conditional UPDATE, so that of two instances claiming at once one only gets it. Times are the database's.
     */
    public boolean claim(UUID fileId, String instance, Duration lease) {
        return jdbc.update("UPDATE received_file SET lease_holder = ?, lease_until = " + LEASE_END + " WHERE file_id = ? "
                + "AND status IN ('RECEIVED', 'PROCESSING') AND (lease_holder IS NULL OR lease_holder = ? "
                + "OR lease_until < CURRENT_TIMESTAMP)", instance, lease.toMillis(), fileId, instance) == 1;
    }

    /** Extends the lease that {@code instance} holds; false when it no longer holds it (another took it over). */
    public boolean renew(UUID fileId, String instance, Duration lease) {
        return jdbc.update("UPDATE received_file SET lease_until = " + LEASE_END + " WHERE file_id = ? "
                + "AND lease_holder = ?", lease.toMillis(), fileId, instance) == 1;
    }

    /** Gives the lease back (when {@code instance} still holds it). */
    public void release(UUID fileId, String instance) {
        jdbc.update("UPDATE received_file SET lease_holder = NULL, lease_until = NULL WHERE file_id = ? "
                + "AND lease_holder = ?", fileId, instance);
    }

    /** Thrown when a file is recorded twice under one id: by two instances that took it from one inbox folder. */
    public static final class AlreadyRecordedException extends IllegalStateException {
        public AlreadyRecordedException(UUID fileId) {
            super("file " + fileId + " is recorded already");
        }
    }

    /** Thrown when an instance writes to a file whose lease another instance took over: nothing is written. */
    public static final class LeaseLostException extends IllegalStateException {
        public LeaseLostException(UUID fileId, String instance) {
            super("instance " + instance + " no longer holds the lease on file " + fileId);
        }
    }

    private static void mustHold(int updated, UUID fileId, String holder) {
        if (updated == 0) {
            throw new LeaseLostException(fileId, holder);
        }
    }

    /**
     * Starts (or restarts from the beginning) the processing of a file: counts and rejections are reset. Only by the
     * holder of its lease ({@link LeaseLostException} otherwise, nothing changed).
     */
    public void start(UUID fileId, String holder, Instant now) {
        tx.executeWithoutResult(s -> {
            mustHold(jdbc.update("UPDATE received_file SET status = 'PROCESSING', attempts = attempts + 1, "
                            + "started_at = ?, progress_at = ?, records_total = NULL, records_done = 0, accepted = 0, "
                            + "unchanged = 0, rejected = 0 WHERE file_id = ? AND lease_holder = ?",
                    Timestamp.from(now), Timestamp.from(now), fileId, holder), fileId, holder);
            jdbc.update("DELETE FROM received_file_rejection WHERE file_id = ?", fileId);
        });
    }

    /**
     * Sets the file's attempts back to {@code attempts} (what they were before this holder started it): its reading
     * was stopped by the gateway's stop, which is no failed attempt. Only by the holder of its lease; nothing when
     * another instance took it over.
     */
    public void attemptNotCounted(UUID fileId, String holder, int attempts) {
        jdbc.update("UPDATE received_file SET attempts = ? WHERE file_id = ? AND lease_holder = ? AND attempts > ?",
                attempts, fileId, holder, attempts);
    }

    /** The file's records as the validation pass counted them, written by the holder of its lease only. */
    public void total(UUID fileId, String holder, long recordsTotal) {
        mustHold(jdbc.update("UPDATE received_file SET records_total = ? WHERE file_id = ? AND lease_holder = ?",
                recordsTotal, fileId, holder), fileId, holder);
    }

    /** Runs {@code work} in one transaction (joins the caller's when there is one). */
    public void inTransaction(Runnable work) {
        tx.executeWithoutResult(status -> work.run());
    }

    /**
     * Progress so far, with the rejections found since the last call (kept up to {@link #MAX_REJECTIONS_KEPT}); in
     * the caller's transaction (its batch's), which a {@link LeaseLostException} rolls back when {@code holder} no
     * longer holds the file's lease.
     */
    public void progress(UUID fileId, String holder, Counts counts, List<Rejection> newRejections, Instant now) {
        tx.executeWithoutResult(s -> {
            mustHold(jdbc.update("UPDATE received_file SET records_done = ?, accepted = ?, unchanged = ?, rejected = ?, "
                            + "progress_at = ? WHERE file_id = ? AND lease_holder = ?", counts.done(),
                    counts.accepted(), counts.unchanged(), counts.rejected(), Timestamp.from(now), fileId, holder),
                    fileId, holder);
            if (!newRejections.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO received_file_rejection (file_id, seq, location, reason) VALUES (?,?,?,?)",
                        newRejections, newRejections.size(), (ps, r) -> {
                            ps.setObject(1, fileId, Types.OTHER);
                            ps.setInt(2, r.seq());
                            ps.setString(3, truncate(r.location(), 500));
                            ps.setString(4, truncate(r.reason(), 2000));
                        });
            }
        });
    }

    /** The file is read to its end: DONE, audited FILE_PROCESSED with its counts; its lease is released. */
    public void done(UUID fileId, String holder, String facts, Instant now) {
        tx.executeWithoutResult(s -> {
            mustHold(jdbc.update("UPDATE received_file SET status = 'DONE', finished_at = ?, facts = ?, "
                            + "lease_holder = NULL, lease_until = NULL WHERE file_id = ? AND lease_holder = ?",
                    Timestamp.from(now), truncate(facts, 4000), fileId, holder), fileId, holder);
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
        quarantine(fileId, null, reason, location, now);
    }

    /**
     * {@link #quarantine(UUID, String, String, Instant)} by the holder of the file's lease ({@code null}: before
     * anyone processes it), which it releases.
     */
    public void quarantine(UUID fileId, String holder, String reason, String location, Instant now) {
        tx.executeWithoutResult(s -> {
            int updated = jdbc.update("UPDATE received_file SET status = 'QUARANTINED', finished_at = ?, "
                            + "quarantine_reason = ?, quarantine_location = ?, lease_holder = NULL, lease_until = NULL "
                            + "WHERE file_id = ?" + (holder == null ? "" : " AND lease_holder = ?"),
                    holder == null ? new Object[] {Timestamp.from(now), truncate(reason, 1000), truncate(location, 500),
                            fileId} : new Object[] {Timestamp.from(now), truncate(reason, 1000),
                            truncate(location, 500), fileId, holder});
            if (holder != null) {
                mustHold(updated, fileId, holder);
            }
            jdbc.update("DELETE FROM received_file_digest WHERE file_id = ?", fileId);
            ReceivedFile file = find(fileId).orElseThrow();
            audit.append(fileEvent(AuditEventType.FILE_QUARANTINED, file.partner(), file.digest()).withDetail("file "
                    + fileId + " quarantined" + (location == null || location.isBlank() ? "" : " at " + location)
                    + ": " + reason));
        });
    }

    /**
     * An administrator's quarantine of an unfinished file that no instance is reading (no lease, or an expired one):
     * typically one whose bytes are in a file store no running instance uses. One conditional UPDATE, so that an
     * instance claiming the file at the same moment either gets it first (then nothing is changed here) or cannot
     * claim it any more. The file's report says only that an administrator quarantined it ({@link
     * #QUARANTINED_BY_ADMIN}); the administrator's reason, typed by a person, goes to the FILE_QUARANTINED audit
     * event's detail only, with the administrator as actor. The digest is released, as for any quarantine.
     *
     * @return false when nothing was changed: the file is unknown, finished, or an instance holds a valid lease on it
     */
    public boolean quarantineUnread(UUID fileId, String admin, String reason, Instant now) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            ReceivedFile before = find(fileId).orElse(null);
            if (before == null || jdbc.update("UPDATE received_file SET status = 'QUARANTINED', finished_at = ?, "
                    + "quarantine_reason = ?, quarantine_location = NULL, lease_holder = NULL, lease_until = NULL "
                    + "WHERE file_id = ? AND status IN ('RECEIVED', 'PROCESSING') AND (lease_holder IS NULL "
                    + "OR lease_until < CURRENT_TIMESTAMP)", Timestamp.from(now), QUARANTINED_BY_ADMIN, fileId) == 0) {
                return false;
            }
            jdbc.update("DELETE FROM received_file_digest WHERE file_id = ?", fileId);
            audit.append(AuditEvent.of(AuditEventType.FILE_QUARANTINED, null, admin)
                    .withExchange(before.partner(), null, null, null, before.digest(), null, null)
                    .withDetail("file " + fileId + " quarantined by an administrator (it was " + before.status()
                            + ", " + before.attempts() + " attempt(s), bytes in file store " + before.storeId()
                            + " received by instance " + before.storedBy() + "): " + reason));
            return true;
        }));
    }

    /** The reason a file's report gives for an administrator's quarantine (the administrator's own is audited). */
    public static final String QUARANTINED_BY_ADMIN = "quarantined by an administrator before it was read to its end: "
            + "the same file may be sent again (records an earlier attempt accepted, if any, stay accepted)";

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
    /**
     * @param previousDigest the content digest {@link #fingerprints} found for the record (the one this new content
     *                       replaces), null when it found none
     */
    public record Fingerprint(String partner, String changeKeyHash, String recordType, String contentDigest,
                              UUID exchangeId, Instant at, String previousDigest) {
        boolean known() {
            return previousDigest != null;
        }
    }

    /**
     * Another file of the partner, read at the same time, accepted a new version of one of the records of this batch
     * since their fingerprints were read: both files found the record changed, and both would emit the change. The
     * batch is rolled back (its exchanges with it) and the file read again from its beginning, when the records the
     * other file accepted are unchanged.
     */
    public static final class FingerprintConflict extends RuntimeException {
        FingerprintConflict() {
            super("another file of the partner changed some of the same records meanwhile");
        }
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
     * its batch's): the ones {@link #fingerprints} found are updated if they still hold the digest it found, the others
     * inserted (no update is tried for a key known to be absent: on a first load that was one wasted index search per
     * record). When another file of the same partner inserted or changed one of them meanwhile (the insert fails with
     * a duplicate key, the update finds no row), both files took the record for a change:
     * {@link FingerprintConflict} rolls the caller's transaction back, and the file is read again.
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
                    ps.setString(7, f.previousDigest());
                })[0];
        for (int n : updated) {
            if (n == 0) { // changed (or deleted) since it was read
                throw new FingerprintConflict();
            }
        }
        List<Fingerprint> missing = fingerprints.stream().filter(f -> !f.known()).toList();
        try {
            jdbc.batchUpdate(INSERT_FINGERPRINT, missing, missing.size(), (ps, f) -> {
                ps.setString(1, f.partner());
                ps.setString(2, f.changeKeyHash());
                ps.setString(3, f.recordType());
                ps.setString(4, f.contentDigest());
                ps.setObject(5, f.exchangeId());
                ps.setTimestamp(6, Timestamp.from(f.at()));
            });
        } catch (DuplicateKeyException insertedMeanwhile) {
            // not the intake's duplicate (an exchange id): the whole batch is to be read again
            throw new FingerprintConflict();
        }
    }

    /** Which of these file ids have a row. */
    public Set<UUID> existing(List<UUID> fileIds) {
        if (fileIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("SELECT file_id FROM received_file WHERE file_id IN ("
                + String.join(",", java.util.Collections.nCopies(fileIds.size(), "?")) + ")", UUID.class,
                fileIds.toArray()));
    }

    /**
     * Files of file store {@code storeId} (or received before stores were recorded) finished (DONE, QUARANTINED) at
     * or before {@code finishedBefore} whose bytes are still kept, oldest first.
     */
    public List<UUID> finishedWithBytes(String storeId, Instant finishedBefore, int limit) {
        return jdbc.query("SELECT file_id FROM received_file WHERE status IN ('DONE', 'QUARANTINED') "
                        + "AND bytes_deleted_at IS NULL AND finished_at <= ? AND (store_id = ? OR store_id IS NULL) "
                        + "ORDER BY finished_at, file_id LIMIT ?",
                (rs, i) -> rs.getObject(1, UUID.class), Timestamp.from(finishedBefore), storeId, limit);
    }

    /**
     * Records that a finished file's bytes were deleted, audited FILE_BYTES_DELETED (the partner, the file's SHA-256,
     * its id and the retention); false when another instance sharing the store recorded it first.
     */
    public boolean bytesDeleted(UUID fileId, Instant at, Duration retention) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (jdbc.update("UPDATE received_file SET bytes_deleted_at = ? WHERE file_id = ? "
                    + "AND bytes_deleted_at IS NULL", Timestamp.from(at), fileId) != 1) {
                return false;
            }
            ReceivedFile file = find(fileId).orElseThrow();
            audit.append(fileEvent(AuditEventType.FILE_BYTES_DELETED, file.partner(), file.digest()).withDetail("file "
                    + fileId + " (" + file.status().name() + "): bytes deleted, retention " + retention + " over"));
            return true;
        }));
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
                rs.getString("facts"), rs.getString("store_id"), rs.getString("stored_by"),
                rs.getString("lease_holder"), instant(rs, "lease_until"), instant(rs, "bytes_deleted_at"));
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
