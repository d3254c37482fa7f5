package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/**
 * The checks common to every event record, of a selection or a full export: it has a ledger index, an entry that is
 * JSON and names the same index, a recorded leaf hash that is the entry's, and (CSV) readable columns that say what
 * the entry says.
 *
 * @param index   the record's ledger index, -1 when it has none
 * @param leaf    the entry's leaf hash, null when it could not be computed
 * @param name    how messages name the event
 * @param problem the first check that failed, or null
 */
record EventCheck(long index, byte[] leaf, String name, String problem) {
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    static EventCheck of(Map<String, Object> rec, long line) {
        long index;
        try {
            index = ExportRecord.number(rec, "ledgerIndex");
        } catch (IllegalArgumentException e) {
            return new EventCheck(-1, null, "line " + line, "line " + line + ": event without ledger index");
        }
        String entry = rec.get("entry") instanceof String s ? s : null;
        String name = "entry " + index + " (line " + line + ")";
        if (entry == null) {
            return new EventCheck(index, null, name, name + ": no entry");
        }
        Map<String, Object> fields;
        try {
            fields = ExportCodec.JSON.readValue(entry, MAP);
        } catch (RuntimeException e) {
            return new EventCheck(index, null, name, name + ": entry is not JSON");
        }
        if (fields == null) {
            return new EventCheck(index, null, name, name + ": entry is not a JSON object");
        }
        name = "entry " + index + " (line " + line + ", " + fields.get("type") + " of exchange "
                + fields.get("exchangeId") + ")";
        Object embedded = fields.get("ledgerIndex");
        if (!(embedded instanceof Number n) || n.longValue() != index) {
            return new EventCheck(index, null, name, name + ": the entry says ledger index " + embedded);
        }
        byte[] leaf = MerkleHash.leafHash(entry.getBytes(StandardCharsets.UTF_8));
        String declared = rec.get("leafHash") instanceof String s ? s : "";
        if (!MerkleHash.hex(leaf).equalsIgnoreCase(declared)) {
            return new EventCheck(index, leaf, name, name + ": the entry hashes to " + MerkleHash.hex(leaf)
                    + " but its recorded leaf hash is " + declared + " (entry altered)");
        }
        if (rec.get("csvReadable") instanceof Map<?, ?> readable) {
            for (String col : ExportCodec.READABLE) {
                Object v = fields.get(col);
                String expected = v == null ? "" : v.toString();
                if (!expected.equals(readable.get(col))) {
                    return new EventCheck(index, leaf, name, name + ": CSV column '" + col + "' says '"
                            + readable.get(col) + "' but the signed entry says '" + expected + "'");
                }
            }
        }
        return new EventCheck(index, leaf, name, null);
    }
}
