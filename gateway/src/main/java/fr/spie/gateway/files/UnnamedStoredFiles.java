package fr.spie.gateway.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files of the store that no {@code received_file} row names: a stop (a crash, a kill) between the moment a file's
 * bytes were put in the store and the commit of its row. Nobody will ever read them (the upload was not answered 202,
 * the partner sends it again), and they hold a partner's records in clear: those older than {@link #GRACE} (a store
 * write and its row's commit take seconds, on any instance sharing the store) are deleted.
 */
final class UnnamedStoredFiles {
    private static final Logger log = LoggerFactory.getLogger(UnnamedStoredFiles.class);
    static final Duration GRACE = Duration.ofHours(1);
    private static final Pattern STORED = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int BATCH = 500;

    private final ReceivedFileStore store;
    private final Path root;

    UnnamedStoredFiles(ReceivedFileStore store, Path root) {
        this.store = store;
        this.root = root;
    }

    /** Deletes the files of the store older than {@link #GRACE} at {@code now} that no row names; how many. */
    int delete(Instant now) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        FileTime before = FileTime.from(now.minus(GRACE));
        List<UUID> old = new ArrayList<>();
        int deleted = 0;
        try (DirectoryStream<Path> stored = Files.newDirectoryStream(root,
                p -> STORED.matcher(p.getFileName().toString()).matches())) {
            for (Path file : stored) {
                if (olderThan(file, before)) {
                    old.add(UUID.fromString(file.getFileName().toString()));
                }
                if (old.size() == BATCH) {
                    deleted += deleteUnnamed(old);
                    old.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the file store " + root, e);
        }
        deleted += deleteUnnamed(old);
        if (deleted > 0) {
            log.warn("file store: {} file(s) no received file names deleted (bytes stored by an instance that stopped "
                    + "before recording them; their uploads were not accepted)", deleted);
        }
        return deleted;
    }

    private int deleteUnnamed(List<UUID> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        Set<UUID> named = store.existing(ids);
        int deleted = 0;
        for (UUID id : ids) {
            try {
                if (!named.contains(id) && Files.deleteIfExists(root.resolve(id.toString()))) {
                    deleted++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + root.resolve(id.toString()), e);
            }
        }
        return deleted;
    }

    private static boolean olderThan(Path file, FileTime before) throws IOException {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).compareTo(before) < 0;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }
}
