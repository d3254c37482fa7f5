package fr.spie.gateway.ledger;

import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Offline verification of an exported ledger, without database or gateway.
 *
 * <h2>Export format</h2>
 * An export carries, for index order 0..n-1:
 * <ol>
 *   <li>the entries (the canonical JSON bytes that were appended);</li>
 *   <li>optionally, the per-entry leaf hashes recorded by the log — the
 *       {@link fr.spie.gateway.ledger.store.FileLeafHashStore} file copied as-is (raw 32-byte
 *       hashes). They are not trusted by themselves: they are only used once they reproduce a
 *       signed root, and then they pinpoint the <em>first</em> bad entry exactly (first index whose
 *       recomputed leaf hash differs). Without them (or when they are tampered too) the verifier can
 *       only say that the first bad entry lies after the last head that verified, and reports that
 *       index as a lower bound with the range in the reason;</li>
 *   <li>the signed tree heads, and the public key (PEM, see {@link GatewayKeys#readPublicKeyPem}).</li>
 * </ol>
 *
 * <p>Heads are processed in ascending tree size, streaming the entries once: each head's
 * signature is checked, then the root recomputed over the first {@code treeSize} entries is
 * compared with the signed root. The first failure (by position in the log) is reported.
 */
public final class LedgerVerifier {

    private final PublicKey publicKey;
    private final String keyId;

    /** Verifier trusting signatures by {@code publicKey} (Ed25519). */
    public LedgerVerifier(PublicKey publicKey) {
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.keyId = KeyIds.keyId(publicKey);
    }

    /** Verifies entries against the signed heads, without exported leaf hashes. */
    public VerificationReport verify(Iterable<byte[]> entries, List<SignedTreeHead> heads) {
        return verify(entries, null, heads);
    }

    /**
     * Verifies entries against the signed heads.
     *
     * @param entries     entry bytes in index order
     * @param leafHashes  the log's exported leaf hashes in index order, or null
     * @param heads       signed tree heads, any order
     */
    public VerificationReport verify(Iterable<byte[]> entries, Iterable<byte[]> leafHashes,
            List<SignedTreeHead> heads) {
        MerkleHash hasher = new MerkleHash();
        return verifyLeaves(() -> new Iterator<>() {
            private final Iterator<byte[]> it = entries.iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public byte[] next() {
                return hasher.leaf(it.next());
            }
        }, leafHashes, heads);
    }

    /**
     * As {@link #verify(Iterable, Iterable, List)}, given the leaf hashes of the entries (computed by the caller from
     * the entries themselves, never read from the export) rather than the entries.
     *
     * @param entryLeaves the leaf hashes of the entries, in index order
     * @param leafHashes  the log's exported leaf hashes in index order, or null
     * @param heads       signed tree heads, any order
     */
    public VerificationReport verifyLeaves(Iterable<byte[]> entryLeaves, Iterable<byte[]> leafHashes,
            List<SignedTreeHead> heads) {
        if (heads.isEmpty()) {
            return VerificationReport.failure(0, 0, -1, -1, "no signed tree head to verify against");
        }
        List<SignedTreeHead> sorted = new ArrayList<>(heads);
        sorted.sort(Comparator.comparingLong(SignedTreeHead::treeSize));
        VerificationReport fork = fork(sorted);
        if (fork != null) {
            return fork;
        }
        Iterator<byte[]> entryIt = entryLeaves.iterator();
        Iterator<byte[]> exportIt = leafHashes == null ? null : leafHashes.iterator();
        RootAccumulator fromEntries = new RootAccumulator();
        RootAccumulator fromExport = new RootAccumulator();
        long position = 0;        // next index to read
        long firstDiff = -1;      // first index where entry leaf hash and exported leaf hash differ
        byte[][] firstDiffHashes = null;
        long lastGoodSize = 0;
        int headsOk = 0;

        for (SignedTreeHead sth : sorted) {
            long n = sth.treeSize();
            String headName = "tree head at size " + n;
            if (!TreeHeadSigner.verify(sth, publicKey)) {
                String why = keyId.equals(sth.keyId()) ? "" : " (key id " + sth.keyId() + ", expected " + keyId + ")";
                return VerificationReport.failure(fromEntries.size(), headsOk, -1, n, headName + ": bad signature" + why);
            }
            while (position < n) {
                byte[] fromEntry = entryIt.hasNext() ? entryIt.next() : null;
                byte[] exported = exportIt != null && exportIt.hasNext() ? exportIt.next() : null;
                if (fromEntry != null) {
                    fromEntries.push(fromEntry);
                }
                if (exported != null) {
                    fromExport.push(exported);
                }
                if (exportIt != null && firstDiff < 0
                        && (fromEntry == null || exported == null || !MessageDigest.isEqual(fromEntry, exported))) {
                    firstDiff = position;
                    firstDiffHashes = new byte[][] {fromEntry, exported};
                }
                if (fromEntry == null && exported == null) {
                    break;
                }
                position++;
            }
            byte[] signedRoot = sth.treeHead().rootHash();
            if (fromEntries.size() == n && MessageDigest.isEqual(fromEntries.root(), signedRoot)) {
                if (firstDiff >= 0 && firstDiff < n) {
                    return VerificationReport.failure(fromEntries.size(), headsOk, -1, n,
                            "exported leaf hash " + firstDiff + " does not match entry " + firstDiff
                                    + " although the entries match the " + headName + " (leaf hash export corrupt)");
                }
                lastGoodSize = n;
                headsOk++;
                continue;
            }
            String mismatch = fromEntries.size() < n
                    ? headName + " does not match: only " + fromEntries.size() + " entries for " + n + " leaves"
                    : headName + " does not match: recomputed root " + MerkleHash.hex(fromEntries.root())
                            + " ≠ signed root " + MerkleHash.hex(signedRoot);
            boolean exportAuthentic = exportIt != null && fromExport.size() == n
                    && MessageDigest.isEqual(fromExport.root(), signedRoot);
            if (exportAuthentic && firstDiff >= 0) {
                return VerificationReport.failure(fromEntries.size(), headsOk, firstDiff, n,
                        "entry " + firstDiff + ": " + mismatch + "; " + describeDiff(firstDiff, firstDiffHashes));
            }
            String range = lastGoodSize == n - 1 ? "entry " + lastGoodSize : "entries " + lastGoodSize + ".." + (n - 1);
            return VerificationReport.failure(fromEntries.size(), headsOk, lastGoodSize, n,
                    range + ": " + mismatch + " (first bad entry is at or after " + lastGoodSize
                            + (exportIt == null ? "; export without leaf hashes" : "; exported leaf hashes do not match the signed root either")
                            + ")");
        }
        long uncovered = 0;
        while (entryIt.hasNext()) {
            entryIt.next();
            uncovered++;
        }
        return VerificationReport.success(fromEntries.size() + uncovered, headsOk, uncovered);
    }

    /**
     * Two validly signed heads of one size with different roots (the key signed two histories), found before any
     * entry is read, whichever of them comes first; null when there are none.
     */
    private VerificationReport fork(List<SignedTreeHead> sorted) {
        for (int i = 1; i < sorted.size(); i++) {
            SignedTreeHead a = sorted.get(i - 1);
            SignedTreeHead b = sorted.get(i);
            if (a.treeSize() == b.treeSize()
                    && !MessageDigest.isEqual(a.treeHead().rootHash(), b.treeHead().rootHash())
                    && TreeHeadSigner.verify(a, publicKey) && TreeHeadSigner.verify(b, publicKey)) {
                return VerificationReport.failure(0, 0, -1, b.treeSize(), "two validly signed tree heads at size "
                        + b.treeSize() + " have different roots (log fork)");
            }
        }
        return null;
    }

    private static String describeDiff(long index, byte[][] hashes) {
        if (hashes[0] == null) {
            return "the ledger has leaf " + index + " (" + MerkleHash.hex(hashes[1]) + ") but the entries end before it";
        }
        return "entry " + index + " hashes to " + MerkleHash.hex(hashes[0]) + " but ledger leaf " + index + " is "
                + MerkleHash.hex(hashes[1]);
    }

    /** Verifies that {@code entry} is leaf {@code index} under the signed head, with an inclusion proof. */
    public VerificationReport verifyInclusion(byte[] entry, long index, List<byte[]> proof, SignedTreeHead head) {
        long n = head.treeSize();
        if (!TreeHeadSigner.verify(head, publicKey)) {
            return VerificationReport.failure(0, 0, -1, n, "tree head at size " + n + ": bad signature");
        }
        boolean ok = MerkleVerifier.verifyInclusion(MerkleHash.leafHash(entry), index, n, proof,
                head.treeHead().rootHash());
        return ok ? VerificationReport.success(1, 1, 0)
                : VerificationReport.failure(1, 1, index, n, "entry " + index
                        + ": inclusion proof does not lead to the signed root of tree head at size " + n);
    }

    /**
     * Verifies a chain of signed heads (any order; sorted by size) and consistency proofs:
     * {@code proofs.get(i)} must prove the i-th smallest head consistent with the next one.
     */
    public VerificationReport verifyConsistency(List<SignedTreeHead> heads, List<List<byte[]>> proofs) {
        List<SignedTreeHead> sorted = new ArrayList<>(heads);
        sorted.sort(Comparator.comparingLong(SignedTreeHead::treeSize));
        if (proofs.size() != Math.max(0, sorted.size() - 1)) {
            return VerificationReport.failure(0, 0, -1, -1,
                    "expected " + Math.max(0, sorted.size() - 1) + " consistency proofs, got " + proofs.size());
        }
        for (int i = 0; i < sorted.size(); i++) {
            SignedTreeHead sth = sorted.get(i);
            if (!TreeHeadSigner.verify(sth, publicKey)) {
                return VerificationReport.failure(0, i, -1, sth.treeSize(),
                        "tree head at size " + sth.treeSize() + ": bad signature");
            }
            if (i > 0) {
                TreeHead a = sorted.get(i - 1).treeHead();
                TreeHead b = sth.treeHead();
                if (!MerkleVerifier.verifyConsistency(a.treeSize(), b.treeSize(), a.rootHash(), b.rootHash(),
                        proofs.get(i - 1))) {
                    return VerificationReport.failure(0, i, -1, b.treeSize(), "tree head at size " + b.treeSize()
                            + ": not consistent with tree head at size " + a.treeSize());
                }
            }
        }
        return VerificationReport.success(0, sorted.size(), 0);
    }
}
