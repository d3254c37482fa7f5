package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.export.WellFormedEventLine.PassingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The leaf hashes of a full export's events, in file order, each computed from its entry once the event has passed
 * its checks ({@link FullExportVerifier}); ends at the first event that fails them (the failure is the checks').
 *
 * <p>Lines are read here in batches; the plain event lines of each batch are recognised and hashed
 * ({@link WellFormedEventLine}) by a few worker threads, a few batches ahead, and then taken in file order: a line
 * recognised at the position of its ledger index passes, any other line is read here the general way
 * ({@link ExportCodec#parseRecord}, {@link EventCheck}).
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

    /** The export's file could not be read (the caller throws the cause). */
    static final class Unreadable extends UncheckedIOException {
        Unreadable(IOException cause) {
            super(cause);
        }
    }

    private static final int BATCH_LINES = 1024;
    /** A batch ends after this many characters too, so that the batches ahead hold little memory whatever the lines. */
    private static final int BATCH_CHARS = 1 << 20;
    private static final int BATCHES_AHEAD = 4;
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** Non-blank lines with their numbers, and what the workers recognised in them. */
    private static final class Batch {
        final String[] lines = new String[BATCH_LINES];
        final long[] numbers = new long[BATCH_LINES];
        final PassingEvent[] passing = new PassingEvent[BATCH_LINES];
        int size;
        int next;

        Batch recognise() {
            MerkleHash hasher = new MerkleHash();
            for (int i = 0; i < size; i++) {
                passing[i] = WellFormedEventLine.passing(lines[i], hasher);
            }
            return this;
        }
    }

    private final FullExportVerifier checks = new FullExportVerifier();
    private final Path file;
    private final ExportOutline outline;
    private final ExportVerifier.Progress progress;
    private final ExecutorService workers;
    private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
    private ExportLines in;
    /** The number of the line being checked. */
    private long line;
    private String pending;
    private boolean endOfFile;
    private Batch batch;
    private byte[] next;
    private boolean ended;

    private FullExportLeaves(Path file, ExportLines in, String pending, ExportOutline outline,
                             ExportVerifier.Progress progress) {
        this.file = file;
        this.progress = progress;
        this.in = in;
        this.pending = pending;
        this.outline = outline;
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "spie-verify-" + pool + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The events of {@code file}, whose outline was read before. */
    static FullExportLeaves of(Path file, ExportVerifier.Progress progress) {
        return new FullExportLeaves(file, null, null, null, progress);
    }

    /**
     * The events read from {@code in}, whose first event, the line it returned last, is {@code firstEvent}, counted
     * in {@code outline} as they are read.
     */
    static FullExportLeaves continuing(ExportLines in, String firstEvent, ExportOutline outline,
                                       ExportVerifier.Progress progress) {
        return new FullExportLeaves(null, in, firstEvent, outline, progress);
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
        workers.shutdownNow();
        if (in != null && file != null) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing more is read from it
            }
        }
    }

    private byte[] advance() {
        while (checks.failure() == null || outline != null) {
            if (batch == null || batch.next == batch.size) {
                batch = nextBatch();
                if (batch == null) {
                    return null;
                }
            }
            int i = batch.next++;
            String text = batch.lines[i];
            line = batch.numbers[i];
            PassingEvent passing = batch.passing[i];
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

    /** The next batch in file order, recognised, with the reading kept {@value #BATCHES_AHEAD} batches ahead. */
    private Batch nextBatch() {
        while (!endOfFile && ahead.size() < BATCHES_AHEAD) {
            Batch b = readBatch();
            if (b.size == 0) {
                endOfFile = true;
            } else {
                ahead.add(workers.submit(b::recognise));
            }
        }
        Future<Batch> f = ahead.poll();
        if (f == null) {
            return null;
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("verifying a batch of lines failed", e.getCause());
        }
    }

    private Batch readBatch() {
        Batch b = new Batch();
        long chars = 0;
        if (pending != null) {
            b.lines[0] = pending;
            b.numbers[0] = in.number();
            b.size = 1;
            chars = pending.length();
            pending = null;
        }
        try {
            if (in == null) {
                in = ExportLines.open(file);
            }
            String text;
            while (b.size < BATCH_LINES && chars < BATCH_CHARS && (text = in.next()) != null) {
                b.lines[b.size] = text;
                b.numbers[b.size] = in.number();
                b.size++;
                chars += text.length();
            }
            return b;
        } catch (IOException e) {
            throw new Unreadable(e);
        }
    }
}
