package fr.spie.gateway.ledger;

/**
 * Streaming RFC 9162 root computation: push leaf hashes in index order, ask for the root of
 * everything pushed so far at any time. Keeps one hash per level (the "compact range"
 * of complete subtrees), so memory is O(log n) and each push costs amortised one node hash.
 * Not thread-safe.
 */
public final class RootAccumulator {

    private final byte[][] frontier = new byte[64][];
    private final MerkleHash hasher = new MerkleHash();
    private long size;

    /** Adds the next leaf hash. */
    public void push(byte[] leafHash) {
        if (leafHash == null || leafHash.length != MerkleHash.HASH_SIZE) {
            throw new IllegalArgumentException("leaf hash must be 32 bytes");
        }
        byte[] current = leafHash;
        int level = 0;
        long position = size;
        while ((position & 1) == 1) {
            current = hasher.node(frontier[level], current);
            frontier[level] = null;
            level++;
            position >>>= 1;
        }
        frontier[level] = current;
        size++;
    }

    /** Hashes {@code entry} as a leaf and adds it. */
    public void pushEntry(byte[] entry) {
        push(hasher.leaf(entry));
    }

    /** Number of leaves pushed. */
    public long size() {
        return size;
    }

    /** MTH of all leaves pushed so far (the empty-tree hash when none). */
    public byte[] root() {
        byte[] acc = null;
        for (int level = 0; level < frontier.length; level++) {
            if ((size >>> level & 1) == 1) {
                acc = acc == null ? frontier[level] : hasher.node(frontier[level], acc);
            }
        }
        return acc == null ? MerkleHash.emptyTreeHash() : acc.clone();
    }
}
