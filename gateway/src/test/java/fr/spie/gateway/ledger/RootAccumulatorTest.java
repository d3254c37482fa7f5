package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RootAccumulatorTest {

    @Test
    void rootAfterEveryPushEqualsRfcTreeHash() {
        List<byte[]> leaves = NaiveMerkle.leaves(130);
        RootAccumulator acc = new RootAccumulator();
        assertThat(acc.root()).isEqualTo(MerkleHash.emptyTreeHash());
        for (int n = 1; n <= leaves.size(); n++) {
            acc.push(leaves.get(n - 1));
            assertThat(acc.size()).isEqualTo(n);
            assertThat(acc.root()).as("root(%d)", n).isEqualTo(NaiveMerkle.mth(leaves.subList(0, n)));
        }
    }

    @Test
    void pushEntryHashesAsLeaf() {
        RootAccumulator acc = new RootAccumulator();
        acc.pushEntry(NaiveMerkle.entry(0));
        assertThat(acc.root()).isEqualTo(MerkleHash.leafHash(NaiveMerkle.entry(0)));
    }
}
