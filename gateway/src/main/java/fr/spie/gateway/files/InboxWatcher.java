package fr.spie.gateway.files;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Watches {@code <data-dir>/inbox/<partner-id>/} as an SFTP server fills it. A file is taken when it is complete:
 * its name is not a temporary or hidden one ({@link FileNames#beingWritten}; rename-on-complete: write
 * {@code x.csv.part}, then rename it to {@code x.csv}), and its size and modification time did not change between
 * two scans nor for {@code spie.files.inbox-quiet-period} (a writer that pauses longer than a scan interval). It is then moved atomically to {@code <data-dir>/files/.incoming/<partner-id>/}, recorded with its
 * digest, moved into the file store and processed like an upload. Symbolic links and sub-folders are never followed.
 * <p>
 * Each scan also queues the files left RECEIVED or PROCESSING (see {@link FileIntake#sweep()}), which resumes at
 * start-up what a previous run left unfinished.
 */
@Component
public class InboxWatcher implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(InboxWatcher.class);
    private static final String SEPARATOR = "--";
    /** Bytes (UTF-8) of the partner's name kept in the name of a file taken from the inbox. */
    static final int CLAIMED_NAME_BYTES = 200;

    private final FileIntake intake;
    private final RoutingConfigHolder config;
    private final FilesProperties properties;
    private final Path inbox;
    private final Path incoming;
    private final Map<Path, Seen> seen = new HashMap<>();
    /** Warnings about the inbox's entries, and about the files taken from it that could not be recorded. */
    private final OnceWarnings inboxWarnings = new OnceWarnings();
    private final OnceWarnings claimedWarnings = new OnceWarnings();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "spie-files-inbox");
        thread.setDaemon(true);
        return thread;
    });

    public InboxWatcher(FileIntake intake, RoutingConfigHolder config, SpieProperties spie,
                        FilesProperties properties) {
        this.intake = intake;
        this.config = config;
        this.properties = properties;
        this.inbox = spie.dataPath().resolve("inbox");
        this.incoming = intake.storage().root().resolve(".incoming");
    }

    /** A file's size and modification time as a scan saw them, and since when (System.nanoTime) they are so. */
    private record Seen(long size, long modified, long since) {
        boolean sameAs(Seen other) {
            return other != null && size == other.size && modified == other.modified;
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        long interval = properties.inboxPoll().toMillis();
        scheduler.scheduleWithFixedDelay(this::scanSafely, 0, interval, TimeUnit.MILLISECONDS);
    }

    /** Each step on its own: one that fails (a folder that cannot be listed...) does not stop the others. */
    private void scanSafely() {
        try {
            recoverClaimed();
        } catch (Exception e) {
            log.warn("files taken from the inbox could not be listed, will try again: {}", describe(e));
        }
        if (properties.inboxEnabled()) {
            try {
                scan();
            } catch (Exception e) {
                log.warn("inbox scan failed, will try again: {}", describe(e));
            }
        }
        try {
            intake.sweep();
        } catch (Exception e) {
            log.warn("files waiting to be processed could not be listed, will try again: {}", describe(e));
        }
    }

    /** One scan: takes the files that were already there, unchanged, at the previous scan. */
    synchronized void scan() throws IOException {
        boolean complete = false;
        try {
            scanInbox();
            complete = true;
        } finally {
            inboxWarnings.endPass(complete);
        }
    }

    private void scanInbox() throws IOException {
        Files.createDirectories(inbox);
        Set<Path> present = new HashSet<>();
        try (DirectoryStream<Path> partners = Files.newDirectoryStream(inbox)) {
            for (Path dir : partners) {
                String partnerId = dir.getFileName().toString();
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    warnOnce(inboxWarnings, "entry", "inbox entry '" + FileNames.printable(partnerId)
                            + "' is not a partner folder: ignored");
                    continue;
                }
                Partner partner = config.current().partner(partnerId).orElse(null);
                if (partner == null || partner.files() == null) {
                    warnOnce(inboxWarnings, partnerId, "inbox folder '" + FileNames.printable(partnerId)
                            + "' is not a partner with a 'files' block in partners.yaml: its files are ignored");
                    continue;
                }
                try {
                    scanPartner(partnerId, dir, present);
                } catch (IOException e) {
                    log.warn("inbox of {} could not be scanned, will try again: {}", partnerId, describe(e));
                }
            }
        }
        seen.keySet().retainAll(present);
    }

    private void scanPartner(String partnerId, Path dir, Set<Path> present) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (FileNames.beingWritten(name)) {
                    continue; // still being written (rename-on-complete)
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) { // removed since it was listed: the others are still scanned
                    log.debug("inbox of {}: an entry vanished while scanned: {}", partnerId, describe(e));
                    continue;
                }
                if (!attributes.isRegularFile()) {
                    warnOnce(inboxWarnings, partnerId + "/" + name, "inbox of " + partnerId
                            + ": an entry is not a regular file (folder or link): ignored");
                    continue;
                }
                present.add(file);
                Seen now = new Seen(attributes.size(), attributes.lastModifiedTime().toMillis(), System.nanoTime());
                Seen before = seen.get(file);
                if (!now.sameAs(before)) {
                    seen.put(file, now);
                } else if (now.since() - before.since() >= properties.inboxQuietPeriod().toNanos()) {
                    // unchanged between two scans and for the quiet period, measured by this clock (not the file's
                    // modification time, which another machine's clock may have set in the future)
                    seen.remove(file);
                    take(partnerId, file, name);
                }
            }
        }
    }

    /** Moves the file out of the inbox (atomic rename), then registers it. */
    private void take(String partnerId, Path file, String name) {
        UUID id = UUID.randomUUID();
        try {
            Path dir = incoming.resolve(partnerId);
            Files.createDirectories(dir);
            // the id and the separator take 38 bytes of the 255 a file name may hold: the name is cut to fit
            Path claimed = dir.resolve(id + SEPARATOR + FileNames.truncated(name, CLAIMED_NAME_BYTES));
            Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
            intake.registerClaimed(partnerId, id, name, claimed);
        } catch (IOException | RuntimeException e) {
            log.warn("inbox of {}: file {} could not be taken, will try again: {}", partnerId, id, describe(e));
        }
    }

    /** Finishes what a stop interrupted between taking a file from the inbox and moving it into the store. */
    synchronized void recoverClaimed() throws IOException {
        boolean complete = false;
        try {
            if (Files.isDirectory(incoming)) {
                try (DirectoryStream<Path> partners = Files.newDirectoryStream(incoming)) {
                    for (Path dir : partners) {
                        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                            recoverClaimed(dir.getFileName().toString(), dir);
                        }
                    }
                }
            }
            complete = true;
        } finally {
            claimedWarnings.endPass(complete);
        }
    }

    /**
     * One file that cannot be recorded (unreadable, not a file, database refusal) is left where it is with one WARN
     * line and tried again at the next scans; it never keeps the other files, or the inbox, waiting.
     */
    private void recoverClaimed(String partnerId, Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path claimed : files) {
                String name = claimed.getFileName().toString();
                int sep = name.indexOf(SEPARATOR);
                UUID id;
                try {
                    id = UUID.fromString(name.substring(0, Math.max(0, sep)));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                try {
                    intake.registerClaimed(partnerId, id, name.substring(sep + SEPARATOR.length()), claimed);
                } catch (IOException | RuntimeException e) {
                    warnOnce(claimedWarnings, partnerId + "/" + id, "inbox of " + partnerId + ": file " + id
                            + " could not be recorded, it stays in " + dir + " and is tried again at every scan: "
                            + describe(e));
                }
            }
        }
    }

    /**
     * An error for the log: its kind and the system's reason, without paths or SQL (a partner's file name may name a
     * person, a database message may quote values).
     */
    static String describe(Exception e) {
        if (e instanceof FileSystemException fs) {
            return e.getClass().getSimpleName() + (fs.getReason() == null ? "" : " (" + fs.getReason() + ")");
        }
        if (e instanceof IOException && e.getMessage() != null) {
            return e.getClass().getSimpleName() + " (" + e.getMessage() + ")";
        }
        return e.getClass().getSimpleName();
    }

    /** Logs the warning once while its entry stays (a scan that no longer finds it forgets it). */
    private static void warnOnce(OnceWarnings warnings, String key, String message) {
        if (warnings.firstTime(key)) {
            log.warn(message);
        }
    }

    /** Warnings remembered so that they are logged once (for tests). */
    int warningsRemembered() {
        return inboxWarnings.remembered() + claimedWarnings.remembered();
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
