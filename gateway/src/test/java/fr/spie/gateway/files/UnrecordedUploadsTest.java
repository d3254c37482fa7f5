package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.cluster.InstanceId;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Uploads stored, then refused because the database could not record them: their bytes, which no row names, must not
 * stay in the file store for good (a gateway that runs for months through database outages would fill its disk with
 * partners' files nobody reads, personal data included).
 */
class UnrecordedUploadsTest {
    static final int UPLOADS = 30;

    @TempDir
    Path data;
    DatabaseDown database;
    FileIntake intake;

    /** A database that refuses every write; reads fail while it is down, then find what was committed. */
    static final class DatabaseDown extends ReceivedFileStore {
        volatile boolean down = true;
        /** Ids whose insert committed although the caller was told it failed (the answer was lost). */
        final Set<UUID> committedAnyway = ConcurrentHashMap.newKeySet();
        volatile boolean commitNext;

        DatabaseDown() {
            super(null, null, null);
        }

        private void refuseWhileDown() {
            if (down) {
                throw new CannotCreateTransactionException("database unavailable");
            }
        }

        @Override
        public ReceivedFile insert(UUID fileId, String partner, String name, String digest, long size, String format,
                                   String channel, Instant receivedAt, Origin origin) {
            if (commitNext) {
                committedAnyway.add(fileId);
            }
            throw new CannotCreateTransactionException("database unavailable");
        }

        @Override
        public void fileStoreSeen(String storeId, String instance, String location) {
            refuseWhileDown();
        }

        @Override
        public Optional<ReceivedFile> find(UUID fileId) {
            refuseWhileDown();
            return committedAnyway.contains(fileId) ? Optional.of(new ReceivedFile(fileId, "caf-51", "kept.xml",
                    "d", 1, "cnaf-vrsb0801", ReceivedFile.UPLOAD, FileStatus.RECEIVED, null, null, 0, 0, 0, 0, 0,
                    Instant.now(), null, null, null, null, null, null, null, null, null, null))
                    : Optional.empty();
        }

        @Override
        public List<UUID> unfinished(String storeId, String instance, int limit) {
            refuseWhileDown();
            return List.of();
        }

        @Override
        public List<Elsewhere> unfinishedElsewhere(String storeId, Duration lease, int limit) {
            refuseWhileDown();
            return List.of();
        }
    }

    @BeforeEach
    void intake() throws Exception {
        var config = new GatewayConfigLoader(RecordTypes.V1, k -> k.startsWith("TEST_URL_") ? "http://localhost:1/x"
                : null).load(Path.of("src/test/resources/files/config"));
        database = new DatabaseDown();
        intake = new FileIntake(database, new RoutingConfigHolder(config), null, null,
                new SpieProperties(data.toString(), null, null, null, null, null),
                new FilesProperties(null, null, null, null, null, null, null, null, null, null, null),
                new InstanceId("test-instance"));
    }

    @AfterEach
    void stop() throws Exception {
        intake.destroy();
    }

    @Test
    void theBytesOfUploadsTheDatabaseCouldNotRecordAreDeletedOnceItAnswers() throws Exception {
        for (int i = 0; i < UPLOADS; i++) {
            assertThatThrownBy(() -> upload("<Racine/>")).isInstanceOf(CannotCreateTransactionException.class);
        }
        assertThat(storedFiles()).as("kept while the database cannot say whether a row names them").hasSize(UPLOADS);

        database.down = false;
        intake.sweep();

        assertThat(storedFiles()).as("no bytes left that no row names").isEmpty();
        assertThat(intake.unrecordedUploads()).as("nothing kept in memory either").isZero();
    }

    @Test
    void whenTheDatabaseAnswersAtOnceTheBytesGoAtOnce() {
        database.down = false;
        for (int i = 0; i < UPLOADS; i++) {
            assertThatThrownBy(() -> upload("<Racine/>")).isInstanceOf(CannotCreateTransactionException.class);
        }

        assertThat(storedFiles()).isEmpty();
        assertThat(intake.unrecordedUploads()).isZero();
    }

    @Test
    void anUploadRecordedAfterAllKeepsItsBytes() throws Exception {
        database.down = false;
        database.commitNext = true;
        assertThatThrownBy(() -> upload("<Racine/>")).isInstanceOf(CannotCreateTransactionException.class);
        intake.sweep();

        UUID recorded = database.committedAnyway.iterator().next();
        assertThat(storedFiles()).as("its row names them: the file is read like any other")
                .containsExactly(recorded.toString());
    }

    private void upload(String content) throws IOException {
        intake.upload("caf-51", "RSABEM_202502.xml",
                new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** The files of the store, but its id file. */
    private List<String> storedFiles() {
        try (Stream<Path> files = Files.list(data.resolve("files"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(FileStoreId.FILE)).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
