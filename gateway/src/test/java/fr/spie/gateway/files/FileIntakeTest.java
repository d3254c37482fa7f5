package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/** Uploads that cannot be stored: a clear problem for the partner, nothing kept, no database row. */
class FileIntakeTest {
    @TempDir
    Path data;
    FileIntake intake;

    @BeforeEach
    void intake() throws Exception {
        var config = new GatewayConfigLoader(RecordTypes.V1, k -> k.startsWith("TEST_URL_") ? "http://localhost:1/x"
                : null).load(Path.of("src/test/resources/files/config"));
        // no database: an upload that reaches it would fail with a NullPointerException
        intake = new FileIntake(null, new RoutingConfigHolder(config), null, null,
                new SpieProperties(data.toString(), null, null, null, null, null),
                new FilesProperties(null, null, null, null, null, null, null, null, null, null, null),
                new fr.spie.gateway.cluster.InstanceId("test-instance"));
    }

    @AfterEach
    void stop() throws Exception {
        intake.destroy();
    }

    @Test
    void aFileStoreThatCannotBeWrittenAnswers503AndKeepsNothing() throws Exception {
        // the store's folder (created at start-up) is gone and cannot be created again: as on a full or read-only
        // disk, writing the file fails
        FileSystemUtils.deleteRecursively(data.resolve("files"));
        Files.writeString(data.resolve("files"), "not a folder", StandardCharsets.UTF_8);

        IntakeRejection refused = catchThrowableOfType(IntakeRejection.class, () -> intake.upload("caf-51",
                "RSABEM_202502.xml", new ByteArrayInputStream("<Racine/>".getBytes(StandardCharsets.UTF_8))));

        assertThat(refused).as("a problem for the partner, not an I/O error (500)").isNotNull();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.problem()).isEqualTo("file-store-unavailable");
        assertThat(data.resolve("files")).hasContent("not a folder");
    }

    @Test
    void uploadsCutShortLeaveNoFileOpen() throws Exception {
        var os = (com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        catchThrowableOfType(IntakeRejection.class, () -> intake.upload("caf-51", "RSABEM_202502.xml", cutAfter(10)));
        long before = os.getOpenFileDescriptorCount();
        for (int i = 0; i < 50; i++) {
            catchThrowableOfType(IntakeRejection.class,
                    () -> intake.upload("caf-51", "RSABEM_202502.xml", cutAfter(100_000)));
        }

        assertThat(os.getOpenFileDescriptorCount()).as("open files after 50 uploads cut short")
                .isLessThanOrEqualTo(before + 2);
        assertThat(data.resolve("files")).isDirectoryNotContaining(p -> !p.getFileName().toString()
                .equals(FileStoreId.FILE));
    }

    /** A request body whose client goes away after {@code bytes} bytes. */
    private static InputStream cutAfter(int bytes) {
        return new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < bytes) {
                    return 'x';
                }
                throw new IOException("Connection reset by peer");
            }
        };
    }

    @Test
    void anUploadCutShortAnswers400AndKeepsNothing() {
        InputStream cut = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 100) {
                    return 'x';
                }
                throw new IOException("Connection reset by peer");
            }
        };

        IntakeRejection refused = catchThrowableOfType(IntakeRejection.class,
                () -> intake.upload("caf-51", "RSABEM_202502.xml", cut));

        assertThat(refused).as("a problem for the partner, not an I/O error (500)").isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.problem()).isEqualTo("upload-interrupted");
        assertThat(data.resolve("files")).as("nothing but the store's id, created at start-up")
                .isDirectoryNotContaining(p -> !p.getFileName().toString().equals(FileStoreId.FILE));
    }
}
