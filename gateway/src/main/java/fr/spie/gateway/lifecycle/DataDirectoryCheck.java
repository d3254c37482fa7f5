package fr.spie.gateway.lifecycle;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Before anything is created, checks that {@code spie.data-dir} is a directory the gateway can write (creating it
 * when missing): otherwise the start is refused with the path, the reason and what to do, rather than with the first
 * component (pseudonym key, database, broker journal) that happens to fail.
 */
public class DataDirectoryCheck implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        check(Path.of(env.getProperty("spie.data-dir", "data")));
    }

    /** Refuses a data directory that cannot be created or written; creates it when missing. */
    public static void check(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new StartupRefusal("The data directory " + dir + " (spie.data-dir) is not usable: " + describe(e)
                    + "; the gateway refuses to start",
                    "Create the directory and give the user that runs the gateway write access to it (e.g. chown "
                            + "spie: " + dir + "), or set spie.data-dir (SPIE_DATA_DIR) to such a directory "
                            + "(config/README.md).", e);
        }
    }

    /** An I/O failure in an operator's words: what happened to which file (the JDK gives only the path for some). */
    public static String describe(IOException e) {
        String file = e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() : null;
        String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            reason = "no such file or directory";
        } else if (e instanceof FileAlreadyExistsException) {
            reason = "exists and is not a directory";
        }
        if (reason == null || reason.isBlank()) {
            reason = e.getClass().getSimpleName();
        }
        return file == null ? reason : file + ": " + reason;
    }
}
