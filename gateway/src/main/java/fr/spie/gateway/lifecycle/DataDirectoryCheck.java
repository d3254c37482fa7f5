package fr.spie.gateway.lifecycle;

import fr.spie.gateway.IoErrorText;
import java.io.IOException;
import java.nio.file.Files;
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
            try {
                Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
                return;
            } catch (IOException e) {
                throw new StartupRefusal(message(dir, "cannot create a file in it: " + IoErrorText.reason(e)),
                        action(dir), e);
            }
        } catch (IOException e) {
            throw new StartupRefusal(message(dir, IoErrorText.of(e)), action(dir), e);
        }
    }

    private static String message(Path dir, String problem) {
        return "The data directory " + dir + " (spie.data-dir) is not usable: " + problem
                + "; the gateway refuses to start";
    }

    private static String action(Path dir) {
        return "Create the directory and give the user that runs the gateway write access to it (e.g. chown spie: "
                + dir + "), or set spie.data-dir (SPIE_DATA_DIR) to such a directory (config/README.md).";
    }
}
