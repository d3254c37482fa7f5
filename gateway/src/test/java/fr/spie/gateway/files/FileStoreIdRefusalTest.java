package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.cluster.InstanceId;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.lifecycle.StartupRefusal;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * A {@code <data-dir>/files/.store-id} that holds no id stops the gateway at start-up (the file intake is not
 * created), naming the file and what to do, instead of failing the first upload or inbox scan with a 500.
 */
class FileStoreIdRefusalTest {
    @TempDir
    Path data;

    private FileIntake start() throws Exception {
        var config = new GatewayConfigLoader(RecordTypes.V1, k -> k.startsWith("TEST_URL_") ? "http://localhost:1/x"
                : null).load(Path.of("src/test/resources/files/config"));
        return new FileIntake(null, new RoutingConfigHolder(config), null, null,
                new SpieProperties(data.toString(), null, null, null, null, null),
                new FilesProperties(null, null, null, null, null, null, null, null, null, null, null),
                new InstanceId("test-instance"));
    }

    private interface Damage {
        void to(Path storeId) throws Exception;
    }

    private record Case(String problem, Damage damage) {
    }

    @Test
    void aStoreIdFileThatHoldsNoIdIsAStartupRefusalNamingTheFileAndWhatToDo() throws Exception {
        String noId = "it does not hold a file store id (1 to 64 letters, digits or '-')";
        List<Case> cases = List.of(
                new Case(noId, f -> Files.writeString(f, "store id: 5c1f/../x\n", StandardCharsets.UTF_8)),
                new Case(noId, f -> Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0})), // not even ASCII
                new Case("it is empty", f -> Files.write(f, new byte[0])),
                new Case("it is a directory, not a file", Files::createDirectory));
        for (Case broken : cases) {
            Path storeId = data.resolve("files").resolve(".store-id").toAbsolutePath();
            FileSystemUtils.deleteRecursively(data.resolve("files"));
            Files.createDirectories(storeId.getParent());
            broken.damage().to(storeId);

            Throwable refused = catchThrowable(this::start);

            assertThat(refused).as(broken.problem()).isInstanceOf(StartupRefusal.class);
            assertThat(refused.getMessage()).isEqualTo("The file store id " + storeId + " is not usable: "
                    + broken.problem() + "; the gateway refuses to start");
            assertThat(((StartupRefusal) refused).action()).contains("write it back into " + storeId,
                    "otherwise remove " + storeId, "file_store table");
        }
    }

    @Test
    void aStoreWithoutAnIdGetsOneAtStartupAndKeepsIt() throws Exception {
        start().destroy();
        String id = Files.readString(data.resolve("files").resolve(".store-id")).strip();
        assertThat(id).matches("[0-9a-f-]{36}");
        start().destroy();
        assertThat(Files.readString(data.resolve("files").resolve(".store-id")).strip()).isEqualTo(id);
    }
}
