package fr.spie.gateway.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The name of a file store ({@code <data-dir>/files}), kept in its {@code .store-id} file: created once, with a random
 * id, by the first instance that uses the store. Instances on one shared volume read the same id; an instance with a
 * data directory of its own has a store of its own. A file's row names the store that holds its bytes.
 */
final class FileStoreId {
    static final String FILE = ".store-id";

    private FileStoreId() {
    }

    /** The store's id, created when the store has none yet (two instances creating it at once agree on one). */
    static String of(Path root) throws IOException {
        Path file = root.resolve(FILE);
        if (Files.isRegularFile(file)) {
            return read(file);
        }
        Files.createDirectories(root);
        Path tmp = root.resolve("." + UUID.randomUUID() + ".store-id.part");
        try {
            Files.writeString(tmp, UUID.randomUUID() + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp); // atomic, and fails if another instance created it first
            } catch (FileAlreadyExistsException created) {
                // the other instance's id wins
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (!Files.exists(file)) {
                    FileStorage.move(tmp, file);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return read(file);
    }

    private static String read(Path file) throws IOException {
        String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!id.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IOException("the file store id in " + file + " is not valid: delete the file to get a new one");
        }
        return id;
    }
}
