package fr.spie.gateway.ledger;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * State of the log at one moment: number of leaves, root hash and timestamp (millisecond
 * precision; finer precision is truncated so that the canonical form round-trips).
 *
 * <p>Canonical serialisation (the bytes that are signed), {@value #SERIALIZED_SIZE} bytes, big-endian:
 * <pre>
 *   offset 0  : 1 byte   version = 0x01
 *   offset 1  : 8 bytes  tree size (signed 64-bit, ≥ 0)
 *   offset 9  : 8 bytes  timestamp, milliseconds since 1970-01-01T00:00:00Z (signed 64-bit)
 *   offset 17 : 32 bytes root hash (SHA-256 MTH)
 * </pre>
 */
public record TreeHead(long treeSize, byte[] rootHash, Instant timestamp) {

    /** Version byte of the canonical serialisation. */
    public static final byte VERSION = 0x01;
    /** Length of {@link #toCanonicalBytes()}. */
    public static final int SERIALIZED_SIZE = 1 + 8 + 8 + MerkleHash.HASH_SIZE;

    /** Validates and defensively copies the root hash; truncates the timestamp to millis. */
    public TreeHead {
        if (treeSize < 0) {
            throw new IllegalArgumentException("tree size must be >= 0");
        }
        Objects.requireNonNull(rootHash, "rootHash");
        if (rootHash.length != MerkleHash.HASH_SIZE) {
            throw new IllegalArgumentException("root hash must be 32 bytes");
        }
        rootHash = rootHash.clone();
        timestamp = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.MILLIS);
    }

    /** A copy of the root hash. */
    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The canonical bytes described in the type documentation. */
    public byte[] toCanonicalBytes() {
        return ByteBuffer.allocate(SERIALIZED_SIZE)
                .put(VERSION)
                .putLong(treeSize)
                .putLong(timestamp.toEpochMilli())
                .put(rootHash)
                .array();
    }

    /** Parses the canonical bytes. */
    public static TreeHead fromCanonicalBytes(byte[] bytes) {
        if (bytes == null || bytes.length != SERIALIZED_SIZE) {
            throw new IllegalArgumentException("tree head must be " + SERIALIZED_SIZE + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported tree head version " + version);
        }
        long size = in.getLong();
        Instant ts = Instant.ofEpochMilli(in.getLong());
        byte[] root = new byte[MerkleHash.HASH_SIZE];
        in.get(root);
        return new TreeHead(size, root, ts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeHead t && t.treeSize == treeSize
                && Arrays.equals(t.rootHash, rootHash) && t.timestamp.equals(timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(treeSize, Arrays.hashCode(rootHash), timestamp);
    }

    @Override
    public String toString() {
        return "TreeHead[size=" + treeSize + ", root=" + MerkleHash.hex(rootHash) + ", at=" + timestamp + "]";
    }
}
