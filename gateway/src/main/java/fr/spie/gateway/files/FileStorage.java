package fr.spie.gateway.files;

import fr.spie.gateway.IoErrorText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The file store: {@code <data-dir>/files/<fileId>}, written once, never modified. Content is streamed to a hidden
 * temporary file while its SHA-256 is computed, forced to disk, then renamed atomically: a file id in the store always
 * names a complete file.
 */
public final class FileStorage {
    private final Path root;
    private final long maxBytes;

    public FileStorage(Path root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
    }

    public Path root() {
        return root;
    }

    public Path path(UUID fileId) {
        return root.resolve(fileId.toString());
    }

    /** A complete file in the store. */
    public record Stored(UUID fileId, String digest, long size) {
    }

    /** The input is larger than the limit: nothing was kept. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(long max) {
            super("the file exceeds the limit of " + max + " bytes");
        }
    }

    /** The input could not be read to its end (the client went away...): nothing was kept. */
    public static final class InputFailedException extends IOException {
        public InputFailedException(IOException cause) {
            super("the input could not be read to its end", cause);
        }
    }

    /** The store could not be written (disk full, read-only, permissions...): nothing was kept. */
    public static final class StoreUnavailableException extends IOException {
        public StoreUnavailableException(IOException cause) {
            super("the file store cannot be written: " + IoErrorText.reason(cause), cause);
        }
    }


    /**
     * Streams {@code in} into the store as {@code fileId}; at most the limit is read.
     *
     * @throws TooLargeException         beyond the limit
     * @throws InputFailedException      when reading {@code in} failed
     * @throws StoreUnavailableException when writing the store failed
     */
    public Stored store(UUID fileId, InputStream in) throws IOException {
        Path tmp = root.resolve("." + fileId + ".part");
        MessageDigest sha = sha256();
        long size = 0;
        try {
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new StoreUnavailableException(e);
            }
            try (FileChannel channel = open(tmp);
                 OutputStream out = new DigestOutputStream(java.nio.channels.Channels.newOutputStream(channel), sha)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = read(in, buffer)) >= 0) {
                    size += n;
                    if (size > maxBytes) {
                        throw new TooLargeException(maxBytes);
                    }
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw new StoreUnavailableException(e);
                    }
                }
                try {
                    out.flush();
                    channel.force(true);
                } catch (IOException e) {
                    throw new StoreUnavailableException(e);
                }
            }
            try {
                move(tmp, path(fileId));
            } catch (IOException e) {
                throw new StoreUnavailableException(e);
            }
            return new Stored(fileId, HexFormat.of().formatHex(sha.digest()), size);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the store is failing: the reason was already given, a hidden .part is never read
            }
        }
    }

    private static FileChannel open(Path tmp) throws StoreUnavailableException {
        try {
            return FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreUnavailableException(e);
        }
    }

    private static int read(InputStream in, byte[] buffer) throws InputFailedException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new InputFailedException(e);
        }
    }

    /** Digest and size of a file already in the store (or anywhere). */
    public static Stored describe(UUID fileId, Path file) throws IOException {
        MessageDigest sha = sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        return new Stored(fileId, HexFormat.of().formatHex(sha.digest()), size);
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // another file system: copy, force, then remove the source (the target appears only once complete)
            Path tmp = to.resolveSibling("." + to.getFileName() + ".copy");
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(from);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
