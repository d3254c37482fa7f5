package fr.spie.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.SpieGatewayMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What an operator sees when the gateway refuses to start for a mistake of theirs: the reason and what to do, as
 * Spring Boot's "APPLICATION FAILED TO START" report, and no stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupRefusalOutputTest {

    @Test
    void aConfigurationDirectoryWithAMissingPlaceholderIsReportedWithoutAStackTrace(@TempDir Path tmp,
            CapturedOutput output) throws IOException {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("partners.yaml"), """
                partners:
                  - id: cd-51
                    kind: departement
                    name: "${SPIE_TEST_UNSET_PLACEHOLDER}"
                    delivery: {url: "http://localhost:1/spie"}
                  - id: caf-51
                    kind: caf
                    name: CAF
                """);
        Files.writeString(config.resolve("routes.yaml"), """
                routes:
                  - id: r
                    description: d
                    recordTypes: [person]
                    from: caf-51
                    to: cd-51
                    purpose: rsa-orientation
                    legalBasis: {type: legal-obligation, reference: CASF}
                """);

        assertThatThrownBy(() -> new SpringApplicationBuilder(SpieGatewayMain.class).run("--server.port=0",
                "--spie.data-dir=" + tmp.resolve("data"), "--spie.config-dir=" + config))
                .hasStackTraceContaining("SPIE_TEST_UNSET_PLACEHOLDER");

        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains("Invalid routing configuration in " + config.toAbsolutePath())
                .contains("partners.yaml:4:11: variable 'SPIE_TEST_UNSET_PLACEHOLDER' is not set (environment, "
                        + "-DSPIE_TEST_UNSET_PLACEHOLDER=..., or --SPIE_TEST_UNSET_PLACEHOLDER=... / application "
                        + "settings)")
                .contains("config check")
                .doesNotContain("Application run failed")
                .doesNotContainPattern("\\n\\s+at [a-z]+\\.");
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsRefusedBeforeAnythingStarts(@TempDir Path tmp, CapturedOutput output)
            throws IOException {
        Path notADirectory = Files.writeString(tmp.resolve("a-file"), "x");

        assertThatThrownBy(() -> new SpringApplicationBuilder(SpieGatewayMain.class).run("--server.port=0",
                "--spie.data-dir=" + notADirectory.resolve("data"), "--spie.config-dir=../config"))
                .isInstanceOf(StartupRefusal.class);

        assertThat(output.getAll())
                .contains("APPLICATION FAILED TO START")
                .contains("The data directory " + notADirectory.resolve("data") + " (spie.data-dir) is not usable")
                .contains("set spie.data-dir")
                .doesNotContain("Application run failed")
                .doesNotContainPattern("\\n\\s+at [a-z]+\\.");
    }
}
