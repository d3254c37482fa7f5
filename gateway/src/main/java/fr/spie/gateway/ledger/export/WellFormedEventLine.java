package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.MerkleHash;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.JsonToken;

/**
 * A shortcut for the lines of an export that are plainly what the gateway writes: an event record
 * {@code {"record":"event","ledgerIndex":…,"leafHash":…,"entry":…}} read token by token, without building maps.
 * It only ever <em>recognises</em> a line: whenever the line is anything else (another record, a member twice, a
 * member of an unexpected type, an extra member, something after the object, a line of a megabyte or more, a check
 * that fails), it answers "not recognised" and the caller reads the line the general way
 * ({@link ExportCodec#parseRecord}, {@link EventCheck}), which says what is wrong. So a recognised line is one the
 * general way would accept with the same ledger index and leaf hash, and failures keep their words. A line exactly
 * as the gateway writes it is first read by position ({@link CanonicalEventLine}).
 */
final class WellFormedEventLine {
    /** What {@link #declaredIndex} answers for a line it does not recognise. */
    static final long NOT_RECOGNISED = Long.MIN_VALUE;
    /** Lines (and entries) this long or longer go the general way, far below Jackson's string length limit. */
    static final int MAX_CHARS = 1 << 20;
    private static final TokenStreamFactory FACTORY = ExportCodec.JSON.tokenStreamFactory();

    private WellFormedEventLine() {
    }

    /**
     * The ledger index an event line declares, when the line is a JSON object whose {@code record} (once) is
     * {@code "event"} and whose {@code ledgerIndex} (once) is an integer; else {@link #NOT_RECOGNISED}.
     */
    static long declaredIndex(String line) {
        if (line.length() >= MAX_CHARS) {
            return NOT_RECOGNISED;
        }
        try (JsonParser p = parser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return NOT_RECOGNISED;
            }
            boolean event = false;
            boolean recordSeen = false;
            boolean indexSeen = false;
            long index = NOT_RECOGNISED;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                if ("record".equals(name)) {
                    if (recordSeen || value != JsonToken.VALUE_STRING) {
                        return NOT_RECOGNISED;
                    }
                    recordSeen = true;
                    event = ExportRecord.EVENT.equals(p.getString());
                } else if ("ledgerIndex".equals(name)) {
                    if (indexSeen || !isLong(p, value)) {
                        return NOT_RECOGNISED;
                    }
                    indexSeen = true;
                    index = p.getLongValue();
                } else {
                    p.skipChildren();
                }
            }
            return event && p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null ? index
                    : NOT_RECOGNISED;
        } catch (RuntimeException e) {
            return NOT_RECOGNISED;
        }
    }

    /**
     * A full export's event line that passes every check when it stands at position {@code index}.
     *
     * @param index the ledger index the line and its entry declare
     * @param leaf  the entry's leaf hash, which the line records
     */
    record PassingEvent(long index, byte[] leaf) {
    }

    /**
     * The index and leaf hash of a full export's event line that passes every check at the position of its ledger
     * index: exactly the members {@code record} ("event"), {@code ledgerIndex}, {@code leafHash} and {@code entry};
     * an entry that is a JSON object declaring the same ledger index; a leaf hash that is the entry's. Null for any
     * other line. Safe to call from several threads with one {@code hasher} each.
     */
    static PassingEvent passing(String line, MerkleHash hasher) {
        PassingEvent canonical = CanonicalEventLine.passing(line, hasher);
        if (canonical != null || line.length() >= MAX_CHARS) {
            return canonical;
        }
        String record = null;
        String leafHash = null;
        String entry = null;
        long index = -1;
        boolean indexSeen = false;
        try (JsonParser p = parser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "record" -> {
                        if (record != null || value != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        record = p.getString();
                    }
                    case "ledgerIndex" -> {
                        if (indexSeen || !isLong(p, value)) {
                            return null;
                        }
                        indexSeen = true;
                        index = p.getLongValue();
                    }
                    case "leafHash" -> {
                        if (leafHash != null || value != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        leafHash = p.getString();
                    }
                    case "entry" -> {
                        if (entry != null || value != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        entry = p.getString();
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
        if (!ExportRecord.EVENT.equals(record) || !indexSeen || leafHash == null || entry == null
                || entry.length() >= MAX_CHARS) {
            return null;
        }
        byte[] entryBytes = entry.getBytes(StandardCharsets.UTF_8);
        if (!entryDeclares(entryBytes, index)) {
            return null;
        }
        byte[] leaf = hasher.leaf(entryBytes);
        return MerkleHash.hex(leaf).equalsIgnoreCase(leafHash) ? new PassingEvent(index, leaf) : null;
    }

    /**
     * True when {@code entry} (UTF-8) is a JSON object whose top-level {@code ledgerIndex} (once) is the integer
     * {@code index}.
     */
    static boolean entryDeclares(byte[] entry, long index) {
        if (!startsAnObjectInUtf8(entry)) {
            return false;
        }
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), entry)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean declared = false;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                if ("ledgerIndex".equals(name)) {
                    if (declared || !isLong(p, value) || p.getLongValue() != index) {
                        return false;
                    }
                    declared = true;
                } else {
                    p.skipChildren();
                }
            }
            return declared && p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * True when {@code entry} starts with <code>{</code> and no zero byte follows in the first four: a byte parser
     * guesses its encoding from those (a zero byte would make it read UTF-16 or UTF-32), where the general way reads
     * the entry as text. Any other entry is left to the general way.
     */
    private static boolean startsAnObjectInUtf8(byte[] entry) {
        if (entry.length < 2 || entry[0] != '{') {
            return false;
        }
        for (int i = 1; i < Math.min(4, entry.length); i++) {
            if (entry[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /** A streaming parser of the export's JSON settings, without the object mapper's per-parser context. */
    private static JsonParser parser(String text) {
        return FACTORY.createParser(ObjectReadContext.empty(), text);
    }

    private static boolean isLong(JsonParser p, JsonToken value) {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            return false;
        }
        JsonParser.NumberType type = p.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }
}
