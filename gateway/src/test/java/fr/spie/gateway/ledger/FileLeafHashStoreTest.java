package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.ledger.store.FileLeafHashStore;
import fr.spie.gateway.ledger.store.LeafHashStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLeafHashStoreTest {

    @TempDir
    Path dir;

    @Test
    void readsAcrossWriteBufferAndFileAndSyncsRawHashes() throws IOException {
        Path file = dir.resolve("leaves.bin");
        List<byte[]> leaves = NaiveMerkle.leaves(5000);
        try (FileLeafHashStore store = FileLeafHashStore.open(file)) {
            for (int i = 0; i < leaves.size(); i++) {
                assertThat(store.append(leaves.get(i))).isEqualTo(i);
            }
            assertThat(store.size()).isEqualTo(5000);
            byte[] range = new byte[32 * 100];
            store.read(4000, 100, range, 0); // spans flushed file and unflushed buffer
            for (int i = 0; i < 100; i++) {
                assertThat(java.util.Arrays.copyOfRange(range, i * 32, i * 32 + 32)).isEqualTo(leaves.get(4000 + i));
            }
            store.sync();
            assertThat(Files.size(file)).isEqualTo(5000L * 32);
            assertThat(java.util.Arrays.copyOfRange(Files.readAllBytes(file), 32 * 7, 32 * 8)).isEqualTo(leaves.get(7));
            assertThatThrownBy(() -> store.read(4990, 11, new byte[352], 0))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void reopenContinuesAndLogRebuildsTheSameTree() {
        Path file = dir.resolve("leaves.bin");
        byte[] rootAt1000;
        try (MerkleLog log = new MerkleLog(FileLeafHashStore.open(file), 3)) {
            for (int i = 0; i < 1000; i++) {
                log.append(NaiveMerkle.entry(i));
            }
            rootAt1000 = log.rootHash();
        }
        MerkleLog reopened = new MerkleLog(FileLeafHashStore.open(file), 3);
        assertThat(reopened.size()).isEqualTo(1000);
        assertThat(reopened.rootHash()).isEqualTo(rootAt1000);
        for (int i = 1000; i < 1500; i++) {
            assertThat(reopened.append(NaiveMerkle.entry(i))).isEqualTo(i);
        }
        List<byte[]> all = NaiveMerkle.leaves(1500);
        assertThat(reopened.rootHash()).isEqualTo(MerkleHash.treeHash(all));
        assertThat(reopened.inclusionProof(777, 1500)).containsExactlyElementsOf(NaiveMerkle.path(777, all));
        assertThat(reopened.consistencyProof(1000, 1500)).containsExactlyElementsOf(NaiveMerkle.proof(1000, all));
        reopened.close();
    }

    @Test
    void tornTrailingRecordIsTruncatedOnOpen() throws IOException {
        Path file = dir.resolve("leaves.bin");
        try (LeafHashStore store = FileLeafHashStore.open(file)) {
            NaiveMerkle.leaves(10).forEach(store::append);
        }
        Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.APPEND); // crash mid-append
        try (LeafHashStore store = FileLeafHashStore.open(file)) {
            assertThat(store.size()).isEqualTo(10);
            assertThat(store.get(9)).isEqualTo(NaiveMerkle.leaves(10).get(9));
            assertThat(store.append(MerkleHash.leafHash(new byte[] {9}))).isEqualTo(10);
        }
        assertThat(Files.size(file)).isEqualTo(11L * 32);
    }

    @Test
    void secondWriterIsRefusedWhileOpen() {
        Path file = dir.resolve("leaves.bin");
        try (FileLeafHashStore first = FileLeafHashStore.open(file)) {
            assertThatThrownBy(() -> FileLeafHashStore.open(file)).isInstanceOf(RuntimeException.class);
        }
        FileLeafHashStore.open(file).close(); // released on close
    }
}
