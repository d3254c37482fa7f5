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

    /**
     * --public-key given the data directory's other keys (the pseudonym key, the ledger's key store) or a private key:
     * said in words, with where the public key is. Before: "PEM does not hold a public key or certificate: empty",
     * "...: PrivateKeyInfo", and "Input length = 1" for the PKCS#12 key store.
     */
    @Test
    void aPublicKeyThatIsAnotherKeySaysWhereThePublicKeyIs(@TempDir Path tmp) throws Exception {
        Path export = Files.writeString(tmp.resolve("export.jsonl"), "{}\n");
        Path pseudonymKey = Files.writeString(tmp.resolve("pseudonym.key"),
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path privateKey = Files.writeString(tmp.resolve("private.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Path keyStore = Files.write(tmp.resolve("ledger.p12"), new byte[]{0x30, (byte) 0x82, (byte) 0xFF, 0x00});

        SpieCliTest.Run pseudonym = SpieCliTest.run("audit", "verify", export.toString(), "--public-key",
                pseudonymKey.toString());
        SpieCliTest.Run secret = SpieCliTest.run("audit", "verify", export.toString(), "--public-key",
                privateKey.toString());
        SpieCliTest.Run store = SpieCliTest.run("audit", "verify", export.toString(), "--public-key",
                keyStore.toString());

        String where = ": give the gateway's ledger public key (GET /api/v1/gateway/ledger-key, or "
                + "<data-dir>/keys/ledger-public-key.pem)";
        assertThat(pseudonym.exitCode()).isEqualTo(2);
        assertThat(pseudonym.err().strip()).isEqualTo("cannot read the public key " + pseudonymKey + ": not a PEM "
                + "public key or certificate (no -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE----- block)"
                + where);
        assertThat(secret.exitCode()).isEqualTo(2);
        assertThat(secret.err().strip()).isEqualTo("cannot read the public key " + privateKey + ": a private key, "
                + "not a public key or certificate (never hand a private key around)" + where);
        assertThat(store.exitCode()).isEqualTo(2);
        assertThat(store.err()).contains("cannot read the public key " + keyStore + ": not UTF-8 text")
                .doesNotContain("Input length");
    }
}
