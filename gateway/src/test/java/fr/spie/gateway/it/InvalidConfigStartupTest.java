package fr.spie.gateway.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.SpieGatewayMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A bad routing file stops the start with the file, line, column and what is wrong. */
class InvalidConfigStartupTest {

    @Test
    void theGatewayRefusesToStartOnAnInvalidRoutingFile(@TempDir Path config) throws IOException {
        for (String file : new String[] {"partners.yaml", "routes.yaml", "access.yaml"}) {
            Files.copy(Path.of(GatewayTestSupport.TEST_CONFIG, file), config.resolve(file));
        }
        Path routes = config.resolve("routes.yaml");
        Files.writeString(routes, Files.readString(routes).replace("to: [ft-51]", "to: [ft-52]"));

        assertThatThrownBy(() -> new SpringApplicationBuilder(SpieGatewayMain.class).run("--server.port=0",
                "--spie.data-dir=" + GatewayTestSupport.tempDataDir(), "--spie.config-dir=" + config,
                "--TEST_URL_CD_51=http://localhost:1/x", "--TEST_URL_FT_51=http://localhost:1/x",
                "--TEST_URL_ML_REIMS=http://localhost:1/x"))
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(fullMessage(e))
                        .contains("Invalid routing configuration")
                        .containsPattern("routes\\.yaml:\\d+:\\d+: route 'orientation-cd-to-ft': 'to' names unknown "
                                + "partner 'ft-52'"));
    }

    private static String fullMessage(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append('\n');
        }
        return b.toString();
    }
}
