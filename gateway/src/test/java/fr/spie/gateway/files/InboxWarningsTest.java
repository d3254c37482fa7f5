package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.cluster.InstanceId;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * The inbox watcher logs each ignored entry once; what it remembers to do so must not grow with every folder name,
 * link or unrecordable file ever seen in months of scans (an SFTP account creating folders with changing names
 * would grow it without end), only with what is still there.
 */
class InboxWarningsTest {
    static final int ROUNDS = 50;

    @TempDir
    Path data;
    FileIntake intake;
    InboxWatcher watcher;

    @BeforeEach
    void watcher() throws Exception {
        var config = new GatewayConfigLoader(RecordTypes.V1, k -> k.startsWith("TEST_URL_") ? "http://localhost:1/x"
                : null).load(Path.of("src/test/resources/files/config"));
        SpieProperties spie = new SpieProperties(data.toString(), null, null, null, null, null);
        FilesProperties files = new FilesProperties(null, null, null, null, null, null, null, null, null, null, null);
        // no database: a file taken from the inbox cannot be recorded (it stays in .incoming, with a warning)
        intake = new FileIntake(null, new RoutingConfigHolder(config), null, null, spie, files,
                new InstanceId("test-instance"));
        watcher = new InboxWatcher(intake, new RoutingConfigHolder(config), spie, files);
    }

    @AfterEach
    void stop() throws Exception {
        watcher.destroy();
        intake.destroy();
    }

    @Test
    void warningsAboutEntriesThatAreGoneAreForgotten() throws Exception {
        Path inbox = data.resolve("inbox");
        Path incoming = data.resolve("files").resolve(".incoming").resolve("caf-51");
        for (int i = 0; i < ROUNDS; i++) {
            Path stranger = Files.createDirectories(inbox.resolve("stranger-" + i));
            Path folder = Files.createDirectories(inbox.resolve("caf-51").resolve("folder-" + i));
            Path unrecorded = Files.createDirectories(incoming).resolve(UUID.randomUUID() + "--RSABEM_" + i + ".xml");
            Files.writeString(unrecorded, "<Racine/>");

            for (int scan = 0; scan < 2; scan++) {
                watcher.recoverClaimed();
                watcher.scan();
            }
            assertThat(watcher.warningsRemembered()).as("round %d: the three entries there now", i).isEqualTo(3);

            FileSystemUtils.deleteRecursively(stranger);
            FileSystemUtils.deleteRecursively(folder);
            Files.delete(unrecorded);
        }
        watcher.recoverClaimed();
        watcher.scan();

        assertThat(watcher.warningsRemembered()).as("nothing left to warn about").isZero();
    }
}
