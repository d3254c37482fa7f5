package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit and explain commands' answers to an operator's usual mistakes name the file and what is wrong with it. */
class AuditCommandErrorsTest {

    @Test
    void aPublicKeyFileThatIsNotThereIsSaidToBeMissing(@TempDir Path tmp) throws IOException {
        Path export = Files.writeString(tmp.resolve("export.jsonl"), "{}\n");
        Path key = tmp.resolve("ledger-key.pem");

        SpieCliTest.Run run = SpieCliTest.run("audit", "verify", export.toString(), "--public-key", key.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("cannot read the public key " + key + ": no such file or directory");
    }

    @Test
    void explainOnAnEnvelopeThatIsNotThereSaysSo(@TempDir Path tmp) {
        Path envelope = tmp.resolve("envelope.json");

        SpieCliTest.Run run = SpieCliTest.run("explain", envelope.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo(envelope + ": cannot read the envelope: no such file or directory");
    }

    @Test
    void aReportOnAWrongDataDirectorySaysWhatItLookedForAndWhatToGive(@TempDir Path tmp) {
        Path notTheDataDir = tmp.resolve("data");

        SpieCliTest.Run run = SpieCliTest.run("audit", "report", "--data-dir", notTheDataDir.toString(), "--nir",
                "1850575123456");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no pseudonym key " + notTheDataDir.resolve("keys").resolve("pseudonym.key"),
                "the gateway's data directory", "--pseudonym-key-file");
        assertThat(run.err()).doesNotContain("1850575123456");
    }
}
