package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TreeHeadSignerTest {

    private static final GatewayKeys KEYS = GatewayKeys.generate();
    private static final GatewayKeys OTHER = GatewayKeys.generate();

    private final TreeHead head = new TreeHead(42, MerkleHash.leafHash("r".getBytes()), Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void signsWithEd25519AndVerifiesWithThePublicKey() {
        SignedTreeHead sth = new TreeHeadSigner(KEYS).sign(head);
        assertThat(sth.algorithm()).isEqualTo("Ed25519");
        assertThat(sth.signature()).hasSize(64);
        assertThat(sth.keyId()).isEqualTo(KEYS.keyId()).matches("[0-9a-f]{16}");
        assertThat(TreeHeadSigner.verify(sth, KEYS.publicKey())).isTrue();
    }

    @Test
    void keyIdIsSha256OfSubjectPublicKeyInfo() {
        String full = MerkleHash.hex(MerkleHash.newSha256().digest(KEYS.publicKey().getEncoded()));
        assertThat(KeyIds.keyId(KEYS.publicKey())).isEqualTo(full.substring(0, 16));
        assertThat(KeyIds.keyId(OTHER.publicKey())).isNotEqualTo(KeyIds.keyId(KEYS.publicKey()));
    }

    @Test
    void rejectsChangedHeadOtherKeyAndBadSignature() {
        SignedTreeHead sth = new TreeHeadSigner(KEYS).sign(head);
        TreeHead changed = new TreeHead(43, head.rootHash(), head.timestamp());
        assertThat(TreeHeadSigner.verify(new SignedTreeHead(changed, sth.signature(), "Ed25519", sth.keyId()),
                KEYS.publicKey())).isFalse();
        assertThat(TreeHeadSigner.verify(sth, OTHER.publicKey())).isFalse();
        SignedTreeHead byOther = new TreeHeadSigner(OTHER).sign(head);
        assertThat(TreeHeadSigner.verify(new SignedTreeHead(head, byOther.signature(), "Ed25519", KEYS.keyId()),
                KEYS.publicKey())).isFalse();
        byte[] sig = sth.signature();
        sig[10] ^= 1;
        assertThat(TreeHeadSigner.verify(new SignedTreeHead(head, sig, "Ed25519", sth.keyId()), KEYS.publicKey()))
                .isFalse();
        assertThat(TreeHeadSigner.verify(new SignedTreeHead(head, sth.signature(), "RSA", sth.keyId()),
                KEYS.publicKey())).isFalse();
    }
}
