package fr.spie.gateway.ledger.db;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * Plain-JDBC access to the ledger tables {@code ledger_entry} and {@code ledger_tail} (schema V6), the audit rows
 * they refer to, and {@code tree_head} (schema V3). Works on H2 (MODE=PostgreSQL) and PostgreSQL; used by the
 * gateway's writer and by the CLI, so it needs no framework. The writer only ever INSERTs ledger entries: audit rows
 * are never updated.
 */
public final class LedgerDb {
    private static final String INSERT_ENTRY = "INSERT INTO ledger_entry (ledger_index, seq, leaf_hash) VALUES (?,?,?)";
    private static final String UPDATE_HORIZON = "UPDATE ledger_tail SET horizon_seq = ? WHERE id = 1";

    private final DataSource dataSource;

    public LedgerDb(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The committed audit rows that are not in the ledger, in seq order (every one: an anti-join above the
     * writer's horizon, see {@link #horizon()}).
     */
    public List<AuditRow> pending(int limit) {
        long horizon = horizon();
        return query("SELECT " + AuditRow.PENDING_COLUMNS + " FROM audit_event a WHERE a.seq > ? AND NOT EXISTS "
                        + "(SELECT 1 FROM ledger_entry e WHERE e.seq = a.seq) ORDER BY a.seq LIMIT ?",
                ps -> {
                    ps.setLong(1, horizon);
                    ps.setInt(2, limit);
                });
    }

    /** Number of committed audit rows that are not in the ledger. */
    public long pendingCount() {
        return single("SELECT COUNT(*) FROM audit_event a WHERE a.seq > ? AND NOT EXISTS "
                + "(SELECT 1 FROM ledger_entry e WHERE e.seq = a.seq)", horizon());
    }

    /** Recorded time of the oldest committed audit row that is not in the ledger, or null. */
    public Instant oldestPending() {
        long horizon = horizon();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT MIN(a.recorded_at) FROM audit_event a WHERE a.seq > ? "
                     + "AND NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e.seq = a.seq)")) {
            ps.setLong(1, horizon);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                return t == null ? null : t.toInstant();
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot read the oldest pending audit row", e);
        }
    }

    /**
     * The writer's horizon: every audit seq at or below it is in the ledger or was given up as never committed.
     * Rows not in the ledger can only have a larger seq.
     */
    public long horizon() {
        return single("SELECT horizon_seq FROM ledger_tail WHERE id = 1");
    }

    /** Records a new horizon (outside a batch: when holes were given up with no row to append). */
    public void setHorizon(long horizonSeq) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(UPDATE_HORIZON)) {
            ps.setLong(1, horizonSeq);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("ledger_tail has no row (schema V6 not applied?)");
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot record the ledger horizon", e);
        }
    }

    /** The largest audit seq in the ledger, 0 when the ledger is empty. */
    public long lastLedgerSeq() {
        return single("SELECT COALESCE(MAX(seq), 0) FROM ledger_entry");
    }

    /** Passes the seqs in the ledger within (after, upTo], in increasing order, to {@code consumer}. */
    public void forEachLedgerSeq(long after, long upTo, LongConsumer consumer) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT seq FROM ledger_entry WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    consumer.accept(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot read ledger seqs", e);
        }
    }

    /** The committed audit rows with seq above {@code seq}, in seq order: the writer's tail. */
    public List<AuditRow> after(long seq, int limit) {
        return query("SELECT " + AuditRow.PENDING_COLUMNS + " FROM audit_event a WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
                ps -> {
                    ps.setLong(1, seq);
                    ps.setInt(2, limit);
                });
    }

    /**
     * The committed audit rows with a seq in any of the inclusive ranges {@code [ranges[2i], ranges[2i+1]]} and not
     * in the ledger, in seq order (at most {@code limit}): rows that committed after the writer's tail passed them.
     */
    public List<AuditRow> inRanges(long[] ranges, int limit) {
        if (ranges.length == 0 || ranges.length % 2 != 0) {
            throw new IllegalArgumentException("ranges must be non-empty pairs");
        }
        // one primary-key range per branch: H2 would scan the whole table for "seq BETWEEN .. OR seq BETWEEN .."
        StringBuilder sql = new StringBuilder("SELECT * FROM (");
        for (int i = 0; i < ranges.length; i += 2) {
            sql.append(i == 0 ? "" : " UNION ALL ").append("(SELECT ").append(AuditRow.PENDING_COLUMNS)
                    .append(" FROM audit_event a WHERE a.seq BETWEEN ? AND ? AND NOT EXISTS ")
                    .append("(SELECT 1 FROM ledger_entry e WHERE e.seq = a.seq) ORDER BY a.seq LIMIT ?)");
        }
        sql.append(") late ORDER BY seq LIMIT ?");
        return query(sql.toString(), ps -> {
            int p = 1;
            for (int i = 0; i < ranges.length; i += 2) {
                ps.setLong(p++, ranges[i]);
                ps.setLong(p++, ranges[i + 1]);
                ps.setInt(p++, limit);
            }
            ps.setInt(p, limit);
        });
    }

    /** Number of leaves recorded in the database: max(ledger_index) + 1, 0 when none. */
    public long committedSize() {
        return single("SELECT COALESCE(MAX(ledger_index) + 1, 0) FROM ledger_entry");
    }

    /** Leaf hashes recorded for ledger indexes [from, to), in index order. */
    public List<byte[]> leafHashes(long from, long to) {
        List<byte[]> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ledger_index, leaf_hash FROM ledger_entry "
                     + "WHERE ledger_index >= ? AND ledger_index < ? ORDER BY ledger_index")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                long expected = from;
                while (rs.next()) {
                    if (rs.getLong(1) != expected) {
                        throw new IllegalStateException("ledger index " + expected + " missing in ledger_entry");
                    }
                    out.add(MerkleHash.fromHex(rs.getString(2).trim()));
                    expected++;
                }
                if (expected != to) {
                    throw new IllegalStateException("ledger index " + expected + " missing in ledger_entry");
                }
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot read leaf hashes", e);
        }
        return out;
    }

    /**
     * Inserts the ledger entries {@code firstIndex, firstIndex+1, ...} of {@code rows} with their leaf hashes, and
     * records {@code horizonSeq} when not null, in one transaction. Fails (and rolls back) if an index or a row is
     * already in the ledger (another writer).
     */
    public void assign(List<AuditRow> rows, long firstIndex, List<byte[]> leafHashes, Long horizonSeq) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT_ENTRY)) {
                for (int i = 0; i < rows.size(); i++) {
                    ps.setLong(1, firstIndex + i);
                    ps.setLong(2, rows.get(i).sequence());
                    ps.setString(3, MerkleHash.hex(leafHashes.get(i)));
                    ps.addBatch();
                }
                ps.executeBatch();
                if (horizonSeq != null) {
                    try (PreparedStatement h = c.prepareStatement(UPDATE_HORIZON)) {
                        h.setLong(1, horizonSeq);
                        if (h.executeUpdate() != 1) {
                            throw new IllegalStateException("ledger_tail has no row (schema V6 not applied?)");
                        }
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new LedgerDbException("cannot record ledger entries " + firstIndex + ".."
                        + (firstIndex + rows.size() - 1) + " (is another writer running?)", e);
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot record ledger entries", e);
        }
    }

    /** Stores a signed tree head. */
    public void insertHead(SignedTreeHead sth) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO tree_head (tree_size, root_hash, timestamp_ms, "
                     + "signature, algorithm, key_id, created_at) VALUES (?,?,?,?,?,?,?)")) {
            TreeHead h = sth.treeHead();
            ps.setLong(1, h.treeSize());
            ps.setString(2, MerkleHash.hex(h.rootHash()));
            ps.setLong(3, h.timestamp().toEpochMilli());
            ps.setString(4, Base64.getEncoder().encodeToString(sth.signature()));
            ps.setString(5, sth.algorithm());
            ps.setString(6, sth.keyId());
            ps.setObject(7, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerDbException("cannot store tree head " + sth.treeSize(), e);
        }
    }

    /** The signed head with the largest tree size. */
    public Optional<SignedTreeHead> latestHead() {
        List<SignedTreeHead> heads = heads("SELECT * FROM tree_head ORDER BY tree_size DESC LIMIT 1");
        return heads.isEmpty() ? Optional.empty() : Optional.of(heads.get(0));
    }

    /** Every signed head, by tree size. */
    public List<SignedTreeHead> allHeads() {
        return heads("SELECT * FROM tree_head ORDER BY tree_size");
    }

    private List<SignedTreeHead> heads(String sql) {
        List<SignedTreeHead> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TreeHead head = new TreeHead(rs.getLong("tree_size"),
                        MerkleHash.fromHex(rs.getString("root_hash").trim()),
                        Instant.ofEpochMilli(rs.getLong("timestamp_ms")));
                out.add(new SignedTreeHead(head, Base64.getDecoder().decode(rs.getString("signature")),
                        rs.getString("algorithm"), rs.getString("key_id")));
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot read tree heads", e);
        }
        return out;
    }

    /** Streams the rows with ledger indexes [from, to) in index order. */
    public void forEachInLedgerOrder(long from, long to, Consumer<AuditRow> consumer) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // lets PostgreSQL stream with the fetch size
            try (PreparedStatement ps = c.prepareStatement("SELECT " + AuditRow.COLUMNS + " FROM " + AuditRow.IN_LEDGER
                    + " WHERE e.ledger_index >= ? AND e.ledger_index < ? ORDER BY e.ledger_index")) {
                ps.setFetchSize(1000);
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(AuditRow.read(rs));
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot read the ledger", e);
        }
    }

    private long single(String sql, long... args) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setLong(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no result: " + sql);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new LedgerDbException("query failed: " + sql, e);
        }
    }

    private List<AuditRow> query(String sql, Binder binder) {
        List<AuditRow> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(AuditRow.read(rs));
                }
            }
        } catch (SQLException e) {
            throw new LedgerDbException("query failed: " + sql, e);
        }
        return out;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** A database failure of the ledger. */
    public static final class LedgerDbException extends RuntimeException {
        public LedgerDbException(String message, Throwable cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }
}
