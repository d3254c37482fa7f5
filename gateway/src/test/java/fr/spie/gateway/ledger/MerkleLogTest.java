package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.ledger.store.InMemoryLeafHashStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MerkleLogTest {

    private static MerkleLog logOf(int n, int cacheFromLevel) {
        MerkleLog log = new MerkleLog(new InMemoryLeafHashStore(), cacheFromLevel);
        for (int i = 0; i < n; i++) {
            assertThat(log.append(NaiveMerkle.entry(i))).isEqualTo(i);
        }
        return log;
    }

    /** Every size 1..64, every index and every (first, second) pair, against the RFC oracle. */
    @ParameterizedTest(name = "cacheFromLevel={0}")
    @ValueSource(ints = {1, 2, 3, 6})
    void exhaustiveSmallTreesMatchRfcDefinitions(int cacheFromLevel) {
        int max = 64;
        MerkleLog log = logOf(max, cacheFromLevel);
        List<byte[]> all = NaiveMerkle.leaves(max);
        for (int n = 1; n <= max; n++) {
            List<byte[]> d = all.subList(0, n);
            byte[] root = NaiveMerkle.mth(d);
            assertThat(log.rootHash(n)).as("root(%d)", n).isEqualTo(root);
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = log.inclusionProof(m, n);
                assertThat(proof).as("PATH(%d, D[%d])", m, n).containsExactlyElementsOf(NaiveMerkle.path(m, d));
                assertThat(MerkleVerifier.verifyInclusion(all.get(m), m, n, proof, root)).isTrue();
                if (n > 1) {
                    // wrong leaf, wrong index and wrong size must all fail
                    assertThat(MerkleVerifier.verifyInclusion(all.get((m + 1) % n), m, n, proof, root)).isFalse();
                    assertThat(MerkleVerifier.verifyInclusion(all.get(m), (m + 1) % n, n, proof, root)).isFalse();
                }
                // (the tree size is bound by the signed head: the RFC algorithm may accept a proof for
                // size n also for n+1 when the path shape is the same, so that is not asserted here)
                List<byte[]> tooLong = new ArrayList<>(proof);
                tooLong.add(root);
                assertThat(MerkleVerifier.verifyInclusion(all.get(m), m, n, tooLong, root)).isFalse();
            }
            for (int m = 1; m <= n; m++) {
                List<byte[]> proof = log.consistencyProof(m, n);
                if (m < n) {
                    assertThat(proof).as("PROOF(%d, D[%d])", m, n)
                            .containsExactlyElementsOf(NaiveMerkle.proof(m, d));
                } else {
                    assertThat(proof).isEmpty();
                }
                byte[] firstRoot = NaiveMerkle.mth(all.subList(0, m));
                assertThat(MerkleVerifier.verifyConsistency(m, n, firstRoot, root, proof))
                        .as("consistency %d -> %d", m, n).isTrue();
                if (m < n) {
                    assertThat(MerkleVerifier.verifyConsistency(m, n, root, firstRoot, proof)).isFalse();
                    assertThat(MerkleVerifier.verifyConsistency(m, n, firstRoot,
                            MerkleHash.leafHash(new byte[] {1}), proof)).isFalse();
                    if (m > 1) {
                        assertThat(MerkleVerifier.verifyConsistency(m - 1, n, firstRoot, root, proof)).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void randomLargerTreesMatchOracleForHistoricalSizes() {
        int max = 5000;
        MerkleLog log = logOf(max, 3);
        List<byte[]> all = NaiveMerkle.leaves(max);
        Random random = new Random(42);
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + random.nextInt(max);
            List<byte[]> d = all.subList(0, n);
            byte[] root = MerkleHash.treeHash(d);
            assertThat(log.rootHash(n)).isEqualTo(root);
            int m = random.nextInt(n);
            List<byte[]> path = log.inclusionProof(m, n);
            assertThat(path).containsExactlyElementsOf(NaiveMerkle.path(m, d));
            assertThat(MerkleVerifier.verifyInclusion(all.get(m), m, n, path, root)).isTrue();
            int first = 1 + random.nextInt(n);
            List<byte[]> consistency = log.consistencyProof(first, n);
            if (first < n) {
                assertThat(consistency).containsExactlyElementsOf(NaiveMerkle.proof(first, d));
            }
            assertThat(MerkleVerifier.verifyConsistency(first, n, MerkleHash.treeHash(all.subList(0, first)), root,
                    consistency)).isTrue();
        }
    }

    @Test
    void appendAllReturnsFirstIndexAndEqualsSingleAppends() {
        MerkleLog batched = new MerkleLog(new InMemoryLeafHashStore());
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            entries.add(NaiveMerkle.entry(i));
        }
        assertThat(batched.appendAll(entries.subList(0, 100))).isZero();
        assertThat(batched.appendAll(entries.subList(100, 300))).isEqualTo(100);
        assertThat(batched.size()).isEqualTo(300);
        assertThat(batched.rootHash()).isEqualTo(logOf(300, 6).rootHash());
        assertThat(batched.leafHash(7)).isEqualTo(MerkleHash.leafHash(NaiveMerkle.entry(7)));
    }

    @Test
    void emptyLogAndTreeHead() {
        MerkleLog log = new MerkleLog(new InMemoryLeafHashStore());
        assertThat(log.rootHash()).isEqualTo(MerkleHash.emptyTreeHash());
        log.append("a".getBytes());
        TreeHead head = log.treeHead(Instant.parse("2026-01-02T03:04:05.678Z"));
        assertThat(head.treeSize()).isEqualTo(1);
        assertThat(head.rootHash()).isEqualTo(MerkleHash.leafHash("a".getBytes()));
    }

    @Test
    void rejectsOutOfRangeArguments() {
        MerkleLog log = logOf(10, 2);
        assertThatThrownBy(() -> log.rootHash(11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.inclusionProof(10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.inclusionProof(0, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.consistencyProof(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.appendLeafHash(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThat(log.consistencyProof(0, 10)).isEmpty();
    }
}
