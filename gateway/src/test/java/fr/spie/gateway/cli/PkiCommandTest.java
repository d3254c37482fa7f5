package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.pki.CertificateFiles;
import fr.spie.gateway.pki.PkiLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pki init} and {@code pki revoke}: the development PKI from the command line. */
class PkiCommandTest {
    @TempDir
    Path tmp;

    @Test
    void initCreatesOneClientCertificatePerPartnerAndRefusesToReplaceTheCa() {
        Path dir = tmp.resolve("pki");
        SpieCliTest.Run init = SpieCliTest.run("pki", "init", dir.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString(), "--validity", "30d");
        assertThat(init.exitCode()).as(init.err()).isZero();
        PkiLayout files = new PkiLayout(dir);
        for (String partner : new String[] {"caf-51", "ft-51", "cd-51", "ml-reims", "msa-51"}) {
            assertThat(files.clientKeystore(partner)).isRegularFile();
            assertThat(files.clientKey(partner)).isRegularFile();
            assertThat(init.out()).contains(files.clientKeystore(partner).toString());
        }
        var ca = CertificateFiles.readCertificate(files.caCertificate());

        SpieCliTest.Run again = SpieCliTest.run("pki", "init", dir.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("A CA already exists", "--force");
        assertThat(CertificateFiles.readCertificate(files.caCertificate())).isEqualTo(ca);

        SpieCliTest.Run forced = SpieCliTest.run("pki", "init", dir.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString(), "--force");
        assertThat(forced.exitCode()).isZero();
        assertThat(CertificateFiles.readCertificate(files.caCertificate())).isNotEqualTo(ca);
    }

    /**
     * A file that cannot be written is named with why, and the CA written before it is said to be left, with what to
     * do (a second run refuses to replace it without --force). Before: "pki init failed: cannot write
     * pki/clients/caf-51.p12", then "A CA already exists" on the next run.
     */
    @Test
    void aFileThatCannotBeWrittenIsNamedWithWhyAndWhatToDoNext() throws Exception {
        Path dir = tmp.resolve("pki");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("clients"), "a file where the clients' directory goes");

        SpieCliTest.Run init = SpieCliTest.run("pki", "init", dir.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString());

        assertThat(init.exitCode()).isEqualTo(1);
        assertThat(init.err()).contains("pki init failed: cannot write " + dir.resolve("clients").resolve("caf-51.p12")
                + ": " + dir.resolve("clients") + ": exists and is not a directory. The files written before it are "
                + "left in " + dir + ": once the cause is fixed, run pki init again with --force");
    }

    /**
     * spie.tls.* point at <data-dir>/pki by default: a directory may hold the stores of a real CA (no ca.pem). They are
     * not replaced by development ones without --force.
     */
    @Test
    void initDoesNotReplaceKeyStoresTrustStoresOrCrlsOfAnotherCa() throws Exception {
        Path dir = tmp.resolve("pki");
        PkiLayout files = new PkiLayout(dir);
        java.nio.file.Files.createDirectories(dir);
        byte[] production = "the operator's own store".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (Path file : new Path[] {files.serverKeystore(), files.truststore(), files.crl()}) {
            java.nio.file.Files.write(file, production);
        }

        SpieCliTest.Run init = SpieCliTest.run("pki", "init", dir.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString());
        assertThat(init.exitCode()).isEqualTo(1);
        assertThat(init.err()).contains("server.p12", "truststore.p12", "crl.pem", "--force");
        for (Path file : new Path[] {files.serverKeystore(), files.truststore(), files.crl()}) {
            assertThat(file).hasBinaryContent(production);
        }
        assertThat(files.caKey()).doesNotExist();
        assertThat(files.caCertificate()).doesNotExist();

        SpieCliTest.Run forced = SpieCliTest.run("pki", "init", dir.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(CertificateFiles.readCrl(files.crl())).isNotNull();
    }

    @Test
    void revokeAddsAPartnersCertificateToTheSignedCrl() throws Exception {
        Path dir = tmp.resolve("pki");
        assertThat(SpieCliTest.run("pki", "init", dir.toString(), "--config", SpieCliTest.REPO_CONFIG.toString())
                .exitCode()).isZero();
        PkiLayout files = new PkiLayout(dir);
        var cd = CertificateFiles.readCertificate(files.clientCertificate("cd-51"));
        var ft = CertificateFiles.readCertificate(files.clientCertificate("ft-51"));

        SpieCliTest.Run revoke = SpieCliTest.run("pki", "revoke", dir.toString(), "cd-51");
        assertThat(revoke.exitCode()).as(revoke.err()).isZero();
        assertThat(revoke.out()).contains(cd.getSerialNumber().toString(16));
        assertThat(SpieCliTest.run("pki", "revoke", dir.toString(), ft.getSerialNumber().toString()).exitCode())
                .isZero();

        var crl = CertificateFiles.readCrl(files.crl());
        crl.verify(CertificateFiles.readCertificate(files.caCertificate()).getPublicKey());
        assertThat(crl.isRevoked(cd)).isTrue();
        assertThat(crl.isRevoked(ft)).isTrue();
        assertThat(crl.isRevoked(CertificateFiles.readCertificate(files.clientCertificate("caf-51")))).isFalse();
    }

    @Test
    void badTargetsAndMissingPkiAreClearErrors() {
        SpieCliTest.Run none = SpieCliTest.run("pki", "revoke", tmp.resolve("nothing").toString(), "cd-51");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("No CA in", "pki init");

        Path dir = tmp.resolve("pki");
        SpieCliTest.run("pki", "init", dir.toString(), "--config", SpieCliTest.REPO_CONFIG.toString());
        SpieCliTest.Run unknown = SpieCliTest.run("pki", "revoke", dir.toString(), "no-such-partner");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("'no-such-partner' is neither a partner");

        SpieCliTest.Run badValidity = SpieCliTest.run("pki", "init", tmp.resolve("x").toString(), "--validity",
                "soon");
        assertThat(badValidity.exitCode()).isEqualTo(2);
        assertThat(badValidity.err()).contains("'soon' is not a duration");
    }

    /**
     * The partners are those the gateway loads: from its spie.config-dir, ids with their placeholders resolved from its
     * settings. Before: ./config, and the id '${CAF_ID}' as written (refused: not kebab-case).
     */
    @Test
    void initCertifiesThePartnersOfTheConfigurationTheGatewayLoads() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("partners.yaml"), """
                partners:
                  - id: "${CAF_ID}"
                    kind: caf
                    name: CAF
                  - id: cd-51
                    kind: departement
                    name: CD
                    delivery: {url: "${CD_URL}"}
                """);
        Files.writeString(config.resolve("routes.yaml"), "routes: []\n");
        Path dir = tmp.resolve("pki");

        SpieCliTest.Run init = SpieCliTest.run(Map.of("SPIE_CONFIG_DIR", config.toString()), "pki", "init",
                dir.toString(), "--CAF_ID=caf-51");

        assertThat(init.exitCode()).as(init.err()).isZero();
        PkiLayout files = new PkiLayout(dir);
        assertThat(files.clientKeystore("caf-51")).isRegularFile();
        assertThat(files.clientKeystore("cd-51")).isRegularFile();
        assertThat(files.dir().resolve("clients")).isDirectoryNotContaining("glob:**$*");
    }

    /** An id whose variable is not set cannot name a certificate: said, nothing written. */
    @Test
    void initRefusesAnIdWhoseVariableIsNotSet() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("partners.yaml"), """
                partners:
                  - id: "${CAF_ID}"
                    kind: caf
                    name: CAF
                """);
        Files.writeString(config.resolve("routes.yaml"), "routes: []\n");
        Path dir = tmp.resolve("pki");

        SpieCliTest.Run init = SpieCliTest.run("pki", "init", dir.toString(), "--config", config.toString());

        assertThat(init.exitCode()).isEqualTo(1);
        assertThat(init.err()).contains("CAF_ID");
        assertThat(dir.resolve("ca.pem")).doesNotExist();
    }

    @Test
    void helpDescribesTheFiles() {
        SpieCliTest.Run help = SpieCliTest.run("pki", "init", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("ca.pem", "crl.pem", "truststore.p12", "clients/<id>.p12", "--force",
                "--validity");
        assertThat(SpieCliTest.run("pki", "revoke", "--help").out()).contains("<partnerId|serial>", "CRL");
    }
}
