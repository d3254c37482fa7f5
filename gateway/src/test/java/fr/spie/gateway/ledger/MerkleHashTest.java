package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleHashTest {

    /** Leaf inputs of the RFC 6962 / certificate-transparency reference test vectors. */
    static final String[] CT_LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};

    /** Roots for sizes 1..8 from the certificate-transparency reference merkle tree tests. */
    static final String[] CT_ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    @Test
    void emptyTreeHashIsSha256OfEmptyString() {
        assertThat(MerkleHash.hex(MerkleHash.emptyTreeHash()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void leafAndNodeHashesAreDomainSeparated() {
        byte[] a = MerkleHash.leafHash(new byte[0]);
        assertThat(MerkleHash.hex(a)).isEqualTo(CT_ROOTS[0]);
        byte[] concat = new byte[64];
        System.arraycopy(a, 0, concat, 0, 32);
        System.arraycopy(a, 0, concat, 32, 32);
        // a leaf whose content looks like two hashes must not collide with the node of those hashes
        assertThat(MerkleHash.leafHash(concat)).isNotEqualTo(MerkleHash.nodeHash(a, a));
    }

    @Test
    void reproducesCertificateTransparencyReferenceRoots() {
        List<byte[]> leaves = new ArrayList<>();
        for (int n = 1; n <= CT_LEAVES.length; n++) {
            leaves.add(MerkleHash.leafHash(MerkleHash.fromHex(CT_LEAVES[n - 1])));
            assertThat(MerkleHash.hex(MerkleHash.treeHash(leaves))).as("root of %d leaves", n)
                    .isEqualTo(CT_ROOTS[n - 1]);
        }
    }

    @Test
    void treeHashSplitsAtLargestPowerOfTwoBelowN() {
        List<byte[]> d = NaiveMerkle.leaves(5);
        byte[] expected = MerkleHash.nodeHash(
                MerkleHash.nodeHash(MerkleHash.nodeHash(d.get(0), d.get(1)), MerkleHash.nodeHash(d.get(2), d.get(3))),
                d.get(4));
        assertThat(MerkleHash.treeHash(d)).isEqualTo(expected);
        assertThat(MerkleHash.largestPowerOfTwoBelow(5)).isEqualTo(4);
        assertThat(MerkleHash.largestPowerOfTwoBelow(8)).isEqualTo(4);
        assertThat(MerkleHash.largestPowerOfTwoBelow(2)).isEqualTo(1);
    }
}
