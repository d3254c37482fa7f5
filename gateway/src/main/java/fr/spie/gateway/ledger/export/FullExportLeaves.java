package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.export.WellFormedEventLine.PassingEvent;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The leaf hashes of a full export's events, in file order, each computed from its entry once the event has passed
 * its checks ({@link FullExportVerifier}); ends at the first event that fails them (the failure is the checks'). A
 * line that {@link RecognisedLines} found to be a plain event line passes when it stands at the position of its
 * ledger index; any other line is read here the general way ({@link ExportCodec#parseRecord}, {@link EventCheck}).
 *
 * <p>Read after the outline ({@link #of}), or in the same reading as the outline ({@link OnePassFullExport}): then
 * every line after the first event is also counted in the outline, to the end of the file even after a failing event,
 * and a line that is not an event (or not a record) throws {@link NotOnePass}.
 *
 * <p>Every {@link ExportVerifier.Progress#every()} events handed out, the progress is told how many.
 */
final class FullExportLeaves implements Iterator<byte[]>, AutoCloseable {
    /** The file is not one that {@link OnePassFullExport} can verify in one reading. */
    static final class NotOnePass extends RuntimeException {
        NotOnePass() {
            super(null, null, false, false);
        }
    }

    private final FullExportVerifier checks = new FullExportVerifier();
    private final RecognisedLines lines;
    private final ExportOutline outline;
    private final ExportVerifier.Progress progress;
    /** The number of the line being checked. */
    private long line;
    private byte[] next;
    private boolean ended;

    private FullExportLeaves(RecognisedLines lines, ExportOutline outline, ExportVerifier.Progress progress) {
        this.lines = lines;
        this.outline = outline;
        this.progress = progress;
    }

    /** The events of {@code file}, whose outline was read before. */
    static FullExportLeaves of(Path file, ExportVerifier.Progress progress) {
        return new FullExportLeaves(RecognisedLines.of(file), null, progress);
    }

    /**
     * The events read from {@code in}, whose first event, the line it returned last, is {@code firstEvent}, counted
     * in {@code outline} as they are read.
     */
    static FullExportLeaves continuing(ExportLines in, String firstEvent, ExportOutline outline,
                                       ExportVerifier.Progress progress) {
        return new FullExportLeaves(RecognisedLines.continuing(in, firstEvent), outline, progress);
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
        long read = checks.events();
        if (read % progress.every() == 0) {
            progress.entriesRead(read);
        }
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
        lines.close();
    }

    private byte[] advance() {
        while (checks.failure() == null || outline != null) {
            if (!lines.next()) {
                return null;
            }
            String text = lines.text();
            line = lines.number();
            PassingEvent passing = lines.passing();
            if (checks.failure() != null) {
                countInOutline(text, passing);
                continue;
            }
            if (passing != null && passing.index() == checks.events()) {
                if (outline != null) {
                    outline.countEvent(passing.index());
                }
                checks.passed();
                return passing.leaf();
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
    private void countInOutline(String text, PassingEvent passing) {
        long index = passing != null ? passing.index() : WellFormedEventLine.declaredIndex(text);
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
}
