package fr.spie.gateway.ledger;

import fr.spie.gateway.ledger.store.HashArray;
import fr.spie.gateway.ledger.store.LeafHashStore;
import java.io.Closeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Append-only RFC 9162 Merkle tree log over a {@link LeafHashStore}.
 *
 * <h2>Subtree cache</h2>
 * Besides the leaf hashes (in the store), the log keeps in memory the hash of every complete,
 * aligned subtree of 2^k leaves for k ≥ {@code cacheFromLevel} (default 6, i.e. 64 leaves):
 * level k holds the hashes of leaves [j·2^k, (j+1)·2^k) at position j. Every subtree that RFC 9162
 * recursion visits is such an aligned subtree, so {@link #rootHash(long)}, {@link #inclusionProof}
 * and {@link #consistencyProof} for <em>any</em> historical tree size read O(log n) cached hashes
 * plus at most one contiguous block of fewer than 2^{@code cacheFromLevel} leaf hashes from the
 * store per proof step below the cached levels (in practice one or two small reads).
 * The cache costs about 64/2^{@code cacheFromLevel} bytes per leaf (1 byte/leaf at the default,
 * 10 MB for 10 million leaves). It is not persisted: the constructor rebuilds it by replaying the
 * leaf hashes of the store (one node hash per leaf, a few seconds for 10 million leaves).
 *
 * <p>All public methods are synchronized; one instance must own its store.
 */
public final class MerkleLog implements Closeable {

    /** Default lowest cached level: subtrees of 64 leaves and up. */
    public static final int DEFAULT_CACHE_FROM_LEVEL = 6;

    private static final int HASH = MerkleHash.HASH_SIZE;
    private static final int REPLAY_BATCH = 8192;

    private final LeafHashStore store;
    private final int cacheFromLevel;
    private final HashArray[] levels = new HashArray[64];
    private final byte[][] frontier = new byte[64][];
    private final MerkleHash hasher = new MerkleHash();
    private long size;

    /** Opens a log over {@code store} with the default cache, rebuilding the cache from it. */
    public MerkleLog(LeafHashStore store) {
        this(store, DEFAULT_CACHE_FROM_LEVEL);
    }

    /**
     * Opens a log over {@code store}, caching complete subtrees of 2^{@code cacheFromLevel}
     * leaves and larger (1..20).
     */
    public MerkleLog(LeafHashStore store, int cacheFromLevel) {
        if (cacheFromLevel < 1 || cacheFromLevel > 20) {
            throw new IllegalArgumentException("cacheFromLevel must be in 1..20");
        }
        this.store = Objects.requireNonNull(store, "store");
        this.cacheFromLevel = cacheFromLevel;
        for (int level = cacheFromLevel; level < levels.length; level++) {
            levels[level] = new HashArray();
        }
        replay();
    }

    private void replay() {
        long total = store.size();
        byte[] batch = new byte[REPLAY_BATCH * HASH];
        byte[] leaf = new byte[HASH];
        for (long from = 0; from < total; from += REPLAY_BATCH) {
            int n = (int) Math.min(REPLAY_BATCH, total - from);
            store.read(from, n, batch, 0);
            for (int i = 0; i < n; i++) {
                System.arraycopy(batch, i * HASH, leaf, 0, HASH);
                addToTree(leaf.clone());
            }
        }
    }

    /** Appends an entry (its leaf hash is stored) and returns its index. */
    public synchronized long append(byte[] entry) {
        return appendLeafHash(hasher.leaf(entry));
    }

    /** Appends entries in order and returns the index of the first one. */
    public synchronized long appendAll(List<byte[]> entries) {
        long first = size;
        for (byte[] entry : entries) {
            appendLeafHash(hasher.leaf(entry));
        }
        return first;
    }

    /** Appends a precomputed 32-byte leaf hash and returns its index. */
    public synchronized long appendLeafHash(byte[] leafHash) {
        if (leafHash == null || leafHash.length != HASH) {
            throw new IllegalArgumentException("leaf hash must be 32 bytes");
        }
        store.append(leafHash);
        return addToTree(leafHash);
    }

    private long addToTree(byte[] leafHash) {
        long index = size;
        byte[] current = leafHash;
        int level = 0;
        long position = index;
        while ((position & 1) == 1) {
            current = hasher.node(frontier[level], current);
            level++;
            position >>>= 1;
            if (level >= cacheFromLevel) {
                levels[level].append(current, 0);
            }
        }
        // every node at level >= 1 (left or right child) is created, and cached, in the loop above
        frontier[level] = current;
        size = index + 1;
        return index;
    }

    /** Number of leaves. */
    public synchronized long size() {
        return size;
    }

    /** The stored leaf hash at {@code index}. */
    public synchronized byte[] leafHash(long index) {
        checkIndex(index, size);
        return store.get(index);
    }

    /** Root hash of the current tree. */
    public synchronized byte[] rootHash() {
        return rootHash(size);
    }

    /** Root hash (MTH) of the first {@code treeSize} leaves; the empty-tree hash for 0. */
    public synchronized byte[] rootHash(long treeSize) {
        checkTreeSize(treeSize);
        return treeSize == 0 ? MerkleHash.emptyTreeHash() : mth(0, treeSize);
    }

    /** Tree head of the current tree at {@code timestamp}. */
    public synchronized TreeHead treeHead(Instant timestamp) {
        return new TreeHead(size, rootHash(size), timestamp);
    }

    /**
     * RFC 9162 §2.1.3.1 inclusion proof PATH(index, D[treeSize]), leaf side first.
     *
     * @throws IllegalArgumentException unless 0 ≤ index &lt; treeSize ≤ size()
     */
    public synchronized List<byte[]> inclusionProof(long index, long treeSize) {
        checkTreeSize(treeSize);
        checkIndex(index, treeSize);
        List<byte[]> topDown = new ArrayList<>();
        long start = 0;
        long end = treeSize;
        Window window = null;
        while (end - start > 1) {
            if (window == null && end - start <= (1L << cacheFromLevel)) {
                window = new Window(start, end);
            }
            long k = MerkleHash.largestPowerOfTwoBelow(end - start);
            if (index < start + k) {
                topDown.add(mth(start + k, end, window));
                end = start + k;
            } else {
                topDown.add(mth(start, start + k, window));
                start += k;
            }
        }
        Collections.reverse(topDown);
        return topDown;
    }

    /**
     * RFC 9162 §2.1.4.1 consistency proof PROOF(first, D[second]). Empty when
     * {@code first == second} or {@code first == 0}.
     *
     * @throws IllegalArgumentException unless 0 ≤ first ≤ second ≤ size()
     */
    public synchronized List<byte[]> consistencyProof(long first, long second) {
        checkTreeSize(second);
        if (first < 0 || first > second) {
            throw new IllegalArgumentException("need 0 <= first <= second: " + first + ", " + second);
        }
        List<byte[]> topDown = new ArrayList<>();
        if (first == 0 || first == second) {
            return topDown;
        }
        long start = 0;
        long end = second;
        long m = first;
        boolean completeSubtree = true;
        Window window = null;
        while (true) {
            if (window == null && end - start <= (1L << cacheFromLevel)) {
                window = new Window(start, end);
            }
            if (end - start == m) {
                if (!completeSubtree) {
                    topDown.add(mth(start, end, window));
                }
                break;
            }
            long k = MerkleHash.largestPowerOfTwoBelow(end - start);
            if (m <= k) {
                topDown.add(mth(start + k, end, window));
                end = start + k;
            } else {
                topDown.add(mth(start, start + k, window));
                start += k;
                m -= k;
                completeSubtree = false;
            }
        }
        Collections.reverse(topDown);
        return topDown;
    }

    /** Makes the stored leaf hashes durable. */
    public synchronized void sync() {
        store.sync();
    }

    /** Closes the underlying store. */
    @Override
    public synchronized void close() {
        store.close();
    }

    // ---- tree hash computation ----

    private byte[] mth(long start, long end) {
        return mth(start, end, null);
    }

    /** MTH of leaves [start, end), using the cache for aligned complete subtrees. */
    private byte[] mth(long start, long end, Window window) {
        long n = end - start;
        if (window != null && window.covers(start, end)) {
            return window.mth(start, end);
        }
        if (n <= (1L << cacheFromLevel)) {
            return new Window(start, end).mth(start, end);
        }
        if (Long.bitCount(n) == 1) {
            int level = Long.numberOfTrailingZeros(n);
            return levels[level].get(start >>> level);
        }
        long k = MerkleHash.largestPowerOfTwoBelow(n);
        return hasher.node(mth(start, start + k, window), mth(start + k, end, window));
    }

    /** A contiguous block of leaf hashes read from the store in one call. */
    private final class Window {
        private final long first;
        private final long last;
        private final byte[] hashes;

        Window(long first, long last) {
            this.first = first;
            this.last = last;
            this.hashes = new byte[(int) (last - first) * HASH];
            store.read(first, (int) (last - first), hashes, 0);
        }

        boolean covers(long start, long end) {
            return start >= first && end <= last;
        }

        byte[] mth(long start, long end) {
            long n = end - start;
            if (n == 1) {
                byte[] out = new byte[HASH];
                System.arraycopy(hashes, (int) (start - first) * HASH, out, 0, HASH);
                return out;
            }
            long k = MerkleHash.largestPowerOfTwoBelow(n);
            return hasher.node(mth(start, start + k), mth(start + k, end));
        }
    }

    private void checkTreeSize(long treeSize) {
        if (treeSize < 0 || treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " outside 0.." + size);
        }
    }

    private static void checkIndex(long index, long treeSize) {
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf index " + index + " outside 0.." + (treeSize - 1));
        }
    }
}
