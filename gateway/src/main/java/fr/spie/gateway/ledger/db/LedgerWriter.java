package fr.spie.gateway.ledger.db;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.MerkleLog;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHead;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.store.FileLeafHashStore;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the ledger (one per gateway): tails the committed {@code audit_event} rows that are not in
 * the ledger yet, in seq order, and for each batch
 * <ol>
 *   <li>assigns the next consecutive ledger indexes (gap-free; ledger order = tailing order, so rows whose
 *       transactions commit out of seq order simply get later indexes);</li>
 *   <li>appends their leaf hashes to the file-backed Merkle log and fsyncs it;</li>
 *   <li>inserts their {@code ledger_entry} rows (ledger index, seq, leaf hash) in one database transaction, with the
 *       new horizon (below); audit rows are never updated;</li>
 *   <li>publishes a signed tree head when {@code headEveryEvents} leaves were added since the last head or
 *       {@code headEvery} has passed (and the tree grew).</li>
 * </ol>
 * The request transactions never wait for it: they only insert the audit rows, as before.
 *
 * <h2>Tailing without skipping</h2>
 * Identity seqs are allocated at insert but rows become visible at commit, so a row can commit after rows with
 * higher seqs. The writer reads the rows above the last seq it appended ({@code seq > tail}, a primary-key range)
 * and remembers every seq it passed without a row as a <em>hole</em>. Each batch first looks for rows that committed
 * in the holes since (they get the next indexes), then reads the tail. A hole with no row after
 * {@code holeGrace} is given up: a rolled-back transaction or an identity value that was never used. The horizon
 * (every seq at or below it is in the ledger or given up; {@code ledger_tail.horizon_seq}) is stored with each batch,
 * so that {@link #open()} finds the holes again after a restart (the seqs above the horizon that are not in
 * {@code ledger_entry}; their grace period starts again). A row whose transaction commits more than
 * {@code holeGrace} after the tail passed its seq is not appended: the gateway's audit transactions last
 * milliseconds, the default grace is minutes.
 *
 * <h2>Crash recovery (start-up reconciliation)</h2>
 * The database is the authority on how many leaves are committed ({@code max(ledger_entry.ledger_index)+1}). A crash
 * between the fsync of the leaf file and the database commit leaves the file ahead by at most one batch:
 * {@link #open()} truncates it to the database's size (those rows are still not in {@code ledger_entry} and are
 * appended again on the next batch). If the file is behind (e.g. lost, or another instance led meanwhile), the
 * missing leaf hashes are re-derived from {@code ledger_entry.leaf_hash}, after dropping a last batch of the file that
 * the database records otherwise (this instance's uncommitted batch, whose indexes another instance filled). Then the
 * last leaf and the latest signed head are checked against the file; a mismatch stops the writer (the ledger needs an
 * operator, it is never rewritten silently).
 *
 * <h2>A database behind the ledger</h2>
 * A database restored from an older backup holds fewer entries than were written and signed; continuing from it
 * would fork the ledger. The writer keeps the last head it signed next to its leaf file ({@link SignedSizeMark}) and
 * refuses a database smaller than that head, or than the leaf file beyond one batch
 * ({@link DatabaseBehindLedgerException}), unless {@link Settings#acceptRewindTo()} is exactly the database's size:
 * then the lost leaves are kept aside and the rewind is told to {@link #onRewound} listeners.
 *
 * <p>Several gateway instances on one database: only the elected leader runs the writer (the gateway's
 * {@code LeaderElection}); the primary key on {@code ledger_entry.ledger_index} and the unique
 * {@code ledger_entry.seq} make a second writer fail rather than corrupt the ledger.
 */
public final class LedgerWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);

    /**
     * @param batchSize       rows per batch (one fsync and one transaction per batch)
     * @param headEveryEvents publish a head once this many leaves were added since the last one
     * @param headEvery       publish a head when this long has passed since the last one and the tree grew
     * @param pollInterval    pause of the writer thread when it has caught up
     * @param holeGrace       how long a seq the tail passed without a committed row is watched before it is given
     *                        up (see the class documentation)
     * @param acceptRewindTo  null, or the size of a database that is behind this instance's ledger files (restored
     *                        from a backup) from which the operator accepts to continue the ledger (see
     *                        {@link #open()}); a database of any other size is still refused
     */
    public record Settings(int batchSize, long headEveryEvents, Duration headEvery, Duration pollInterval,
                           Duration holeGrace, Long acceptRewindTo) {
        /** Default grace for holes in the seqs. */
        public static final Duration DEFAULT_HOLE_GRACE = Duration.ofMinutes(10);

        public Settings {
            if (batchSize < 1 || headEveryEvents < 1) {
                throw new IllegalArgumentException("batch size and head-every-events must be >= 1");
            }
            Objects.requireNonNull(headEvery, "headEvery");
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(holeGrace, "holeGrace");
            if (holeGrace.isNegative()) {
                throw new IllegalArgumentException("hole grace must not be negative");
            }
        }

        /** Settings that accept no rewind (see {@link #open()}). */
        public Settings(int batchSize, long headEveryEvents, Duration headEvery, Duration pollInterval,
                        Duration holeGrace) {
            this(batchSize, headEveryEvents, headEvery, pollInterval, holeGrace, null);
        }

        /** Settings with the default hole grace, accepting no rewind. */
        public Settings(int batchSize, long headEveryEvents, Duration headEvery, Duration pollInterval) {
            this(batchSize, headEveryEvents, headEvery, pollInterval, DEFAULT_HOLE_GRACE);
        }

        /** These settings, accepting a rewind to a database of exactly {@code databaseSize} entries. */
        public Settings acceptingRewindTo(long databaseSize) {
            return new Settings(batchSize, headEveryEvents, headEvery, pollInterval, holeGrace, databaseSize);
        }

        public static Settings defaults() {
            return new Settings(1000, 10_000, Duration.ofSeconds(10), Duration.ofMillis(100));
        }
    }

    /**
     * What one batch appended, told to the {@link #onAppended listeners} once it is committed.
     *
     * @param firstIndex the ledger index of the first row
     * @param seqs       the audit seqs of the rows, in ledger order
     * @param leafHashes their leaf hashes, in the same order
     */
    public record Appended(long firstIndex, long[] seqs, List<byte[]> leafHashes) {
    }

    /**
     * A rewind the operator accepted at {@link #open()}: the database holds fewer ledger entries than this instance
     * had written or signed, and the ledger continues from the database.
     *
     * @param databaseSize   the entries the database holds (the ledger continues at this index)
     * @param leafFileLeaves the leaves the leaf file held
     * @param signedHere     the latest head this instance had signed, or null when it recorded none
     * @param lostLeaves     where the leaves beyond the database were kept, or null when the file held none
     */
    public record Rewind(long databaseSize, long leafFileLeaves, TreeHead signedHere, Path lostLeaves) {
    }

    /** A snapshot for health checks and metrics. */
    public record Status(boolean running, long size, SignedTreeHead latestHead, Instant lastSuccess,
                         String lastError, Instant lastErrorAt, long appendedTotal) {
    }

    private final LedgerDb db;
    private final Path leafFile;
    private final TreeHeadSigner signer;
    private final Settings settings;
    private final Clock clock;
    private final MerkleHash hasher = new MerkleHash();

    /** Holes below {@link #tailSeq} are searched in chunks of this many ranges per query. */
    private static final int HOLE_RANGES_PER_QUERY = 100;

    private volatile MerkleLog merkleLog;
    /** The largest audit seq the tail has passed (appended, or given up below it); guarded by this. */
    private long tailSeq;
    /** The stored horizon; guarded by this. */
    private long horizon;
    /** Seqs passed by the tail without a committed row; guarded by this. */
    private SeqHoles holes = new SeqHoles();
    private volatile long committedSize;
    private volatile SignedTreeHead latestHead;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile long appendedTotal;
    private volatile boolean running;
    private Thread thread;
    private final List<Consumer<Appended>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Rewind>> rewindListeners = new ArrayList<>();
    /** An accepted rewind no listener was told of yet; guarded by this. */
    private Rewind untoldRewind;
    private final SignedSizeMark signedHere;
    private final LeafFileOnDisk onDisk;
    private final DatabaseBehindCheck behind;

    public LedgerWriter(LedgerDb db, Path leafFile, TreeHeadSigner signer, Settings settings, Clock clock) {
        this.db = db;
        this.leafFile = leafFile;
        this.signedHere = new SignedSizeMark(leafFile);
        this.onDisk = new LeafFileOnDisk(leafFile);
        this.behind = new DatabaseBehindCheck(db, onDisk, signedHere, settings, clock);
        this.signer = signer;
        this.settings = settings;
        this.clock = clock;
    }

    /** Reconciles the leaf file with the database and opens the log (see the class documentation). */
    public synchronized void open() {
        // the head before the size: a leader writing meanwhile (this instance being a standby) cannot put the head
        // read here beyond the size read after it
        Optional<SignedTreeHead> head = db.latestHead();
        long dbSize = db.committedSize();
        Rewind rewind = behind.acceptedRewind(dbSize);
        truncateIfAhead(dbSize);
        dropLeavesTheDatabaseDoesNotHave(dbSize, head);
        MerkleLog opened = new MerkleLog(FileLeafHashStore.open(leafFile));
        try {
            if (opened.size() < dbSize) {
                log.warn("ledger leaf file " + leafFile + " has " + opened.size() + " leaves, the database "
                        + dbSize + ": re-deriving the missing leaf hashes from ledger_entry.leaf_hash");
                for (long from = opened.size(); from < dbSize; from += 10_000) {
                    for (byte[] leaf : db.leafHashes(from, Math.min(dbSize, from + 10_000))) {
                        opened.appendLeafHash(leaf);
                    }
                }
                opened.sync();
            }
            if (dbSize > 0) {
                byte[] recorded = db.leafHashes(dbSize - 1, dbSize).get(0);
                if (!MessageDigest.isEqual(recorded, opened.leafHash(dbSize - 1))) {
                    throw new IllegalStateException("ledger leaf file " + leafFile + " does not match ledger_entry at "
                            + "ledger index " + (dbSize - 1) + ": refusing to continue the ledger");
                }
            }
            if (head.isPresent()) {
                long n = head.get().treeSize();
                if (n > dbSize || !MessageDigest.isEqual(opened.rootHash(n), head.get().treeHead().rootHash())) {
                    throw new IllegalStateException("ledger leaf file " + leafFile + " does not match the signed tree "
                            + "head at size " + n + ": refusing to continue the ledger");
                }
            }
            loadTail();
            this.merkleLog = opened;
            this.committedSize = dbSize;
            this.latestHead = head.orElse(null);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        if (rewind != null) {
            untoldRewind = rewind;
            tellRewind();
        }
    }

    /**
     * Registers a listener told of a rewind accepted at {@link #open()} (at once if one was accepted before it
     * registered). It runs on the opening thread, once per rewind. Until the listeners have been told (without
     * throwing), the rewind is not forgotten: the head this instance signed before it stays in its
     * {@link SignedSizeMark}, so that a start that stops before (or whose listener fails) finds the rewind again at
     * its next opening, accepted again by the same setting.
     */
    public synchronized void onRewound(Consumer<Rewind> listener) {
        rewindListeners.add(Objects.requireNonNull(listener, "listener"));
        tellRewind();
    }

    private void tellRewind() {
        if (untoldRewind == null || rewindListeners.isEmpty()) {
            return;
        }
        Rewind rewind = untoldRewind;
        for (Consumer<Rewind> listener : rewindListeners) {
            listener.accept(rewind);
        }
        untoldRewind = null;
        // on the record: from now on the mark follows the continued ledger
        signedHere.clear();
        if (latestHead != null) {
            signedHere.write(latestHead.treeHead());
        }
    }

    /** The tail is the last seq in the ledger; the holes are the seqs above the horizon that are not. */
    private void loadTail() {
        long h = db.horizon();
        long last = Math.max(h, db.lastLedgerSeq());
        Instant now = clock.instant();
        SeqHoles found = new SeqHoles();
        long[] previous = {h};
        db.forEachLedgerSeq(h, last, seq -> {
            found.add(previous[0] + 1, seq - 1, now);
            previous[0] = seq;
        });
        found.add(previous[0] + 1, last, now);
        if (!found.isEmpty()) {
            log.info("ledger tail at audit seq {}: watching {} seq(s) above horizon {} that are not in the ledger",
                    last, found.count(), h);
        }
        this.horizon = h;
        this.tailSeq = last;
        this.holes = found;
    }

    /**
     * Drops the leaves at the end of the file that the database records otherwise: a batch this instance appended and
     * fsynced but never committed (it stopped in between) whose indexes another instance, leading meanwhile, gave to
     * other entries. Only the last batch can be such: the leaves are dropped (and kept aside in a file of their own)
     * only when they are within the last {@code batchSize}, a leaf below them matches and the database's latest head,
     * signed with the ledger key, covers them (the leaves re-derived in their place are then checked against its
     * root: an entry altered in the database since this instance wrote it is not copied into the file). Such a
     * difference that no head covers yet is refused; one with no matching leaf below is left to the checks that
     * follow.
     */
    private void dropLeavesTheDatabaseDoesNotHave(long dbSize, Optional<SignedTreeHead> head) {
        long fileLeaves = Math.min(onDisk.leaves(), dbSize);
        if (fileLeaves == 0) {
            return;
        }
        long from = Math.max(0, fileLeaves - settings.batchSize() - 1);
        long firstDiffering = onDisk.firstDiffering(from, db.leafHashes(from, fileLeaves));
        if (firstDiffering <= from) {
            return; // all match, or no matching leaf below the difference: left to the checks
        }
        if (head.isEmpty() || head.get().treeSize() < fileLeaves || !signer.signed(head.get())) {
            // no head signed with the ledger key covers the database's leaves there: they cannot be told from a
            // database altered since this instance wrote them (the file is then the only witness). Refused here: the
            // checks that follow look at the last leaf and the head only, and would let the file open with them
            throw new IllegalStateException("ledger leaf file " + leafFile + " does not match ledger_entry at ledger "
                    + "index " + firstDiffering + ": refusing to continue the ledger (no tree head signed with the "
                    + "ledger key covers index " + (fileLeaves - 1) + " yet; if another instance led meanwhile and "
                    + "filled the indexes of a batch this one had not committed, this resolves once it has signed a "
                    + "head over them)");
        }
        Path kept = onDisk.keep("diverged", firstDiffering, fileLeaves, clock.millis());
        log.warn("ledger leaf file {} holds {} leaves from index {} that the database records otherwise (a batch this "
                + "instance wrote but had not committed when it stopped; another instance has committed other entries "
                + "there since): kept in {}, dropped, re-derived from the database", leafFile,
                fileLeaves - firstDiffering, firstDiffering, kept);
        onDisk.truncate(firstDiffering);
    }

    private void truncateIfAhead(long dbSize) {
        long fileLeaves = onDisk.leaves();
        if (onDisk.truncate(dbSize)) {
            log.warn("ledger leaf file " + leafFile + " is ahead of the database (" + fileLeaves + " leaves, " + dbSize
                    + " committed): truncating it to " + dbSize + " leaves; the rows behind them are appended again");
        }
    }

    /**
     * Appends one batch of pending rows (and publishes a head when due).
     *
     * @return the number of rows appended
     */
    public synchronized int runOnce() {
        MerkleLog current = requireOpen();
        Instant now = clock.instant();
        int limit = settings.batchSize();
        SeqHoles nextHoles = holes.copy();
        List<AuditRow> rows = new ArrayList<>(Math.min(limit, 4096));
        if (!holes.isEmpty()) {
            long[] ranges = holes.ranges();
            for (int i = 0; i < ranges.length && rows.size() < limit; i += 2 * HOLE_RANGES_PER_QUERY) {
                long[] chunk = Arrays.copyOfRange(ranges, i, Math.min(ranges.length, i + 2 * HOLE_RANGES_PER_QUERY));
                for (AuditRow late : db.inRanges(chunk, limit - rows.size())) {
                    rows.add(late);
                    nextHoles.remove(late.sequence());
                }
            }
        }
        long nextTail = tailSeq;
        if (rows.size() < limit) {
            for (AuditRow row : db.after(tailSeq, limit - rows.size())) {
                nextHoles.add(nextTail + 1, row.sequence() - 1, now);
                nextTail = row.sequence();
                rows.add(row);
            }
        }
        for (SeqHoles.Hole gone : nextHoles.expire(now, settings.holeGrace())) {
            log.info("audit seq(s) {}..{} never committed within {} of being passed: given up (a rolled-back "
                    + "transaction or an unused identity value)", gone.from(), gone.to(), settings.holeGrace());
        }
        long nextHorizon = nextHoles.isEmpty() ? nextTail : nextHoles.first() - 1;
        if (rows.isEmpty()) {
            if (nextHorizon != horizon) {
                db.setHorizon(nextHorizon);
                horizon = nextHorizon;
            }
            holes = nextHoles;
            maybePublishHead();
            return 0;
        }
        long first = committedSize;
        if (current.size() != first) {
            reopen(); // reloads the tail and the holes from the database: read again
            return runOnce();
        }
        List<byte[]> leaves = new ArrayList<>(rows.size());
        try {
            for (int i = 0; i < rows.size(); i++) {
                byte[] leaf = hasher.leaf(rows.get(i).entry(first + i));
                leaves.add(leaf);
                current.appendLeafHash(leaf);
            }
            current.sync();
            db.assign(rows, first, leaves, nextHorizon != horizon ? nextHorizon : null);
        } catch (RuntimeException e) {
            reopen(); // drops the leaves the database did not record, reloads the tail and the holes
            throw e;
        }
        committedSize = first + rows.size();
        appendedTotal += rows.size();
        tell(first, rows, leaves);
        tailSeq = nextTail;
        horizon = nextHorizon;
        holes = nextHoles;
        maybePublishHead();
        return rows.size();
    }

    /**
     * Registers a listener told of every batch this writer appends, on the writer's thread right after its commit
     * (e.g. answers waiting for the ledger index of their audit event). It must be quick and must not throw.
     */
    public void onAppended(Consumer<Appended> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Whether this instance's writer thread runs (on one instance only: the leader). */
    public boolean isRunning() {
        return running;
    }

    private void tell(long first, List<AuditRow> rows, List<byte[]> leaves) {
        if (listeners.isEmpty()) {
            return;
        }
        long[] seqs = new long[rows.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = rows.get(i).sequence();
        }
        Appended appended = new Appended(first, seqs, List.copyOf(leaves));
        for (Consumer<Appended> listener : listeners) {
            try {
                listener.accept(appended);
            } catch (RuntimeException e) {
                log.warn("a ledger listener failed", e);
            }
        }
    }

    /** Runs batches until no row is pending; returns the number appended. */
    public int catchUp() {
        int total = 0;
        int n;
        while ((n = runOnce()) > 0) {
            total += n;
        }
        return total;
    }

    private void reopen() {
        MerkleLog old = merkleLog;
        merkleLog = null;
        if (old != null) {
            try {
                old.close();
            } catch (RuntimeException e) {
                log.warn("closing the ledger log failed", e);
            }
        }
        open();
    }

    private void maybePublishHead() {
        long size = committedSize;
        SignedTreeHead last = latestHead;
        long lastSize = last == null ? 0 : last.treeSize();
        if (size == 0 || size == lastSize) {
            return;
        }
        Instant now = clock.instant();
        boolean dueByCount = size - lastSize >= settings.headEveryEvents();
        boolean dueByTime = last == null
                || !now.isBefore(last.treeHead().timestamp().plus(settings.headEvery()));
        if (dueByCount || dueByTime) {
            publishHead();
        }
    }

    /** Signs and stores a head over every committed leaf now (no-op returning the latest when nothing is new). */
    public synchronized SignedTreeHead publishHead() {
        MerkleLog current = requireOpen();
        long size = committedSize;
        if (latestHead != null && latestHead.treeSize() == size) {
            return latestHead;
        }
        SignedTreeHead sth = signer.sign(new TreeHead(size, current.rootHash(size), clock.instant()));
        db.insertHead(sth);
        latestHead = sth;
        if (untoldRewind != null) {
            return sth;   // the mark keeps the rewind until it is told (tellRewind)
        }
        try {
            signedHere.write(sth.treeHead());
        } catch (UncheckedIOException e) {
            log.warn("the signed head of size {} is stored, but not in {}: {} (a restore of an older database "
                    + "backup would be found by the leaf file only)", size, signedHere.file(), e.getMessage());
        }
        return sth;
    }

    // ---- the writer thread ----

    /** Starts the writer thread (daemon). */
    public synchronized void start() {
        if (running) {
            return;
        }
        requireOpen();
        running = true;
        thread = new Thread(this::loop, "spie-ledger-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long backoff = settings.pollInterval().toMillis();
        while (running) {
            try {
                int n = runOnce();
                lastSuccess = clock.instant();
                lastError = null;
                backoff = settings.pollInterval().toMillis();
                if (n < settings.batchSize()) {
                    pause(settings.pollInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                lastErrorAt = clock.instant();
                log.warn("ledger writer failed, retrying in {} ms", backoff, e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private final Object wake = new Object();
    private boolean wakeRequested;

    private void pause(Duration d) throws InterruptedException {
        synchronized (wake) {
            if (!wakeRequested) {
                wake.wait(Math.max(1, d.toMillis()));
            }
            wakeRequested = false;
        }
    }

    /**
     * Asks the writer thread to run its next batch now rather than after its poll interval (e.g. a caller waits for
     * the ledger index of a row it just committed). Harmless when the thread is busy or stopped.
     */
    public void wakeUp() {
        synchronized (wake) {
            wakeRequested = true;
            wake.notifyAll();
        }
    }

    /** Stops the thread (after its current batch) and closes the log. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            wakeUp();
            t = thread;
            thread = null;
        }
        if (t != null) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (merkleLog != null) {
                merkleLog.close();
                merkleLog = null;
            }
        }
    }

    // ---- queries (any thread) ----

    /** Whether {@link #open()} succeeded and the log is not closed. */
    public boolean isOpen() {
        return merkleLog != null;
    }

    /** Leaves committed to the database (and the file). */
    public long size() {
        return committedSize;
    }

    /** The latest signed head, if any. */
    public Optional<SignedTreeHead> latestHead() {
        return Optional.ofNullable(latestHead);
    }

    /** Inclusion proof of leaf {@code index} in the tree of {@code treeSize} leaves. */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        checkTreeSize(treeSize);
        return requireOpen().inclusionProof(index, treeSize);
    }

    /** Consistency proof between two tree sizes. */
    public List<byte[]> consistencyProof(long first, long second) {
        checkTreeSize(second);
        return requireOpen().consistencyProof(first, second);
    }

    /** The stored leaf hash at {@code index}. */
    public byte[] leafHash(long index) {
        if (index < 0 || index >= committedSize) {
            throw new IllegalArgumentException("leaf index " + index + " outside 0.." + (committedSize - 1));
        }
        return requireOpen().leafHash(index);
    }

    /** Root hash of the tree of {@code treeSize} leaves. */
    public byte[] rootHash(long treeSize) {
        checkTreeSize(treeSize);
        return requireOpen().rootHash(treeSize);
    }

    /** Snapshot of the writer's state. */
    public Status status() {
        return new Status(running, committedSize, latestHead, lastSuccess, lastError, lastErrorAt, appendedTotal);
    }

    /** The leaf file. */
    public Path leafFile() {
        return leafFile;
    }

    private void checkTreeSize(long treeSize) {
        if (treeSize < 0 || treeSize > committedSize) {
            throw new IllegalArgumentException("tree size " + treeSize + " outside 0.." + committedSize);
        }
    }

    private MerkleLog requireOpen() {
        MerkleLog current = merkleLog;
        if (current == null) {
            throw new IllegalStateException("the ledger is not open");
        }
        return current;
    }
}
