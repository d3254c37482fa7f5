package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TreeHeadTest {

    private final byte[] root = MerkleHash.leafHash("x".getBytes());

    @Test
    void canonicalBytesHaveTheDocumentedLayout() {
        TreeHead head = new TreeHead(0x0102030405060708L, root, Instant.ofEpochMilli(0x1122334455L));
        byte[] bytes = head.toCanonicalBytes();
        assertThat(bytes).hasSize(49);
        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(bytes, 1, 9)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(Arrays.copyOfRange(bytes, 9, 17)).containsExactly(0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55);
        assertThat(Arrays.copyOfRange(bytes, 17, 49)).isEqualTo(root);
        assertThat(TreeHead.fromCanonicalBytes(bytes)).isEqualTo(head);
    }

    @Test
    void timestampIsTruncatedToMillisAndRootCopied() {
        byte[] mutable = root.clone();
        TreeHead head = new TreeHead(3, mutable, Instant.parse("2026-03-01T10:00:00.123456789Z"));
        mutable[0] ^= 1;
        assertThat(head.rootHash()).isEqualTo(root);
        assertThat(head.timestamp()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
        assertThat(TreeHead.fromCanonicalBytes(head.toCanonicalBytes())).isEqualTo(head);
    }

    @Test
    void rejectsInvalidInput() {
        assertThatThrownBy(() -> new TreeHead(-1, root, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TreeHead(1, new byte[31], Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        byte[] bytes = new TreeHead(1, root, Instant.EPOCH).toCanonicalBytes();
        bytes[0] = 2;
        assertThatThrownBy(() -> TreeHead.fromCanonicalBytes(bytes)).hasMessageContaining("version");
    }
}
