package fr.spie.gateway.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Exchanges, their envelope copies and their deliveries, in the database. */
@Repository
public class ExchangeStore {
    private final JdbcTemplate jdbc;

    public ExchangeStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An accepted exchange to store with its envelope copy and its deliveries. */
    public record NewExchange(StoredExchange exchange, String envelopeJson, List<NewDelivery> deliveries) {
    }

    /**
     * Stores exchanges, their envelope copies and deliveries with one batched statement per table.
     *
     * @throws org.springframework.dao.DuplicateKeyException when an exchange id is already known
     */
    public void insertAll(List<NewExchange> exchanges) {
        if (exchanges.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT_EXCHANGE, exchanges, exchanges.size(), (ps, n) -> bind(ps, n.exchange()));
        jdbc.batchUpdate("INSERT INTO exchange_payload (exchange_id, envelope, stored_at) VALUES (?,?,?)",
                exchanges, exchanges.size(), (ps, n) -> {
                    ps.setObject(1, n.exchange().exchangeId(), Types.OTHER);
                    ps.setString(2, n.envelopeJson());
                    ps.setTimestamp(3, Timestamp.from(n.exchange().receivedAt()));
                });
        List<Object[]> deliveries = new java.util.ArrayList<>();
        for (NewExchange n : exchanges) {
            for (NewDelivery d : n.deliveries()) {
                deliveries.add(new Object[] {n.exchange().exchangeId(), d, n.exchange().receivedAt()});
            }
        }
        jdbc.batchUpdate(INSERT_DELIVERY,
                deliveries, deliveries.size(), (ps, row) -> {
                    NewDelivery d = (NewDelivery) row[1];
                    Timestamp at = Timestamp.from((Instant) row[2]);
                    ps.setObject(1, row[0], Types.OTHER);
                    ps.setString(2, d.recipient());
                    ps.setString(3, d.routeId());
                    ps.setString(4, d.status().name());
                    ps.setString(5, d.reason());
                    ps.setString(6, d.blockRule());
                    ps.setTimestamp(7, at);
                    ps.setTimestamp(8, at);
                });
    }

    /** The content digests of those of these exchanges that are already stored. */
    public java.util.Map<UUID, String> contentDigests(List<UUID> exchangeIds) {
        java.util.Map<UUID, String> found = new java.util.HashMap<>();
        if (exchangeIds.isEmpty()) {
            return found;
        }
        for (int from = 0; from < exchangeIds.size(); from += 500) {
            List<UUID> slice = exchangeIds.subList(from, Math.min(exchangeIds.size(), from + 500));
            String marks = String.join(",", java.util.Collections.nCopies(slice.size(), "?"));
            jdbc.query("SELECT exchange_id, content_digest FROM exchange WHERE exchange_id IN (" + marks + ")",
                    rs -> {
                        found.put(UUID.fromString(rs.getString(1)), trim(rs.getString(2)));
                    }, slice.toArray());
        }
        return found;
    }

    private static final String INSERT_DELIVERY = "INSERT INTO delivery (exchange_id, recipient, route_id, status, "
            + "attempts, last_error, block_rule, enqueued, created_at, updated_at) VALUES (?,?,?,?,0,?,?,FALSE,?,?)";

    private static final String INSERT_EXCHANGE = "INSERT INTO exchange (exchange_id, source_partner, record_type, "
            + "schema_version, purpose, legal_basis_type, content_digest, payload_digest, subject_pseudonym, "
            + "config_version, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)";

    private static void bind(java.sql.PreparedStatement ps, StoredExchange e) throws java.sql.SQLException {
        ps.setObject(1, e.exchangeId(), Types.OTHER);
        ps.setString(2, e.sourcePartner());
        ps.setString(3, e.recordType());
        ps.setString(4, e.schemaVersion());
        ps.setString(5, e.purpose());
        ps.setString(6, e.legalBasisType());
        ps.setString(7, e.contentDigest());
        ps.setString(8, e.payloadDigest());
        ps.setString(9, e.subjectPseudonym());
        ps.setString(10, e.configVersion());
        ps.setTimestamp(11, Timestamp.from(e.receivedAt()));
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the exchange id is already known */
    public void insert(StoredExchange e, String envelopeJson) {
        jdbc.update(INSERT_EXCHANGE, ps -> bind(ps, e));
        jdbc.update("INSERT INTO exchange_payload (exchange_id, envelope, stored_at) VALUES (?,?,?)",
                ps -> {
                    ps.setObject(1, e.exchangeId(), Types.OTHER);
                    ps.setString(2, envelopeJson);
                    ps.setTimestamp(3, Timestamp.from(e.receivedAt()));
                });
    }

    public void insertDeliveries(UUID exchangeId, List<NewDelivery> deliveries, Instant now) {
        jdbc.batchUpdate(INSERT_DELIVERY,
                deliveries, deliveries.size(), (ps, d) -> {
                    ps.setObject(1, exchangeId, Types.OTHER);
                    ps.setString(2, d.recipient());
                    ps.setString(3, d.routeId());
                    ps.setString(4, d.status().name());
                    ps.setString(5, d.reason());
                    ps.setString(6, d.blockRule());
                    ps.setTimestamp(7, Timestamp.from(now));
                    ps.setTimestamp(8, Timestamp.from(now));
                });
    }

    public Optional<StoredExchange> find(UUID exchangeId) {
        return jdbc.query("SELECT * FROM exchange WHERE exchange_id = ?", ExchangeStore::mapExchange, exchangeId)
                .stream().findFirst();
    }

    public List<DeliveryRow> deliveries(UUID exchangeId) {
        return jdbc.query("SELECT * FROM delivery WHERE exchange_id = ? ORDER BY created_at, recipient",
                ExchangeStore::mapDelivery,
                exchangeId);
    }

    public Optional<String> envelope(UUID exchangeId) {
        return jdbc.query("SELECT envelope FROM exchange_payload WHERE exchange_id = ?",
                (rs, i) -> rs.getString(1), exchangeId).stream().findFirst();
    }

    /**
     * Locks the exchange's envelope copy until the end of the transaction (payload retention takes the same lock before
     * it deletes a copy, and then checks the deliveries again): whether the copy is still kept.
     */
    public boolean lockEnvelope(UUID exchangeId) {
        return !jdbc.queryForList("SELECT exchange_id FROM exchange_payload WHERE exchange_id = ? FOR UPDATE",
                exchangeId).isEmpty();
    }

    public void markEnqueued(List<QueuedDelivery> deliveries) {
        jdbc.batchUpdate("UPDATE delivery SET enqueued = TRUE WHERE exchange_id = ? AND recipient = ?",
                deliveries, deliveries.size(), (ps, d) -> {
                    ps.setObject(1, d.exchangeId(), Types.OTHER);
                    ps.setString(2, d.recipient());
                });
    }

    /**
     * The deliveries not finished yet (pending or failed) to recipients other than {@code recipients}, oldest first:
     * exchange id and recipient.
     */
    public List<QueuedDelivery> unfinishedExcept(java.util.Set<String> recipients) {
        List<Object> args = new java.util.ArrayList<>(recipients);
        String notIn = recipients.isEmpty() ? ""
                : " AND d.recipient NOT IN (" + String.join(", ", java.util.Collections.nCopies(recipients.size(), "?"))
                + ")";
        return jdbc.query("SELECT d.exchange_id, d.recipient, d.route_id, d.replays FROM delivery d "
                        + "WHERE d.status IN ('PENDING', 'FAILED')" + notIn + " ORDER BY d.created_at",
                (rs, i) -> new QueuedDelivery(UUID.fromString(rs.getString(1)), rs.getString(2), rs.getString(3),
                        null, rs.getInt(4)),
                args.toArray());
    }

    /** Pending deliveries not yet on their queue, oldest first. */
    public List<QueuedDelivery> unqueued(int limit) {
        return jdbc.query("SELECT d.exchange_id, d.recipient, d.route_id, e.subject_pseudonym, d.replays "
                        + "FROM delivery d "
                        + "JOIN exchange e ON e.exchange_id = d.exchange_id "
                        + "WHERE d.enqueued = FALSE AND d.status = 'PENDING' "
                        + "ORDER BY d.created_at LIMIT ?",
                (rs, i) -> new QueuedDelivery(UUID.fromString(rs.getString(1)), rs.getString(2), rs.getString(3),
                        trim(rs.getString(4)), rs.getInt(5)),
                limit);
    }

    /**
     * A page of a recipient's dead letters (or every recipient's when null), oldest dead letter first: metadata only.
     */
    public List<DeadLetter> deadLetters(String recipient, String recordType, int limit, long offset) {
        return deadLetters(recipient, recordType, false, limit, offset);
    }

    /**
     * @param withCopyOnly only the dead letters whose envelope copy is still kept (the others cannot be replayed,
     *                     only discarded)
     */
    public List<DeadLetter> deadLetters(String recipient, String recordType, boolean withCopyOnly, int limit,
                                        long offset) {
        List<Object> args = new java.util.ArrayList<>();
        String where = deadLetterWhere(recipient, recordType, args)
                + (withCopyOnly ? " AND EXISTS (SELECT 1 FROM exchange_payload p WHERE p.exchange_id = d.exchange_id)"
                : "");
        args.add(limit);
        args.add(offset);
        return jdbc.query("SELECT d.exchange_id, d.recipient, d.route_id, e.record_type, e.source_partner, "
                        + "d.attempts, d.last_error, d.updated_at, d.replays, "
                        + "(SELECT COUNT(*) FROM exchange_payload p WHERE p.exchange_id = d.exchange_id) AS copies "
                        + "FROM delivery d JOIN exchange e ON e.exchange_id = d.exchange_id" + where
                        + " ORDER BY d.updated_at, d.exchange_id LIMIT ? OFFSET ?",
                (rs, i) -> new DeadLetter(UUID.fromString(rs.getString("exchange_id")), rs.getString("recipient"),
                        rs.getString("route_id"), rs.getString("record_type"), rs.getString("source_partner"),
                        rs.getInt("attempts"), rs.getString("last_error"), instant(rs, "updated_at"),
                        rs.getInt("replays"), rs.getInt("copies") > 0),
                args.toArray());
    }

    /** How many dead letters match (same filter as {@link #deadLetters}). */
    public long countDeadLetters(String recipient, String recordType) {
        List<Object> args = new java.util.ArrayList<>();
        String where = deadLetterWhere(recipient, recordType, args);
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM delivery d JOIN exchange e "
                + "ON e.exchange_id = d.exchange_id" + where, Long.class, args.toArray());
        return count == null ? 0 : count;
    }

    private static String deadLetterWhere(String recipient, String recordType, List<Object> args) {
        StringBuilder where = new StringBuilder(" WHERE d.status = 'DEAD_LETTERED'");
        if (recipient != null) {
            where.append(" AND d.recipient = ?");
            args.add(recipient);
        }
        if (recordType != null) {
            where.append(" AND e.record_type = ?");
            args.add(recordType);
        }
        return where.toString();
    }

    /**
     * Locks the delivery's row until the end of the transaction, if it still is a dead letter: a replay or a discard
     * of it at that moment ({@link #requeueDeadLetter}, {@link #closeDeadLetter}) waits, then finds it changed or not.
     *
     * @return whether it still is a dead letter
     */
    public boolean lockDeadLetter(UUID exchangeId, String recipient) {
        return jdbc.queryForList("SELECT status FROM delivery WHERE exchange_id = ? AND recipient = ? FOR UPDATE",
                String.class, exchangeId, recipient).stream().anyMatch(DeliveryStatus.DEAD_LETTERED.name()::equals);
    }

    /**
     * Puts a dead letter back in the outbox: PENDING, attempts counted afresh, one more replay (a new broker duplicate
     * id). Conditional on the delivery still being dead-lettered, so that two admins (or two instances) replaying the
     * same dead letter queue it once.
     *
     * @return whether this call replayed it
     */
    public boolean requeueDeadLetter(UUID exchangeId, String recipient, Instant now) {
        return jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0, last_error = NULL, enqueued = FALSE, "
                        + "replays = replays + 1, updated_at = ? WHERE exchange_id = ? AND recipient = ? "
                        + "AND status = 'DEAD_LETTERED'",
                Timestamp.from(now), exchangeId, recipient) == 1;
    }

    /**
     * Puts the pending deliveries marked queued back in the outbox (of one recipient, or of all when null), each with
     * one more replay (a new broker duplicate id): their tasks may be lost (a database restored without the broker's
     * journal).
     *
     * @return how many
     */
    public int requeuePending(String recipient, Instant now) {
        String sql = "UPDATE delivery SET enqueued = FALSE, replays = replays + 1, updated_at = ? "
                + "WHERE status = 'PENDING' AND enqueued = TRUE";
        return recipient == null ? jdbc.update(sql, Timestamp.from(now))
                : jdbc.update(sql + " AND recipient = ?", Timestamp.from(now), recipient);
    }

    /**
     * Moves a dead letter to {@code status} (DISCARDED or BLOCKED) with a reason, if it still is a dead letter.
     *
     * @param blockRule the code of the rule that blocks it (BLOCKED), null otherwise
     * @return whether this call changed it
     */
    public boolean closeDeadLetter(UUID exchangeId, String recipient, DeliveryStatus status, String reason,
                                   String blockRule, Instant now) {
        return jdbc.update("UPDATE delivery SET status = ?, last_error = ?, block_rule = ?, updated_at = ? "
                        + "WHERE exchange_id = ? AND recipient = ? AND status = 'DEAD_LETTERED'",
                status.name(), reason, blockRule, Timestamp.from(now), exchangeId, recipient) == 1;
    }

    /**
     * A recipient's deliveries waiting (pending or failed), each the first not settled of its person for this
     * recipient — so that delivering it keeps the person's records in order —, least recently tried first. Runs while
     * a recipient is down, when its backlog may hold millions of rows: the candidates are read in index order
     * ({@code delivery_status_recipient}, {@code LIMIT}), and each one's person by the audit trail's index on
     * pseudonyms, never a scan of the backlog per candidate.
     */
    public List<UUID> waitingFirstOfTheirPerson(String recipient, int limit) {
        record Candidate(UUID id, Timestamp createdAt, Timestamp updatedAt, String pseudonym) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (String status : List.of("FAILED", "PENDING")) {
            candidates.addAll(jdbc.query("SELECT d.exchange_id, d.created_at, d.updated_at, e.subject_pseudonym "
                            + "FROM delivery d JOIN exchange e ON e.exchange_id = d.exchange_id "
                            + "WHERE d.recipient = ? AND d.status = ? ORDER BY d.updated_at LIMIT ?",
                    (rs, i) -> new Candidate(UUID.fromString(rs.getString(1)), rs.getTimestamp(2),
                            rs.getTimestamp(3), trim(rs.getString(4))), recipient, status, limit));
        }
        candidates.sort(java.util.Comparator.comparing(Candidate::updatedAt).thenComparing(Candidate::createdAt));
        List<UUID> found = new ArrayList<>();
        for (Candidate c : candidates) {
            if (found.size() == limit) {
                break;
            }
            if (c.pseudonym() == null || jdbc.query("SELECT 1 FROM audit_event a JOIN delivery d "
                            + "ON d.exchange_id = a.exchange_id AND d.recipient = ? WHERE a.subject_pseudonym = ? "
                            + "AND d.status IN ('PENDING', 'FAILED') AND d.created_at < ? LIMIT 1",
                    (rs, i) -> 1, recipient, c.pseudonym(), c.createdAt()).isEmpty()) {
                found.add(c.id());
            }
        }
        return found;
    }

    /**
     * What a delivery attempt needs, read in one query: the exchange, its envelope and the delivery as it stands;
     * empty when the exchange or the delivery is unknown.
     */
    public Optional<PendingAttempt> pendingAttempt(UUID exchangeId, String recipient) {
        return jdbc.query("SELECT e.*, p.envelope, d.route_id, d.status, d.attempts FROM delivery d "
                        + "JOIN exchange e ON e.exchange_id = d.exchange_id "
                        + "JOIN exchange_payload p ON p.exchange_id = d.exchange_id "
                        + "WHERE d.exchange_id = ? AND d.recipient = ?",
                (rs, i) -> new PendingAttempt(mapExchange(rs, i), rs.getString("envelope"), rs.getString("route_id"),
                        DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts")),
                exchangeId, recipient).stream().findFirst();
    }

    /**
     * Records the outcome of one attempt: one more attempt counted, and the new status; with the digest of the body
     * sent when it was delivered (kept for the recipient's acknowledgement), null otherwise.
     */
    public void recordAttempt(UUID exchangeId, String recipient, DeliveryStatus status, String lastError,
                              String sentDigest, Instant now) {
        boolean delivered = status == DeliveryStatus.DELIVERED;
        jdbc.update("UPDATE delivery SET attempts = attempts + 1, status = ?, last_error = ?, updated_at = ?, "
                        + "delivered_at = ?" + (sentDigest == null ? "" : ", sent_digest = ?")
                        + " WHERE exchange_id = ? AND recipient = ?",
                sentDigest == null
                        ? new Object[] {status.name(), lastError, Timestamp.from(now),
                                delivered ? Timestamp.from(now) : null, exchangeId, recipient}
                        : new Object[] {status.name(), lastError, Timestamp.from(now),
                                delivered ? Timestamp.from(now) : null, sentDigest, exchangeId, recipient});
    }

    /** Records a failed probe of a recipient that is down: the error, but no attempt counted. */
    public void recordProbe(UUID exchangeId, String recipient, String lastError, Instant now) {
        jdbc.update("UPDATE delivery SET status = 'FAILED', last_error = ?, updated_at = ? WHERE exchange_id = ? "
                        + "AND recipient = ?", lastError, Timestamp.from(now), exchangeId, recipient);
    }

    public Optional<DeliveryRow> delivery(UUID exchangeId, String recipient) {
        return jdbc.query("SELECT * FROM delivery WHERE exchange_id = ? AND recipient = ?",
                ExchangeStore::mapDelivery,
                exchangeId, recipient).stream().findFirst();
    }

    /** @param blockRule the code of the rule that blocks the delivery (BLOCKED), null otherwise */
    public void updateStatus(UUID exchangeId, String recipient, DeliveryStatus status, String lastError,
                             String blockRule, Instant now) {
        jdbc.update("UPDATE delivery SET status = ?, last_error = ?, block_rule = ?, updated_at = ?, delivered_at = ? "
                        + "WHERE exchange_id = ? AND recipient = ?",
                status.name(), lastError, blockRule, Timestamp.from(now),
                status == DeliveryStatus.DELIVERED ? Timestamp.from(now) : null, exchangeId, recipient);
    }

    /** Marks a delivery acknowledged by its recipient; false if it already was. */
    public boolean markAcknowledged(UUID exchangeId, String recipient, Instant at) {
        return jdbc.update("UPDATE delivery SET acknowledged_at = ? WHERE exchange_id = ? AND recipient = ? "
                + "AND acknowledged_at IS NULL", Timestamp.from(at), exchangeId, recipient) == 1;
    }

    private static DeliveryRow mapDelivery(ResultSet rs, int row) throws SQLException {
        return new DeliveryRow(rs.getString("recipient"), rs.getString("route_id"),
                DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getString("last_error"),
                instant(rs, "updated_at"), instant(rs, "delivered_at"), trim(rs.getString("sent_digest")),
                instant(rs, "acknowledged_at"), rs.getString("block_rule"));
    }

    private static StoredExchange mapExchange(ResultSet rs, int row) throws SQLException {
        return new StoredExchange(UUID.fromString(rs.getString("exchange_id")), rs.getString("source_partner"),
                rs.getString("record_type"), rs.getString("schema_version"), rs.getString("purpose"),
                rs.getString("legal_basis_type"), trim(rs.getString("content_digest")),
                trim(rs.getString("payload_digest")), trim(rs.getString("subject_pseudonym")),
                trim(rs.getString("config_version")), instant(rs, "received_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static String trim(String fixedWidth) {
        return fixedWidth == null ? null : fixedWidth.trim();
    }

    /**
     * A delivery to create with an accepted exchange.
     *
     * @param blockRule the code of the rule that blocks it (status BLOCKED), null otherwise
     */
    public record NewDelivery(String recipient, String routeId, DeliveryStatus status, String reason,
                              String blockRule) {

        public NewDelivery(String recipient, String routeId, DeliveryStatus status, String reason) {
            this(recipient, routeId, status, reason, null);
        }
    }

    /** An exchange and its delivery to one recipient, as a delivery attempt reads them. */
    public record PendingAttempt(StoredExchange exchange, String envelope, String routeId, DeliveryStatus status,
                                 int attempts) {
    }

    /**
     * What is needed to (re-)enqueue a delivery.
     *
     * @param replays how many times an admin replayed it (0 for a first delivery): part of the broker's duplicate id
     */
    public record QueuedDelivery(UUID exchangeId, String recipient, String routeId, String subjectPseudonym,
                                 int replays) {

        public QueuedDelivery(UUID exchangeId, String recipient, String routeId, String subjectPseudonym) {
            this(exchangeId, recipient, routeId, subjectPseudonym, 0);
        }
    }

    /**
     * A dead letter, as an admin sees it: metadata only, never the envelope.
     *
     * @param deadLetteredAt  when the delivery was dead-lettered
     * @param replays         how many times it was replayed before
     * @param replayable      whether its envelope copy is still kept (deleted at the end of retention: then it can
     *                        only be discarded)
     */
    public record DeadLetter(UUID exchangeId, String recipient, String routeId, String recordType,
                             String sourcePartner, int attempts, String lastError, Instant deadLetteredAt,
                             int replays, boolean replayable) {
    }
}
