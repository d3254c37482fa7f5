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
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Uploads stored, then refused because the database could not record them: their bytes, which no row names, must not
 * stay in the file store for good (a gateway that runs for months through database outages would fill its disk with
 * partners' files nobody reads, personal data included).
 */
class UnrecordedUploadsTest {
    static final int UPLOADS = 30;

    @TempDir
    Path data;
    DatabaseDownStore database;
    FileIntake intake;

    @BeforeEach
    void intake() throws Exception {
        var config = new GatewayConfigLoader(RecordTypes.V1, k -> k.startsWith("TEST_URL_") ? "http://localhost:1/x"
                : null).load(Path.of("src/test/resources/files/config"));
        database = new DatabaseDownStore();
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

        int finds = database.finds.get();
        assertThatThrownBy(intake::sweep).as("the rest of the scan fails too, as before")
                .isInstanceOf(CannotCreateTransactionException.class);
        assertThat(database.finds.get() - finds).as("a scan during the outage asks once, not once per upload")
                .isEqualTo(1);
        assertThat(storedFiles()).hasSize(UPLOADS);

        database.down = false;
        intake.sweep();

        assertThat(storedFiles()).as("no bytes left that no row names").isEmpty();
        assertThat(intake.unrecordedUploads()).as("nothing kept in memory either").isZero();
    }

    @Test
    void anUploadRefusedByTheDatabaseForAnotherReasonLeavesNoBytesAtOnce() {
        database.down = false;
        database.insertFailure = new DataIntegrityViolationException("a constraint");
        for (int i = 0; i < UPLOADS; i++) {
            assertThatThrownBy(() -> upload("<Racine/>")).isInstanceOf(DataIntegrityViolationException.class);
        }

        assertThat(storedFiles()).isEmpty();
        assertThat(intake.unrecordedUploads()).isZero();
    }

    @Test
    void anUploadRecordedAfterAllKeepsItsBytes() throws Exception {
        database.down = false;
        database.commitNext = true;
        database.insertFailure = new TransactionSystemException("the commit's answer was lost");
        assertThatThrownBy(() -> upload("<Racine/>")).isInstanceOf(TransactionSystemException.class);
        intake.sweep();

        UUID recorded = database.committedAnyway.iterator().next();
        assertThat(storedFiles()).as("its row names them: the file is read like any other")
                .containsExactly(recorded.toString());
        assertThat(intake.unrecordedUploads()).isZero();
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
