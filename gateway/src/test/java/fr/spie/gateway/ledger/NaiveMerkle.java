package fr.spie.gateway.ledger;

import java.util.ArrayList;
import java.util.List;

/** Literal transcription of the RFC 9162 §2.1 recursive definitions, as a test oracle. */
final class NaiveMerkle {

    private NaiveMerkle() {
    }

    static byte[] mth(List<byte[]> d) {
        int n = d.size();
        if (n == 0) {
            return MerkleHash.emptyTreeHash();
        }
        if (n == 1) {
            return d.get(0);
        }
        int k = k(n);
        return MerkleHash.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, n)));
    }

    /** PATH(m, D[n]). */
    static List<byte[]> path(int m, List<byte[]> d) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (n <= 1) {
            return out;
        }
        int k = k(n);
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(path(m - k, d.subList(k, n)));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
    static List<byte[]> proof(int m, List<byte[]> d) {
        return subproof(m, d, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
        int n = d.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(d));
            }
            return out;
        }
        int k = k(n);
        if (m <= k) {
            out.addAll(subproof(m, d.subList(0, k), b));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, d.subList(k, n), false));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    private static int k(int n) {
        return Integer.highestOneBit(n - 1);
    }

    static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(MerkleHash.leafHash(entry(i)));
        }
        return out;
    }

    static byte[] entry(int i) {
        return ("entry-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
