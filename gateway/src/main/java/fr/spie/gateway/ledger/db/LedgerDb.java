package fr.spie.gateway.ledger.db;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Plain-JDBC access to the ledger columns of {@code audit_event} and to {@code tree_head} (schema V3). Works on H2
 * (MODE=PostgreSQL) and PostgreSQL; used by the gateway's writer and by the CLI, so it needs no framework.
 */
public final class LedgerDb {
    private final DataSource dataSource;

    public LedgerDb(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The committed audit rows without ledger index, in seq order. */
    public List<AuditRow> pending(int limit) {
        return query("SELECT " + AuditRow.COLUMNS + " FROM audit_event "
                        + "WHERE ledger_index IS NULL ORDER BY ledger_index, seq LIMIT ?",
                ps -> ps.setInt(1, limit));
    }

    /** Number of audit rows without ledger index. */
    public long pendingCount() {
        return single("SELECT COUNT(*) FROM audit_event WHERE ledger_index IS NULL");
    }

    /** Recorded time of the oldest row waiting for the writer, or null. */
    public Instant oldestPending() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT MIN(recorded_at) FROM audit_event WHERE ledger_index IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        } catch (SQLException e) {
            throw new LedgerDbException("cannot read the oldest pending audit row", e);
        }
    }

    /** Number of leaves recorded in the database: max(ledger_index) + 1, 0 when none. */
    public long committedSize() {
        return single("SELECT COALESCE(MAX(ledger_index) + 1, 0) FROM audit_event");
    }

    /** Leaf hashes recorded for ledger indexes [from, to), in index order. */
    public List<byte[]> leafHashes(long from, long to) {
        List<byte[]> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ledger_index, leaf_hash FROM audit_event "
                     + "WHERE ledger_index >= ? AND ledger_index < ? ORDER BY ledger_index")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                long expected = from;
                while (rs.next()) {
                    if (rs.getLong(1) != expected) {
                        throw new IllegalStateException("ledger index " + expected + " missing in audit_event");
                    }
                    out.add(MerkleHash.fromHex(rs.getString(2).trim()));
                    expected++;
                }
                if (expected != to) {
                    throw new IllegalStateException("ledger index " + expected + " missing in audit_event");
                }
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot read leaf hashes", e);
        }
        return out;
    }

    /**
     * Records ledger indexes {@code firstIndex, firstIndex+1, ...} and leaf hashes on {@code rows}, in one
     * transaction. Fails (and rolls back) if any row already has an index.
     */
    public void assign(List<AuditRow> rows, long firstIndex, List<byte[]> leafHashes) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE audit_event SET ledger_index = ?, leaf_hash = ? WHERE seq = ? AND COALESCE(ledger_index, -1) = -1")) {
                for (int i = 0; i < rows.size(); i++) {
                    ps.setLong(1, firstIndex + i);
                    ps.setString(2, MerkleHash.hex(leafHashes.get(i)));
                    ps.setLong(3, rows.get(i).sequence());
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != 1 && counts[i] != Statement.SUCCESS_NO_INFO) {
                        throw new IllegalStateException("audit row " + rows.get(i).sequence()
                                + " was given a ledger index by someone else (is another writer running?)");
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot record ledger indexes", e);
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
            try (PreparedStatement ps = c.prepareStatement("SELECT " + AuditRow.COLUMNS + " FROM audit_event "
                    + "WHERE ledger_index >= ? AND ledger_index < ? ORDER BY ledger_index")) {
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

    private long single(String sql) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
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
