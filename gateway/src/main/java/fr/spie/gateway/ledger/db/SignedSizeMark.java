package fr.spie.gateway.ledger.db;

import fr.spie.gateway.ledger.TreeHead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest tree head this instance signed, kept next to its leaf file ({@value #FILE_NAME}: the head's 49 canonical
 * bytes, replaced atomically at each head). A database restored from a backup holds fewer ledger entries and heads
 * than were signed; the database alone cannot tell, this file can: its size above the database's is proof that
 * entries signed (and perhaps given to auditors, partners or a timestamping authority) are gone.
 */
final class SignedSizeMark {
    static final String FILE_NAME = "latest-signed-head.bin";
    private static final Logger log = LoggerFactory.getLogger(SignedSizeMark.class);

    private final Path file;

    SignedSizeMark(Path leafFile) {
        this.file = leafFile.resolveSibling(FILE_NAME);
    }

    Path file() {
        return file;
    }

    /** The head recorded, or empty when there is none (a ledger older than this file) or it cannot be read. */
    Optional<TreeHead> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(TreeHead.fromCanonicalBytes(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read {} ({}): the ledger's start-up check goes on without it", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Records a head, durably: written to a temporary file, forced to disk, then moved over the previous one. */
    void write(TreeHead head) {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(head.toCanonicalBytes()));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Forgets the recorded head (after an accepted rewind, before the database's own latest head is recorded). */
    void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }
}
