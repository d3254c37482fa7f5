package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.ledger.store.InMemoryLeafHashStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleVerifierTest {

    private final MerkleLog log = new MerkleLog(new InMemoryLeafHashStore(), 2);
    private final List<byte[]> leaves = NaiveMerkle.leaves(21);

    MerkleVerifierTest() {
        for (int i = 0; i < 21; i++) {
            log.append(NaiveMerkle.entry(i));
        }
    }

    @Test
    void inclusionProofTamperingIsRejected() {
        byte[] root = log.rootHash(21);
        List<byte[]> proof = log.inclusionProof(13, 21);
        assertThat(MerkleVerifier.verifyInclusion(leaves.get(13), 13, 21, proof, root)).isTrue();

        List<byte[]> flipped = copy(proof);
        flipped.get(1)[0] ^= 1;
        assertThat(MerkleVerifier.verifyInclusion(leaves.get(13), 13, 21, flipped, root)).isFalse();
        assertThat(MerkleVerifier.verifyInclusion(leaves.get(13), 13, 21, proof.subList(0, proof.size() - 1), root))
                .isFalse();
        List<byte[]> extended = copy(proof);
        extended.add(root);
        assertThat(MerkleVerifier.verifyInclusion(leaves.get(13), 13, 21, extended, root)).isFalse();
        assertThat(MerkleVerifier.verifyInclusion(leaves.get(13), -1, 21, proof, root)).isFalse();
        assertThat(MerkleVerifier.verifyInclusion(leaves.get(13), 21, 21, proof, root)).isFalse();
        List<byte[]> shortHash = copy(proof);
        shortHash.set(0, new byte[31]);
        assertThat(MerkleVerifier.verifyInclusion(leaves.get(13), 13, 21, shortHash, root)).isFalse();
    }

    @Test
    void singleLeafTreeHasEmptyInclusionProof() {
        assertThat(log.inclusionProof(0, 1)).isEmpty();
        assertThat(MerkleVerifier.verifyInclusion(leaves.get(0), 0, 1, List.of(), leaves.get(0))).isTrue();
    }

    @Test
    void consistencyProofTamperingIsRejected() {
        byte[] r7 = log.rootHash(7);
        byte[] r21 = log.rootHash(21);
        List<byte[]> proof = log.consistencyProof(7, 21);
        assertThat(MerkleVerifier.verifyConsistency(7, 21, r7, r21, proof)).isTrue();
        List<byte[]> flipped = copy(proof);
        flipped.get(0)[5] ^= 1;
        assertThat(MerkleVerifier.verifyConsistency(7, 21, r7, r21, flipped)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(7, 21, r7, r21, List.of())).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(8, 21, r7, r21, proof)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(21, 7, r21, r7, proof)).isFalse();
    }

    @Test
    void degenerateConsistencyCases() {
        byte[] r5 = log.rootHash(5);
        assertThat(MerkleVerifier.verifyConsistency(5, 5, r5, r5, List.of())).isTrue();
        assertThat(MerkleVerifier.verifyConsistency(5, 5, r5, log.rootHash(6), List.of())).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(5, 5, r5, r5, List.of(r5))).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(0, 5, MerkleHash.emptyTreeHash(), r5, List.of())).isTrue();
        assertThat(MerkleVerifier.verifyConsistency(0, 5, MerkleHash.emptyTreeHash(), r5, List.of(r5))).isFalse();
    }

    private static List<byte[]> copy(List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>();
        proof.forEach(p -> out.add(p.clone()));
        return out;
    }
}
