package fr.spie.gateway.ledger;

import java.security.MessageDigest;
import java.util.List;

/**
 * Stateless RFC 9162 proof verification, usable offline without the log:
 * inclusion (§2.1.3.2) and consistency (§2.1.4.2), implemented step by step as in the RFC.
 */
public final class MerkleVerifier {

    private MerkleVerifier() {
    }

    /**
     * Verifies that {@code leafHash} is leaf {@code index} of the tree of {@code treeSize}
     * leaves whose root is {@code rootHash} (RFC 9162 §2.1.3.2).
     */
    public static boolean verifyInclusion(byte[] leafHash, long index, long treeSize,
            List<byte[]> proof, byte[] rootHash) {
        if (leafHash == null || rootHash == null || proof == null || index < 0 || index >= treeSize) {
            return false;
        }
        MerkleHash h = new MerkleHash();
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (!isHash(p) || sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = h.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = h.node(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, rootHash);
    }

    /**
     * Verifies that the tree of {@code second} leaves with root {@code secondRoot} is an
     * append-only extension of the tree of {@code first} leaves with root {@code firstRoot}
     * (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and equal roots; a first size of 0
     * needs an empty proof (every tree extends the empty tree).
     */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot,
            byte[] secondRoot, List<byte[]> proof) {
        if (proof == null || firstRoot == null || secondRoot == null || first < 0 || first > second) {
            return false;
        }
        if (first == 0) {
            return proof.isEmpty();
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        // 1. an empty path fails
        if (proof.isEmpty()) {
            return false;
        }
        for (byte[] p : proof) {
            if (!isHash(p)) {
                return false;
            }
        }
        MerkleHash h = new MerkleHash();
        // 2. if first is an exact power of 2, prepend first_hash
        int next = 0;
        byte[] seed;
        if (Long.bitCount(first) == 1) {
            seed = firstRoot;
        } else {
            seed = proof.get(0);
            next = 1;
        }
        // 3.
        long fn = first - 1;
        long sn = second - 1;
        // 4.
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        // 5.
        byte[] fr = seed;
        byte[] sr = seed;
        // 6.
        for (int i = next; i < proof.size(); i++) {
            byte[] c = proof.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = h.node(c, fr);
                sr = h.node(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = h.node(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        // 7.
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    private static boolean isHash(byte[] p) {
        return p != null && p.length == MerkleHash.HASH_SIZE;
    }
}
