package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.SignedTreeHead;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The first pass over an export file: its header, its signed tree heads (with their lines and RFC 3161 tokens), its
 * manifest, how many events it has and the ledger indexes they declare. The events themselves are checked by a second
 * pass ({@link SelectionVerifier}, {@link FullExportVerifier}).
 */
final class ExportOutline implements ExportCodec.RecordSink {
    private Map<String, Object> header;
    private Map<String, Object> manifest;
    private final List<SignedTreeHead> heads = new ArrayList<>();
    private final List<Long> headLines = new ArrayList<>();
    private final List<Object> headTokens = new ArrayList<>();
    private long events;
    private final Set<Long> declared = new HashSet<>();

    /** An outline to which the caller hands the records ({@link #acceptLine}, {@link #accept}). */
    ExportOutline() {
    }

    /** @throws IllegalArgumentException naming the first line that is not a record, or an unreadable head */
    static ExportOutline read(Path file) throws IOException {
        ExportOutline outline = new ExportOutline();
        if (ExportCodec.isCsv(file)) {
            ExportCodec.read(file, outline);
        } else {
            ExportCodec.readLines(file, outline::acceptLine);
        }
        return outline;
    }

    /** A JSON Lines line: a plain event line is counted without building its map (see {@link WellFormedEventLine}). */
    void acceptLine(long line, String text) {
        long index = WellFormedEventLine.declaredIndex(text);
        if (index == WellFormedEventLine.NOT_RECOGNISED) {
            accept(line, ExportCodec.parseRecord(line, text));
        } else {
            countEvent(index);
        }
    }

    /** Counts an event record that declares {@code index} (read and checked elsewhere). */
    void countEvent(long index) {
        events++;
        declare(index);
    }

    /** Keeps the declared index for a selection's checks (a full export's are checked by position instead). */
    private void declare(long index) {
        if (header == null || !ExportRecord.KIND_FULL.equals(header.get("kind"))) {
            declared.add(index);
        }
    }

    @Override
    public void accept(long line, Map<String, Object> rec) {
        Object type = rec.get("record");
        if (ExportRecord.HEADER.equals(type)) {
            if (header != null) {
                throw new IllegalArgumentException("line " + line + ": second header");
            }
            header = rec;
        } else if (ExportRecord.TREE_HEAD.equals(type)) {
            try {
                heads.add(ExportRecord.parseTreeHead(rec));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + line + ": unreadable tree head: " + e.getMessage());
            }
            headLines.add(line);
            headTokens.add(rec.get("timestampToken"));
        } else if (ExportRecord.MANIFEST.equals(type)) {
            if (manifest != null) {
                throw new IllegalArgumentException("line " + line + ": second manifest");
            }
            manifest = rec;
        } else if (ExportRecord.EVENT.equals(type)) {
            events++;
            try {
                declare(ExportRecord.number(rec, "ledgerIndex"));
            } catch (IllegalArgumentException e) {
                // reported by the event checks
            }
        } else {
            throw new IllegalArgumentException("line " + line + ": unknown record " + type);
        }
    }

    /** The header record, or null. */
    Map<String, Object> header() {
        return header;
    }

    /** The manifest record (there is at most one), or null. */
    Map<String, Object> manifest() {
        return manifest;
    }

    /** The signed tree heads, in file order. */
    List<SignedTreeHead> heads() {
        return heads;
    }

    /** The line of each head. */
    List<Long> headLines() {
        return headLines;
    }

    /** The {@code timestampToken} member of each head, null where it has none. */
    List<Object> headTokens() {
        return headTokens;
    }

    /** The number of event records. */
    long events() {
        return events;
    }

    /**
     * The ledger indexes the event records of a selection declare (those that declare a readable one); not kept
     * after a header that says the export is full.
     */
    Set<Long> declared() {
        return declared;
    }
}
