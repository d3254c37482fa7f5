package fr.spie.gateway.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Recognises compressed files and archives by their first bytes. The connectors read plain text (XML, CSV, JSON):
 * a compressed file would be reported as badly encoded or malformed, which sends the partner and the operator after
 * the wrong problem (changing the channel's encoding...).
 */
final class CompressedFiles {
    private static final Map<String, byte[]> SIGNATURES = Map.of(
            "gzip", new byte[] {0x1f, (byte) 0x8b},
            "zip", new byte[] {'P', 'K', 0x03, 0x04},
            "empty zip", new byte[] {'P', 'K', 0x05, 0x06},
            "bzip2", new byte[] {'B', 'Z', 'h'},
            "xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0x00},
            "7z", new byte[] {'7', 'z', (byte) 0xbc, (byte) 0xaf, 0x27, 0x1c},
            "zstd", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});

    private CompressedFiles() {
    }

    /** The kind of compression or archive the file starts with, if any. */
    static Optional<String> kind(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(6);
        }
        return SIGNATURES.entrySet().stream()
                .filter(s -> head.length >= s.getValue().length
                        && Arrays.equals(head, 0, s.getValue().length, s.getValue(), 0, s.getValue().length))
                .map(Map.Entry::getKey).findFirst();
    }
}
