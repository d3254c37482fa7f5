package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.cluster.InstanceId;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads cut short by a stop of the gateway (a crash, a kill, a pod deleted) leave their hidden temporary file in the
 * file store: the write that would have deleted it never ends. Over months of restarts they must not pile up.
 */
class AbandonedUploadPartsTest {
    static final int CUT_SHORT = 50;

    @TempDir
    Path data;
    FileIntake intake;
    Path store;

    @BeforeEach
    void intake() throws Exception {
        var config = new GatewayConfigLoader(RecordTypes.V1, k -> k.startsWith("TEST_URL_") ? "http://localhost:1/x"
                : null).load(Path.of("src/test/resources/files/config"));
        DatabaseDownStore database = new DatabaseDownStore();
        database.down = false;
        intake = new FileIntake(database, new RoutingConfigHolder(config), null, null,
                new SpieProperties(data.toString(), null, null, null, null, null),
                new FilesProperties(null, null, null, null, null, null, null, null, null, null, null),
                new InstanceId("test-instance"));
        store = intake.storage().root();
    }

    @AfterEach
    void stop() throws Exception {
        intake.destroy();
    }

    @Test
    void temporaryFilesOfWritesAStopCutShortAreDeletedOnlyThem() throws Exception {
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        List<Path> abandoned = new ArrayList<>();
        for (int i = 0; i < CUT_SHORT; i++) {
            abandoned.add(file("." + UUID.randomUUID() + (i % 2 == 0 ? ".part" : ".copy"), twoHoursAgo));
        }
        Path beingWritten = file("." + UUID.randomUUID() + ".part", Instant.now());
        Path stored = file(UUID.randomUUID().toString(), twoHoursAgo);

        intake.sweep();

        assertThat(abandoned).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(beingWritten).as("a write in progress").exists();
        assertThat(stored).as("a file of the store").exists();
        assertThat(store.resolve(FileStoreId.FILE)).exists();
        assertThat(listed()).hasSize(3);
    }

    private Path file(String name, Instant modified) throws IOException {
        Path file = Files.writeString(store.resolve(name), "<Racine><Personne>...</Personne>");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    private List<Path> listed() throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.toList();
        }
    }
}
