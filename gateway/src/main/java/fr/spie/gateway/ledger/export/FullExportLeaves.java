package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.MerkleHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The leaf hashes of a full export's events, in file order, each computed from its entry once the event has passed
 * its checks ({@link FullExportVerifier}); ends at the first event that fails them (the failure is the checks'). The
 * plain event lines go through {@link WellFormedEventLine}, the others through the general parsing.
 *
 * <p>Read after the outline ({@link #of}), or in the same reading as the outline ({@link OnePassFullExport}): then
 * every line after the first event is also counted in the outline, to the end of the file even after a failing event,
 * and a line that is not an event (or not a record) throws {@link NotOnePass}.
 */
final class FullExportLeaves implements Iterator<byte[]>, AutoCloseable {
    /** The file is not one that {@link OnePassFullExport} can verify in one reading. */
    static final class NotOnePass extends RuntimeException {
        NotOnePass() {
            super(null, null, false, false);
        }
    }

    /** The export's file could not be read (the caller throws the cause). */
    static final class Unreadable extends UncheckedIOException {
        Unreadable(IOException cause) {
            super(cause);
        }
    }

    private final FullExportVerifier checks = new FullExportVerifier();
    private final MerkleHash hasher = new MerkleHash();
    private final Path file;
    private final ExportOutline outline;
    private BufferedReader in;
    private long line;
    private String pending;
    private byte[] next;
    private boolean ended;

    private FullExportLeaves(Path file, BufferedReader in, long line, String pending, ExportOutline outline) {
        this.file = file;
        this.in = in;
        this.line = line;
        this.pending = pending;
        this.outline = outline;
    }

    /** The events of {@code file}, whose outline was read before. */
    static FullExportLeaves of(Path file) {
        return new FullExportLeaves(file, null, 0, null, null);
    }

    /**
     * The events read from {@code in}, whose first event, at line {@code line}, is {@code firstEvent}, counted in
     * {@code outline} as they are read.
     */
    static FullExportLeaves continuing(BufferedReader in, long line, String firstEvent, ExportOutline outline) {
        return new FullExportLeaves(null, in, line, firstEvent, outline);
    }

    /** The checks the events went through: the first failure, if any. */
    FullExportVerifier checks() {
        return checks;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            next = advance();
            ended = next == null;
        }
        return next != null;
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        byte[] out = next;
        next = null;
        return out;
    }

    /** Reads what is left, so that a failing event after the last one read is found. */
    void readToEnd() {
        while (hasNext()) {
            next();
        }
    }

    @Override
    public void close() {
        ended = true;
        if (in != null && file != null) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing more is read from it
            }
        }
    }

    private byte[] advance() {
        String text;
        while ((text = nextLine()) != null) {
            if (checks.failure() != null) {
                countInOutline(text);
                continue;
            }
            byte[] leaf = WellFormedEventLine.passingLeaf(text, checks.events(), hasher);
            if (leaf != null) {
                if (outline != null) {
                    outline.countEvent(checks.events());
                }
                checks.passed();
                return leaf;
            }
            Map<String, Object> rec = record(text);
            long before = checks.events();
            checks.accept(line, rec);
            if (checks.failure() == null && checks.events() > before) {
                return checks.lastLeaf();
            }
        }
        return null;
    }

    /** A line after a failing event, read only for the outline. */
    private void countInOutline(String text) {
        long index = WellFormedEventLine.declaredIndex(text);
        if (index != WellFormedEventLine.NOT_RECOGNISED) {
            outline.countEvent(index);
        } else {
            record(text);
        }
    }

    /** The line's record, counted in the outline when there is one. */
    private Map<String, Object> record(String text) {
        if (outline == null) {
            return ExportCodec.parseRecord(line, text);
        }
        Map<String, Object> rec;
        try {
            rec = ExportCodec.parseRecord(line, text);
        } catch (IllegalArgumentException e) {
            throw new NotOnePass();
        }
        if (!ExportRecord.EVENT.equals(rec.get("record"))) {
            throw new NotOnePass();
        }
        outline.accept(line, rec);
        return rec;
    }

    /** The next non-blank line; none after a failing event unless the outline is being read too. */
    private String nextLine() {
        if (pending != null) {
            String text = pending;
            pending = null;
            return text;
        }
        if (checks.failure() != null && outline == null) {
            return null;
        }
        try {
            if (in == null) {
                in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            }
            String text;
            while ((text = in.readLine()) != null) {
                line++;
                if (!text.isBlank()) {
                    return text;
                }
            }
            return null;
        } catch (IOException e) {
            throw new Unreadable(e);
        }
    }
}
