package fr.spie.gateway.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files of the file store that a stop (a crash, a kill, a pod deleted) left behind in the middle of a
 * write: {@code .<fileId>.part} (an upload being streamed, {@link FileStorage#store}) and {@code .<fileId>.copy} (a
 * move across file systems, {@link FileStorage#move}). A write in progress deletes its own on failure, but a stopped
 * process deletes nothing: each such file, a partner's file cut short, would stay for good. Those unchanged for
 * {@link #ABANDONED_AFTER} are deleted (a write in progress changes its file every few seconds: a client that stalls
 * is disconnected after {@code server.tomcat.connection-timeout}), at most once per {@link #ABANDONED_AFTER}, since
 * the store may hold many files. Instances sharing the store may all do it.
 */
final class AbandonedUploadParts {
    private static final Logger log = LoggerFactory.getLogger(AbandonedUploadParts.class);
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);
    private static final Pattern TEMPORARY = Pattern.compile(
            "\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.(part|copy)");

    private final Path root;
    private final Clock clock;
    private Instant lastLook;

    AbandonedUploadParts(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /** Deletes the abandoned temporary files, unless the store was looked at less than an hour ago; how many. */
    synchronized int deleteIfDue() {
        Instant now = clock.instant();
        if (lastLook != null && lastLook.isAfter(now.minus(ABANDONED_AFTER)) || !Files.isDirectory(root)) {
            return 0;
        }
        lastLook = now;
        FileTime abandonedBefore = FileTime.from(now.minus(ABANDONED_AFTER));
        int deleted = 0;
        try (DirectoryStream<Path> temporary = Files.newDirectoryStream(root,
                p -> TEMPORARY.matcher(p.getFileName().toString()).matches())) {
            for (Path file : temporary) {
                try {
                    if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).compareTo(abandonedBefore) < 0
                            && Files.deleteIfExists(file)) {
                        deleted++;
                    }
                } catch (NoSuchFileException finishedMeanwhile) {
                    // its write ended (or another instance deleted it) since the listing
                }
            }
        } catch (IOException e) {
            log.warn("the file store could not be cleaned of writes a stop cut short, will try again in {}: {}",
                    ABANDONED_AFTER, InboxWatcher.describe(e));
            lastLook = null;
        }
        if (deleted > 0) {
            log.info("file store: {} temporary file(s) of writes a stop cut short deleted", deleted);
        }
        return deleted;
    }
}
