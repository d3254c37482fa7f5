package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.ledger.store.InMemoryLeafHashStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerVerifierTest {

    private static final GatewayKeys KEYS = GatewayKeys.generate();
    private static final GatewayKeys OTHER = GatewayKeys.generate();

    private final List<byte[]> entries = new ArrayList<>();
    private final List<byte[]> exportedLeafHashes = new ArrayList<>();
    private final List<SignedTreeHead> heads = new ArrayList<>();
    private final MerkleLog log = new MerkleLog(new InMemoryLeafHashStore(), 3);
    private final LedgerVerifier verifier = new LedgerVerifier(GatewayKeys.readPublicKeyPem(KEYS.publicKeyPem()));

    LedgerVerifierTest() {
        TreeHeadSigner signer = new TreeHeadSigner(KEYS);
        for (int i = 0; i < 300; i++) {
            byte[] entry = CanonicalJson.toBytes(Map.of("seq", i, "event", "DELIVERY", "partner", "p" + (i % 7)));
            entries.add(entry);
            log.append(entry);
            if ((i + 1) % 100 == 0) {
                heads.add(signer.sign(log.treeHead(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i))));
            }
        }
        for (int i = 0; i < log.size(); i++) {
            exportedLeafHashes.add(log.leafHash(i));
        }
    }

    @Test
    void intactLedgerVerifies() {
        VerificationReport report = verifier.verify(entries, exportedLeafHashes, heads);
        assertThat(report.ok()).as(report.reason()).isTrue();
        assertThat(report.entriesChecked()).isEqualTo(300);
        assertThat(report.headsChecked()).isEqualTo(3);
        assertThat(report.firstBadEntry()).isEqualTo(-1);
        assertThat(verifier.verify(entries, heads).ok()).isTrue();
    }

    @Test
    void entriesAfterLastHeadAreReportedAsUncovered() {
        VerificationReport report = verifier.verify(entries, heads.subList(0, 2));
        assertThat(report.ok()).isTrue();
        assertThat(report.entriesChecked()).isEqualTo(300);
        assertThat(report.uncoveredEntries()).isEqualTo(100);
    }

    @Test
    void changedEntryIsNamed() {
        List<byte[]> tampered = new ArrayList<>(entries);
        tampered.set(41, CanonicalJson.toBytes(Map.of("seq", 41, "event", "FORGED")));
        VerificationReport report = verifier.verify(tampered, exportedLeafHashes, heads);
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBadEntry()).isEqualTo(41);
        assertThat(report.badHeadSize()).isEqualTo(100);
        assertThat(report.reason()).startsWith("entry 41: tree head at size 100 does not match: recomputed root ")
                .contains(" ≠ signed root " + MerkleHash.hex(heads.get(0).treeHead().rootHash()));
    }

    @Test
    void deletedEntryIsNamed() {
        List<byte[]> tampered = new ArrayList<>(entries);
        tampered.remove(41);
        VerificationReport report = verifier.verify(tampered, exportedLeafHashes, heads);
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBadEntry()).isEqualTo(41);
        assertThat(report.badHeadSize()).isEqualTo(100);
        assertThat(report.reason()).startsWith("entry 41: tree head at size 100 does not match");
    }

    @Test
    void deletedLastEntryIsNamed() {
        List<byte[]> tampered = new ArrayList<>(entries.subList(0, 299));
        VerificationReport report = verifier.verify(tampered, exportedLeafHashes, heads);
        assertThat(report.firstBadEntry()).isEqualTo(299);
        assertThat(report.badHeadSize()).isEqualTo(300);
        assertThat(report.reason()).startsWith("entry 299: tree head at size 300 does not match: only 299 entries")
                .contains("entries end before it");
        assertThat(report.headsChecked()).isEqualTo(2);
    }

    @Test
    void swappedAdjacentEntriesAreNamed() {
        List<byte[]> tampered = new ArrayList<>(entries);
        Collections.swap(tampered, 150, 151);
        VerificationReport report = verifier.verify(tampered, exportedLeafHashes, heads);
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBadEntry()).isEqualTo(150);
        assertThat(report.badHeadSize()).isEqualTo(200);
        assertThat(report.headsChecked()).isEqualTo(1);
        assertThat(report.reason()).startsWith("entry 150: tree head at size 200 does not match");
    }

    @Test
    void insertedEntryIsNamed() {
        List<byte[]> tampered = new ArrayList<>(entries);
        tampered.add(41, CanonicalJson.toBytes(Map.of("seq", 999)));
        VerificationReport report = verifier.verify(tampered, exportedLeafHashes, heads);
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBadEntry()).isEqualTo(41);
        assertThat(report.reason()).startsWith("entry 41: tree head at size 100 does not match");
    }

    @Test
    void withoutLeafHashesTheFirstBadEntryIsBoundedByTheLastGoodHead() {
        List<byte[]> tampered = new ArrayList<>(entries);
        tampered.set(150, "forged".getBytes());
        VerificationReport report = verifier.verify(tampered, heads);
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBadEntry()).isEqualTo(100);
        assertThat(report.badHeadSize()).isEqualTo(200);
        assertThat(report.reason()).startsWith("entries 100..199: tree head at size 200 does not match: recomputed root")
                .contains("export without leaf hashes");
    }

    @Test
    void leafHashesTamperedAlongWithEntriesAreNotTrusted() {
        List<byte[]> tampered = new ArrayList<>(entries);
        List<byte[]> tamperedLeaves = new ArrayList<>(exportedLeafHashes);
        tampered.set(150, "forged".getBytes());
        tamperedLeaves.set(150, MerkleHash.leafHash("forged".getBytes()));
        VerificationReport report = verifier.verify(tampered, tamperedLeaves, heads);
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBadEntry()).isEqualTo(100);
        assertThat(report.reason()).contains("exported leaf hashes do not match the signed root either");
    }

    @Test
    void forgedHeadWithChangedRootIsRejected() {
        List<SignedTreeHead> forged = new ArrayList<>(heads);
        SignedTreeHead original = heads.get(1);
        TreeHead changed = new TreeHead(200, MerkleHash.leafHash("x".getBytes()), original.treeHead().timestamp());
        forged.set(1, new SignedTreeHead(changed, original.signature(), original.algorithm(), original.keyId()));
        VerificationReport report = verifier.verify(entries, exportedLeafHashes, forged);
        assertThat(report.ok()).isFalse();
        assertThat(report.badHeadSize()).isEqualTo(200);
        assertThat(report.firstBadEntry()).isEqualTo(-1);
        assertThat(report.headsChecked()).isEqualTo(1);
        assertThat(report.reason()).isEqualTo("tree head at size 200: bad signature");
    }

    @Test
    void headSignedWithAnotherKeyIsRejected() {
        List<SignedTreeHead> forged = new ArrayList<>(heads);
        forged.set(1, new TreeHeadSigner(OTHER).sign(heads.get(1).treeHead()));
        VerificationReport report = verifier.verify(entries, forged);
        assertThat(report.ok()).isFalse();
        assertThat(report.badHeadSize()).isEqualTo(200);
        assertThat(report.reason()).startsWith("tree head at size 200: bad signature")
                .contains("key id " + OTHER.keyId());
    }

    @Test
    void missingHeadsFail() {
        assertThat(verifier.verify(entries, List.of()).ok()).isFalse();
    }

    @Test
    void verifiesInclusionProofAgainstSignedHead() {
        SignedTreeHead head = heads.get(2);
        List<byte[]> proof = log.inclusionProof(123, 300);
        assertThat(verifier.verifyInclusion(entries.get(123), 123, proof, head).ok()).isTrue();
        VerificationReport wrong = verifier.verifyInclusion(entries.get(124), 123, proof, head);
        assertThat(wrong.ok()).isFalse();
        assertThat(wrong.firstBadEntry()).isEqualTo(123);
        assertThat(wrong.reason()).contains("inclusion proof");
        SignedTreeHead foreign = new TreeHeadSigner(OTHER).sign(head.treeHead());
        assertThat(verifier.verifyInclusion(entries.get(123), 123, proof, foreign).reason())
                .isEqualTo("tree head at size 300: bad signature");
    }

    @Test
    void verifiesConsistencyProofChain() {
        List<List<byte[]>> proofs = List.of(log.consistencyProof(100, 200), log.consistencyProof(200, 300));
        VerificationReport report = verifier.verifyConsistency(heads, proofs);
        assertThat(report.ok()).as(report.reason()).isTrue();
        assertThat(report.headsChecked()).isEqualTo(3);

        // a head from a forked log (validly signed, different history) is caught
        MerkleLog fork = new MerkleLog(new InMemoryLeafHashStore());
        for (int i = 0; i < 300; i++) {
            fork.append(i == 250 ? "fork".getBytes() : entries.get(i));
        }
        List<SignedTreeHead> forked = List.of(heads.get(0), heads.get(1),
                new TreeHeadSigner(KEYS).sign(fork.treeHead(Instant.now())));
        VerificationReport bad = verifier.verifyConsistency(forked, proofs);
        assertThat(bad.ok()).isFalse();
        assertThat(bad.badHeadSize()).isEqualTo(300);
        assertThat(bad.reason()).isEqualTo("tree head at size 300: not consistent with tree head at size 200");
        assertThat(verifier.verifyConsistency(heads, proofs.subList(0, 1)).ok()).isFalse();
    }

    @Test
    void twoSignedHistoriesOfOneSizeAreAForkWhicheverComesFirst() {
        byte[] root = heads.get(1).treeHead().rootHash().clone();
        root[0] ^= 1;
        SignedTreeHead forged = new TreeHeadSigner(KEYS).sign(new TreeHead(200, root,
                Instant.parse("2026-01-02T00:00:00Z")));
        String fork = "two validly signed tree heads at size 200 have different roots (log fork)";
        // the forged head first used to be reported as a head that does not match the entries
        VerificationReport first = verifier.verify(entries, List.of(heads.get(0), forged, heads.get(1), heads.get(2)));
        assertThat(first.ok()).isFalse();
        assertThat(first.reason()).isEqualTo(fork);
        assertThat(first.badHeadSize()).isEqualTo(200);
        VerificationReport last = verifier.verify(entries, List.of(heads.get(0), heads.get(1), forged, heads.get(2)));
        assertThat(last.reason()).isEqualTo(fork);
        // a head signed by another key is not the gateway's history: it is a bad signature, not a fork
        SignedTreeHead foreign = new TreeHeadSigner(OTHER).sign(new TreeHead(200, root,
                Instant.parse("2026-01-02T00:00:00Z")));
        VerificationReport unsigned = verifier.verify(entries, List.of(heads.get(0), foreign, heads.get(1)));
        assertThat(unsigned.reason()).startsWith("tree head at size 200: bad signature");
    }
}
