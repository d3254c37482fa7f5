package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.MerkleVerifier;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.export.ExportVerifier.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies the events of a selection export against its signed manifest, in one pass: each event passes the
 * {@link EventCheck}s, comes in ledger order at its place in the manifest (else it was inserted, deleted or moved) and
 * has an inclusion proof that leads to the root of the signed head of the manifest's tree size; then no listed event is
 * missing at the end and the digest of the leaf hashes is the manifest's. Before that, the manifest must be signed for the
 * size of one of the heads (which {@link TreeHeadCheck} found to be no fork).
 */
final class SelectionVerifier extends EventPass {
    private final List<SignedTreeHead> heads;
    private final Map<Long, SignedTreeHead> bySize;
    private final SignedTreeHead manifestHead;
    private final List<Long> listed;
    private final Set<Long> declared;
    private final MessageDigest digest = sha256();
    private long previous = -1;

    private SelectionVerifier(List<SignedTreeHead> heads, Map<Long, SignedTreeHead> bySize,
                              SignedTreeHead manifestHead, List<Long> listed, Set<Long> declared) {
        super(heads.size());
        this.heads = heads;
        this.bySize = bySize;
        this.manifestHead = manifestHead;
        this.listed = listed;
        this.declared = declared;
    }

    /** Verifies the selection {@code file} whose first pass gave {@code outline} (heads already verified). */
    static Result verify(Path file, ExportOutline outline, PublicKey publicKey) throws IOException {
        List<SignedTreeHead> heads = outline.heads();
        Map<Long, SignedTreeHead> bySize = new HashMap<>();
        heads.forEach(h -> bySize.putIfAbsent(h.treeSize(), h));
        Map<String, Object> manifest = outline.manifest();
        if (manifest == null) {
            return Result.bad("selection export without its signed manifest (events cannot be proven complete)",
                    outline.events(), heads.size(), null);
        }
        List<Long> listed = new ArrayList<>();
        Object raw = manifest.get("ledgerIndexes");
        if (raw instanceof List<?> l) {
            for (Object o : l) {
                listed.add(o instanceof Number n ? n.longValue() : -1L);
            }
        }
        if (!ExportManifest.verify(manifest, listed, publicKey)) {
            return Result.bad("manifest: bad signature (the list of exported events was altered)", outline.events(),
                    heads.size(), null);
        }
        long treeSize = ExportRecord.number(manifest, "treeSize");
        SignedTreeHead manifestHead = bySize.get(treeSize);
        if (manifestHead == null) {
            List<Long> sizes = bySize.keySet().stream().sorted().toList();
            return Result.bad("manifest: signed for tree size " + treeSize + " but the export's signed tree head"
                    + (sizes.size() == 1 ? " is at size " + sizes.get(0) : "s are at sizes "
                    + sizes.stream().map(String::valueOf).collect(Collectors.joining(", "))), outline.events(),
                    heads.size(), null);
        }
        SelectionVerifier events = new SelectionVerifier(heads, bySize, manifestHead, listed, outline.declared());
        ExportCodec.read(file, events);
        return events.result(manifest);
    }


    @Override
    Result check(Map<String, Object> rec, EventCheck c, long position) {
        Result failure = misplaced(c, position);
        if (failure == null) {
            failure = unproven(rec, c, position);
        }
        if (failure == null) {
            digest.update(c.leaf());
        }
        return failure;
    }

    /** Why the event is not where the ledger order and the manifest put it, or null. */
    private Result misplaced(EventCheck c, long position) {
        String where = c.name();
        if (c.index() <= previous) {
            return Result.bad(where + ": out of ledger order (after ledger index " + previous
                    + "; events were reordered)", position, heads.size(), c.index());
        }
        previous = c.index();
        if (position >= listed.size() || c.index() < listed.get((int) position)) {
            return Result.bad(where + ": not in the signed manifest (inserted)", position, heads.size(), c.index());
        }
        long expected = listed.get((int) position);
        if (c.index() > expected && declared.contains(expected)) {
            return Result.bad("ledger index " + expected + " should come before " + where
                    + " (events were reordered)", position, heads.size(), expected);
        }
        if (c.index() > expected) {
            return Result.bad("ledger index " + expected + " is in the signed manifest but missing from the export "
                    + "before " + where + " (deleted)", position, heads.size(), expected);
        }
        return null;
    }

    /** Why the event's inclusion proof does not lead to the root of a signed head, or null. */
    private Result unproven(Map<String, Object> rec, EventCheck c, long position) {
        String where = c.name();
        long treeSize;
        try {
            treeSize = ExportRecord.number(rec, "proofTreeSize");
        } catch (IllegalArgumentException e) {
            return Result.bad(where + ": no inclusion proof", position, heads.size(), c.index());
        }
        if (treeSize != manifestHead.treeSize()) {
            String why = bySize.containsKey(treeSize) ? "the signed manifest is for tree size "
                    + manifestHead.treeSize() : "the export has no signed head of that size";
            return Result.bad(where + ": its proof refers to tree size " + treeSize + " but " + why, position,
                    heads.size(), c.index());
        }
        List<byte[]> proof = new ArrayList<>();
        try {
            if (rec.get("inclusionProof") instanceof List<?> l) {
                for (Object o : l) {
                    if (o == null) {
                        return Result.bad(where + ": unreadable inclusion proof (hash " + (proof.size() + 1) + " of "
                                + l.size() + " is null)", position, heads.size(), c.index());
                    }
                    proof.add(MerkleHash.fromHex(o.toString()));
                }
            }
        } catch (IllegalArgumentException e) {
            return Result.bad(where + ": unreadable inclusion proof", position, heads.size(), c.index());
        }
        if (!MerkleVerifier.verifyInclusion(c.leaf(), c.index(), treeSize, proof,
                manifestHead.treeHead().rootHash())) {
            return Result.bad(where + ": inclusion proof does not lead to the signed root of the tree head at size "
                    + treeSize + " (entry altered or not in the ledger)", position, heads.size(), c.index());
        }
        return null;
    }

    private Result result(Map<String, Object> manifest) {
        if (failure() != null) {
            return failure();
        }
        long k = events();
        if (k < listed.size()) {
            return Result.bad("ledger index " + listed.get((int) k) + " is in the signed manifest but missing "
                    + "from the end of the export (deleted)", k, heads.size(), listed.get((int) k));
        }
        if (!MerkleHash.hex(digest.digest()).equals(manifest.get("eventsDigest"))) {
            return Result.bad("the events do not match the signed manifest digest", k, heads.size(), null);
        }
        return new Result(true, "ok: " + k + " events proven against " + heads.size() + " signed tree head(s), "
                + "selection complete per its signed manifest", k, heads.size(), null);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
