package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.export.WellFormedEventLine.PassingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The non-blank lines of a full export in file order, each with what {@link WellFormedEventLine#passing} makes of
 * it: the lines are read here in batches (1,024 lines or 1 M characters), and the batches are recognised and hashed
 * by one worker thread per core, four batches ahead of the line handed out.
 */
final class RecognisedLines implements AutoCloseable {
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
        int next = -1;

        Batch recognise() {
            MerkleHash hasher = new MerkleHash();
            for (int i = 0; i < size; i++) {
                passing[i] = WellFormedEventLine.passing(lines[i], hasher);
            }
            return this;
        }
    }

    private final Path file;
    private final ExecutorService workers;
    private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
    private ExportLines in;
    private String pending;
    private boolean endOfFile;
    private Batch batch;

    private RecognisedLines(Path file, ExportLines in, String pending) {
        this.file = file;
        this.in = in;
        this.pending = pending;
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "spie-verify-" + pool + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The lines of {@code file}, opened at the first read and closed by {@link #close}. */
    static RecognisedLines of(Path file) {
        return new RecognisedLines(file, null, null);
    }

    /** {@code first}, the line {@code in} returned last, then the lines after it ({@code in} is the caller's to close). */
    static RecognisedLines continuing(ExportLines in, String first) {
        return new RecognisedLines(null, in, first);
    }

    /** Moves to the next line: false at the end of the file. */
    boolean next() {
        if (batch == null || batch.next + 1 == batch.size) {
            batch = nextBatch();
            if (batch == null) {
                return false;
            }
        }
        batch.next++;
        return true;
    }

    /** The line moved to. */
    String text() {
        return batch.lines[batch.next];
    }

    /** Its number in the file (blank lines counted). */
    long number() {
        return batch.numbers[batch.next];
    }

    /** What it is when it is a plain passing event line, else null. */
    PassingEvent passing() {
        return batch.passing[batch.next];
    }

    @Override
    public void close() {
        workers.shutdownNow();
        if (in != null && file != null) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing more is read from it
            }
        }
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
