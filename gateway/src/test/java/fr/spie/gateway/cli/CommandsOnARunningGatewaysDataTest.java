package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'audit report' and 'audit export-full' on the data directory of a gateway that runs: H2 refuses the second process
 * ("Database may be already in use ... use the server mode"), which the commands printed as is. They now say that a
 * gateway runs there, and what to do.
 */
class CommandsOnARunningGatewaysDataTest {

    @Test
    void theCommandsSayThatAGatewayRunsOnTheDataDirectory(@TempDir Path data) throws Exception {
        Files.createDirectories(data.resolve("keys"));
        Files.createDirectories(data.resolve("ledger"));
        Files.writeString(data.resolve("keys").resolve("pseudonym.key"),
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        Files.write(data.resolve("ledger").resolve("leaves.bin"), new byte[0]);
        Files.writeString(data.resolve("keys").resolve("ledger-public-key.pem"),
                fr.spie.gateway.ledger.GatewayKeys.generate().publicKeyPem());
        Process holder = HoldDatabase.holding(data);
        try {

            SpieCliTest.Run report = SpieCliTest.run("audit", "report", "--data-dir", data.toString(), "--nir",
                    "1850575123456", "--config", SpieCliTest.REPO_CONFIG.toString());
            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.err()).contains("a gateway is running on this data directory",
                    "POST /api/v1/audit/persons/report").doesNotContain("server mode");

            SpieCliTest.Run export = SpieCliTest.run("audit", "export-full", "--data-dir", data.toString(), "--out",
                    data.resolve("export").toString());
            assertThat(export.exitCode()).isEqualTo(1);
            assertThat(export.err()).contains("a gateway is running on this data directory",
                    "GET /api/v1/audit/export/full").doesNotContain("server mode");
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }
}
