package fr.spie.gateway.ledger.db;

import fr.spie.gateway.ledger.CanonicalJson;
import fr.spie.gateway.ledger.InstantText;
import fr.spie.gateway.ledger.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One {@code audit_event} row as the ledger sees it, and its canonical ledger entry.
 *
 * <p>The entry of a row is the {@link CanonicalJson} object of exactly these members (absent values as
 * {@code null}): {@code v} (entry format, 1), {@code ledgerIndex}, {@code sequence}, {@code recordedAt}
 * (ISO-8601 UTC, {@link Instant#toString()}), {@code type}, {@code exchangeId}, {@code actor},
 * {@code sourcePartner}, {@code recipient}, {@code recordType}, {@code routeId}, {@code purpose},
 * {@code legalBasisType}, {@code configVersion}, {@code payloadDigest}, {@code subjectPseudonym},
 * {@code detail}. Its leaf hash is SHA-256(0x00 ‖ entry) (RFC 9162).
 *
 * @param ledgerIndex null while the row waits for the ledger writer
 * @param leafHash    hex leaf hash recorded with the ledger index, or null
 */
public record AuditRow(long sequence, Instant recordedAt, String type, String exchangeId, String actor,
                       String sourcePartner, String recipient, String recordType, String routeId, String purpose,
                       String legalBasisType, String configVersion, String payloadDigest, String subjectPseudonym,
                       String detail, Long ledgerIndex, String leafHash) {

    /** Version of the entry format, member {@code v}. */
    public static final int ENTRY_VERSION = 1;

    /** The audit columns of {@code audit_event a}, qualified (the ledger queries join it with {@code ledger_entry e}). */
    public static final String AUDIT_COLUMNS = "a.seq, a.recorded_at, a.event_type, a.exchange_id, a.actor, "
            + "a.source_partner, a.recipient, a.record_type, a.route_id, a.purpose, a.legal_basis_type, "
            + "a.config_version, a.payload_digest, a.subject_pseudonym, a.detail";

    /** Columns to select from {@link #IN_LEDGER} (rows are read by name). */
    public static final String COLUMNS = AUDIT_COLUMNS + ", e.ledger_index, e.leaf_hash";

    /** Columns to select from {@code audit_event a} alone: rows not yet in the ledger. */
    public static final String PENDING_COLUMNS = AUDIT_COLUMNS
            + ", CAST(NULL AS BIGINT) AS ledger_index, CAST(NULL AS CHAR(64)) AS leaf_hash";

    /** The audit rows that are in the ledger, with their ledger entry (schema V6). */
    public static final String IN_LEDGER = "ledger_entry e JOIN audit_event a ON a.seq = e.seq";

    /** Reads the current row of {@code rs} (selected with {@link #COLUMNS} or {@link #PENDING_COLUMNS}). */
    public static AuditRow read(ResultSet rs) throws SQLException {
        Object exchange = rs.getObject("exchange_id");
        long index = rs.getLong("ledger_index");
        Long ledgerIndex = rs.wasNull() ? null : index;
        OffsetDateTime at = rs.getObject("recorded_at", OffsetDateTime.class);
        return new AuditRow(rs.getLong("seq"), at.toInstant(), rs.getString("event_type"),
                exchange == null ? null : exchange.toString(), rs.getString("actor"), rs.getString("source_partner"),
                rs.getString("recipient"), rs.getString("record_type"), rs.getString("route_id"),
                rs.getString("purpose"), rs.getString("legal_basis_type"), trim(rs.getString("config_version")),
                trim(rs.getString("payload_digest")), trim(rs.getString("subject_pseudonym")),
                rs.getString("detail"), ledgerIndex, trim(rs.getString("leaf_hash")));
    }

    /** Entry members, in the order of {@link #entryValues(long)}. */
    private static final String[] MEMBERS = {"v", "ledgerIndex", "sequence", "recordedAt", "type", "exchangeId",
            "actor", "sourcePartner", "recipient", "recordType", "routeId", "purpose", "legalBasisType",
            "configVersion", "payloadDigest", "subjectPseudonym", "detail"};
    /** Positions in {@link #MEMBERS} in canonical (sorted) member order. */
    private static final int[] CANONICAL_ORDER = IntStream.range(0, MEMBERS.length).boxed()
            .sorted(Comparator.comparing(i -> MEMBERS[i])).mapToInt(Integer::intValue).toArray();
    /** Canonical text before each value, in canonical order: '{' or ',' then the quoted member name and ':'. */
    private static final String[] PREFIXES = new String[MEMBERS.length];

    static {
        for (int k = 0; k < CANONICAL_ORDER.length; k++) {
            PREFIXES[k] = (k == 0 ? "{" : ",") + CanonicalJson.toString(MEMBERS[CANONICAL_ORDER[k]]) + ":";
        }
    }

    private Object[] entryValues(long index) {
        return new Object[] {ENTRY_VERSION, index, sequence, InstantText.of(recordedAt), type, exchangeId, actor,
                sourcePartner, recipient, recordType, routeId, purpose, legalBasisType, configVersion, payloadDigest,
                subjectPseudonym, detail};
    }

    /** The members of the canonical entry of this row at {@code index}. */
    public Map<String, Object> entryFields(long index) {
        Object[] values = entryValues(index);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < MEMBERS.length; i++) {
            m.put(MEMBERS[i], values[i]);
        }
        return m;
    }

    /**
     * Canonical UTF-8 entry of this row at {@code index}: {@code CanonicalJson.toBytes(entryFields(index))}, written
     * directly in the precomputed member order (the ledger writer's hot path).
     */
    public byte[] entry(long index) {
        Object[] values = entryValues(index);
        StringBuilder sb = new StringBuilder(1024);
        for (int k = 0; k < CANONICAL_ORDER.length; k++) {
            sb.append(PREFIXES[k]);
            CanonicalJson.append(sb, values[CANONICAL_ORDER[k]]);
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Canonical entry at the row's assigned ledger index. */
    public byte[] entry() {
        if (ledgerIndex == null) {
            throw new IllegalStateException("audit row " + sequence + " has no ledger index yet");
        }
        return entry(ledgerIndex);
    }

    /** Hex leaf hash of the entry at the assigned index, recomputed. */
    public String recomputedLeafHash() {
        return MerkleHash.hex(MerkleHash.leafHash(entry()));
    }

    private static String trim(String fixedWidth) {
        return fixedWidth == null ? null : fixedWidth.trim();
    }
}
