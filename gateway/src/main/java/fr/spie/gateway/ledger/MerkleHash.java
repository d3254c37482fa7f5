package fr.spie.gateway.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * RFC 9162 §2.1.1 hashing with SHA-256 and domain separation:
 * leaf hash = SHA-256(0x00 ‖ entry), node hash = SHA-256(0x01 ‖ left ‖ right),
 * and the Merkle Tree Hash (MTH) of an arbitrary list of leaf hashes.
 *
 * <p>Instances are <em>not</em> thread-safe (they reuse one {@link MessageDigest});
 * the static helpers create a fresh digest per call.
 */
public final class MerkleHash {

    /** Size of every hash produced here, in bytes. */
    public static final int HASH_SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest digest;

    /** Creates a hasher with its own SHA-256 digest. */
    public MerkleHash() {
        this.digest = newSha256();
    }

    /** Leaf hash of an entry: SHA-256(0x00 ‖ entry). */
    public byte[] leaf(byte[] entry) {
        digest.update(LEAF_PREFIX);
        digest.update(entry);
        return digest.digest();
    }

    /** Interior node hash: SHA-256(0x01 ‖ left ‖ right). */
    public byte[] node(byte[] left, byte[] right) {
        digest.update(NODE_PREFIX);
        digest.update(left, 0, HASH_SIZE);
        digest.update(right, 0, HASH_SIZE);
        return digest.digest();
    }

    /** Node hash of two hashes stored at offsets of byte arrays (avoids copies). */
    public byte[] node(byte[] left, int leftOffset, byte[] right, int rightOffset) {
        digest.update(NODE_PREFIX);
        digest.update(left, leftOffset, HASH_SIZE);
        digest.update(right, rightOffset, HASH_SIZE);
        return digest.digest();
    }

    /** Hash of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
    public static byte[] emptyTreeHash() {
        return newSha256().digest();
    }

    /** Static convenience for {@link #leaf(byte[])}. */
    public static byte[] leafHash(byte[] entry) {
        return new MerkleHash().leaf(entry);
    }

    /** Static convenience for {@link #node(byte[], byte[])}. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        return new MerkleHash().node(left, right);
    }

    /**
     * MTH over a list of leaf hashes, per RFC 9162 §2.1.1: for n &gt; 1, split at the largest
     * power of two k &lt; n, MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])). O(n) time.
     */
    public static byte[] treeHash(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return emptyTreeHash();
        }
        MerkleHash h = new MerkleHash();
        return h.treeHash(leafHashes, 0, leafHashes.size());
    }

    private byte[] treeHash(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = (int) largestPowerOfTwoBelow(n);
        return node(treeHash(leaves, from, from + k), treeHash(leaves, from + k, to));
    }

    /** Largest power of two strictly smaller than {@code n} (n ≥ 2). */
    public static long largestPowerOfTwoBelow(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("n must be >= 2: " + n);
        }
        return Long.highestOneBit(n - 1);
    }

    /** Lower-case hexadecimal form of a hash (for messages and key ids). */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Parses lower- or upper-case hexadecimal. */
    public static byte[] fromHex(String hex) {
        return HEX.parseHex(hex);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
