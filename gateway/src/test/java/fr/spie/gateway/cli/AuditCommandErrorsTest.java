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

    /**
     * A data directory with keys and a ledger but no embedded database (a copy without db/, or that of a gateway on
     * PostgreSQL): both commands say so and what to give. Before: H2's "Database ... not found, and IFEXISTS=true, so
     * we cant auto-create it [90146-240]", behind "query failed: SELECT ..." for export-full.
     */
    @Test
    void aDataDirectoryWithoutItsEmbeddedDatabaseSaysWhatToGive(@TempDir Path data) throws IOException {
        Files.createDirectories(data.resolve("keys"));
        Files.createDirectories(data.resolve("ledger"));
        Files.writeString(data.resolve("keys").resolve("pseudonym.key"), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        Files.write(data.resolve("ledger").resolve("leaves.bin"), new byte[0]);
        Files.writeString(data.resolve("keys").resolve("ledger-public-key.pem"),
                fr.spie.gateway.ledger.GatewayKeys.generate().publicKeyPem());

        SpieCliTest.Run report = SpieCliTest.run("audit", "report", "--data-dir", data.toString(), "--nir",
                "1850575123456", "--config", SpieCliTest.REPO_CONFIG.toString());
        SpieCliTest.Run export = SpieCliTest.run("audit", "export-full", "--data-dir", data.toString(), "--out",
                data.resolve("export").toString());

        String expected = "no embedded database in " + data.resolve("db") + " (spie.mv.db): is " + data + " the "
                + "gateway's data directory (spie.data-dir)? If the gateway runs on another database "
                + "(spring.datasource.url), give it as --jdbc-url";
        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.err()).contains("report failed: " + expected).doesNotContain("IFEXISTS", "90146");
        assertThat(export.exitCode()).isEqualTo(1);
        assertThat(export.err()).contains("export failed: " + expected).doesNotContain("IFEXISTS", "SELECT");
        assertThat(data.resolve("export")).doesNotExist();
        assertThat(data.resolve("db")).doesNotExist();
    }

    /**
     * A --tsa-certificate that is a directory or not a certificate (the ledger's public key given by mistake) is said
     * to be so. Before: "Could not parse certificate: java.io.IOException: Is a directory" and "Unable to initialize,
     * java.io.IOException: Too short".
     */
    @Test
    void aTsaCertificateThatIsNotOneIsSaidToBeSo(@TempDir Path tmp) throws IOException {
        Path export = Files.writeString(tmp.resolve("export.jsonl"), "{}\n");
        Path key = Files.writeString(tmp.resolve("ledger-key.pem"),
                fr.spie.gateway.ledger.GatewayKeys.generate().publicKeyPem());
        Path dir = Files.createDirectories(tmp.resolve("tsa"));

        SpieCliTest.Run onADirectory = SpieCliTest.run("audit", "verify", export.toString(), "--public-key",
                key.toString(), "--tsa-certificate", dir.toString());
        SpieCliTest.Run onAKey = SpieCliTest.run("audit", "verify", export.toString(), "--public-key", key.toString(),
                "--tsa-certificate", key.toString());

        assertThat(onADirectory.exitCode()).isEqualTo(2);
        assertThat(onADirectory.err().strip()).isEqualTo("cannot read the TSA certificate " + dir + ": " + dir
                + " is a directory, not a certificate file");
        assertThat(onAKey.exitCode()).isEqualTo(2);
        assertThat(onAKey.err().strip()).isEqualTo("cannot read the TSA certificate " + key + ": not an X.509 "
                + "certificate (PEM or DER): " + key + ": give the TSA's certificate, as the TSA publishes it");
    }
}
