package fr.spie.gateway.ledger.tsa;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHead;
import fr.spie.gateway.ledger.db.LedgerDb.LedgerDbException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Plain-JDBC access to {@code tree_head_timestamp} (schema V5). */
public final class TimestampDb {
    private final DataSource dataSource;

    public TimestampDb(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Signed heads without a timestamp, oldest (smallest tree size) first. */
    public List<SignedTreeHead> untimestamped(int limit) {
        List<SignedTreeHead> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT h.* FROM tree_head h LEFT JOIN tree_head_timestamp t "
                     + "ON t.tree_size = h.tree_size WHERE t.tree_size IS NULL ORDER BY h.tree_size LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TreeHead head = new TreeHead(rs.getLong("tree_size"),
                            MerkleHash.fromHex(rs.getString("root_hash").trim()),
                            Instant.ofEpochMilli(rs.getLong("timestamp_ms")));
                    out.add(new SignedTreeHead(head, Base64.getDecoder().decode(rs.getString("signature")),
                            rs.getString("algorithm"), rs.getString("key_id")));
                }
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot read the heads without timestamp", e);
        }
        return out;
    }

    /** Number of signed heads without a timestamp. */
    public long backlog() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM tree_head h LEFT JOIN tree_head_timestamp t "
                     + "ON t.tree_size = h.tree_size WHERE t.tree_size IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new LedgerDbException("cannot count the heads without timestamp", e);
        }
    }

    /** Stores the token of the head of size {@code treeSize}. */
    public void insert(long treeSize, TimestampToken t) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO tree_head_timestamp (tree_size, token, gen_time, "
                     + "tsa_name, tsa_serial, created_at) VALUES (?,?,?,?,?,?)")) {
            ps.setLong(1, treeSize);
            ps.setString(2, t.base64());
            ps.setObject(3, OffsetDateTime.ofInstant(t.genTime(), ZoneOffset.UTC));
            ps.setString(4, t.tsa().length() > 500 ? t.tsa().substring(0, 500) : t.tsa());
            ps.setString(5, t.serial());
            ps.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerDbException("cannot store the timestamp of tree head " + treeSize, e);
        }
    }

    /** The token of the head of size {@code treeSize}, if any. */
    public Optional<TimestampToken> find(long treeSize) {
        Map<Long, TimestampToken> m = read("SELECT * FROM tree_head_timestamp WHERE tree_size = ?", treeSize);
        return Optional.ofNullable(m.get(treeSize));
    }

    /** Every token, by tree size. */
    public Map<Long, TimestampToken> all() {
        return read("SELECT * FROM tree_head_timestamp", null);
    }

    private Map<Long, TimestampToken> read(String sql, Long param) {
        Map<Long, TimestampToken> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setLong(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong("tree_size"), new TimestampToken(
                            Base64.getDecoder().decode(rs.getString("token")),
                            rs.getObject("gen_time", OffsetDateTime.class).toInstant(),
                            rs.getString("tsa_name"), rs.getString("tsa_serial")));
                }
            }
        } catch (SQLException e) {
            throw new LedgerDbException("cannot read tree head timestamps", e);
        }
        return out;
    }
}
