package fr.spie.gateway.files;

import fr.spie.gateway.IoErrorText;
import fr.spie.gateway.lifecycle.StartupRefusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The name of a file store ({@code <data-dir>/files}), kept in its {@code .store-id} file: created once, with a random
 * id, by the first instance that uses the store. Instances on one shared volume read the same id; an instance with a
 * data directory of its own has a store of its own. A file's row names the store that holds its bytes.
 * <p>
 * Read once, at start-up ({@link #atStartup}): a {@code .store-id} that cannot be read or created, or that holds no
 * id, stops the gateway with the file's path and what to do, rather than failing the first upload or inbox scan.
 */
final class FileStoreId {
    static final String FILE = ".store-id";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private FileStoreId() {
    }

    /**
     * The store's id, created when the store has none yet.
     *
     * @throws StartupRefusal when {@code .store-id} cannot be read or created, or does not hold an id
     */
    static String atStartup(Path root) {
        Path file = root.resolve(FILE).toAbsolutePath();
        try {
            return of(root);
        } catch (NotAnId e) {
            throw refusal(file, e.getMessage(), e);
        } catch (IOException e) {
            throw refusal(file, IoErrorText.of(e), e);
        }
    }

    private static StartupRefusal refusal(Path file, String problem, IOException cause) {
        return new StartupRefusal("The file store id " + file + " is not usable: " + problem
                + "; the gateway refuses to start", "If you know this store's id (the file_store table of the database "
                + "lists each store's id and location; an earlier log says 'file store <id> (" + file.getParent()
                + ") is used by this instance'), write it back into " + file + "; otherwise remove " + file
                + " and start again: a new id is created, and the files recorded with the old one are still read, "
                + "their bytes being in this folder. Instances sharing this folder read the same file: fix it once. "
                + "Make the folder readable and writable by the user that runs the gateway (docs/files.md).", cause);
    }

    /** The store's id, created when the store has none yet (two instances creating it at once agree on one). */
    static String of(Path root) throws IOException {
        Path file = root.resolve(FILE);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
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
        if (Files.isDirectory(file)) {
            throw new NotAnId("it is a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new NotAnId("it is not a regular file");
        }
        String id = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
        if (id.isEmpty()) {
            throw new NotAnId("it is empty");
        }
        if (!ID.matcher(id).matches()) {
            throw new NotAnId("it does not hold a file store id (1 to 64 letters, digits or '-')");
        }
        return id;
    }

    /** A {@code .store-id} that is there but holds no id. */
    static final class NotAnId extends IOException {
        NotAnId(String problem) {
            super(problem);
        }
    }
}
