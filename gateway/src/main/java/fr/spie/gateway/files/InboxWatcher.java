package fr.spie.gateway.files;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.io.IOException;
import java.nio.file.DirectoryStream;
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
 * its name does not end in {@code .part} or {@code .tmp} and does not start with {@code .} (rename-on-complete: write
 * {@code x.csv.part}, then rename it to {@code x.csv}), and its size and modification time did not change between
 * two scans. It is then moved atomically to {@code <data-dir>/files/.incoming/<partner-id>/}, recorded with its
 * digest, moved into the file store and processed like an upload. Symbolic links and sub-folders are never followed.
 * <p>
 * Each scan also queues the files left RECEIVED or PROCESSING (see {@link FileIntake#sweep()}), which resumes at
 * start-up what a previous run left unfinished.
 */
@Component
public class InboxWatcher implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(InboxWatcher.class);
    private static final String SEPARATOR = "--";

    private final FileIntake intake;
    private final RoutingConfigHolder config;
    private final FilesProperties properties;
    private final Path inbox;
    private final Path incoming;
    private final Map<Path, Seen> seen = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
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

    private record Seen(long size, long modified) {
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        long interval = properties.inboxPoll().toMillis();
        scheduler.scheduleWithFixedDelay(this::scanSafely, 0, interval, TimeUnit.MILLISECONDS);
    }

    private void scanSafely() {
        try {
            recoverClaimed();
            if (properties.inboxEnabled()) {
                scan();
            }
            intake.sweep();
        } catch (Exception e) {
            log.warn("inbox scan failed, will try again: {}", e.toString());
        }
    }

    /** One scan: takes the files that were already there, unchanged, at the previous scan. */
    synchronized void scan() throws IOException {
        Files.createDirectories(inbox);
        Set<Path> present = new HashSet<>();
        try (DirectoryStream<Path> partners = Files.newDirectoryStream(inbox)) {
            for (Path dir : partners) {
                String partnerId = dir.getFileName().toString();
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    warnOnce("entry", "inbox entry '" + FileNames.printable(partnerId)
                            + "' is not a partner folder: ignored");
                    continue;
                }
                Partner partner = config.current().partner(partnerId).orElse(null);
                if (partner == null || partner.files() == null) {
                    warnOnce(partnerId, "inbox folder '" + FileNames.printable(partnerId) + "' is not a partner with"
                            + " a 'files' block in partners.yaml: its files are ignored");
                    continue;
                }
                scanPartner(partnerId, dir, present);
            }
        }
        seen.keySet().retainAll(present);
    }

    private void scanPartner(String partnerId, Path dir, Set<Path> present) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || name.endsWith(".part") || name.endsWith(".tmp")) {
                    continue; // still being written (rename-on-complete)
                }
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!attributes.isRegularFile()) {
                    warnOnce(partnerId + "/" + name, "inbox of " + partnerId + ": an entry is not a regular file "
                            + "(folder or link): ignored");
                    continue;
                }
                present.add(file);
                Seen now = new Seen(attributes.size(), attributes.lastModifiedTime().toMillis());
                Seen before = seen.put(file, now);
                if (now.equals(before)) {
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
            String kept = name.length() > 200 ? name.substring(0, 200) : name;
            Path claimed = dir.resolve(id + SEPARATOR + kept);
            Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
            intake.registerClaimed(partnerId, id, name, claimed);
        } catch (IOException e) {
            log.warn("inbox of {}: a file could not be taken, will try again: {}", partnerId, e.toString());
        }
    }

    /** Finishes what a stop interrupted between taking a file from the inbox and moving it into the store. */
    synchronized void recoverClaimed() throws IOException {
        if (!Files.isDirectory(incoming)) {
            return;
        }
        try (DirectoryStream<Path> partners = Files.newDirectoryStream(incoming)) {
            for (Path dir : partners) {
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
                        intake.registerClaimed(dir.getFileName().toString(), id,
                                name.substring(sep + SEPARATOR.length()), claimed);
                    }
                }
            }
        }
    }

    private void warnOnce(String key, String message) {
        if (warned.add(key)) {
            log.warn(message);
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
