package fr.spie.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.pki.CertificateFiles;
import fr.spie.gateway.pki.ClientTls;
import fr.spie.gateway.pki.DevPki;
import fr.spie.gateway.pki.IssuedCertificate;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.security.auth.x500.X500Principal;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The connector's reload of its key store, trust store and CRL, on a real Tomcat HTTPS connector: what a failed
 * reload leaves in use, and that the next check tries again. Which server certificate a handshake gets tells which
 * TLS context is in use.
 */
@ExtendWith(OutputCaptureExtension.class)
class MutualTlsConnectorReloadTest {
    private static final String PASSWORD = DevPki.DEFAULT_PASSWORD;
    private static final String RELOAD_FAILED = "TLS connector: cannot reload";

    @TempDir
    Path dir;
    private DevPki pki;
    private MutualTlsConnector connector;
    private Tomcat tomcat;
    private TlsReloader reloader;

    @BeforeEach
    void start() throws Exception {
        pki = new DevPki(dir.resolve("pki"));
        pki.init(List.of(), DevPki.Settings.defaults(), false);
        var files = pki.layout();
        connector = new MutualTlsConnector(new TlsSettings(true, 0, files.serverKeystore(), PASSWORD,
                files.truststore(), PASSWORD, files.crl(), Duration.ofSeconds(10)));
        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.resolve("tomcat").toString());
        tomcat.setConnector(connector.connector());
        tomcat.getHost();
        tomcat.start();
        // checked by the test, not by its schedule
        reloader = new TlsReloader(connector, Duration.ofHours(1));
    }

    @AfterEach
    void stop() throws Exception {
        reloader.close();
        tomcat.stop();
        tomcat.destroy();
    }

    /**
     * A reload can fail for a reason the files' stamps do not show: the store read while it was being rewritten
     * with the same bytes, a passing I/O error. Simulated here by the connector's key store password being wrong
     * during one check: the next check, with the files unchanged since, must still load the new key store.
     */
    @Test
    void aReloadThatFailedIsTriedAgainAtTheNextCheckEvenIfNoFileChangedSince(CapturedOutput output) throws Exception {
        BigInteger first = serverCertificate().getSerialNumber();
        BigInteger renewed = renewServerCertificate();
        SSLHostConfigCertificate certificate = connector.connector().findSslHostConfigs()[0].getCertificates()
                .iterator().next();

        certificate.setCertificateKeystorePassword("not-the-password");
        assertThat(reloader.check()).isFalse();
        assertThat(serverCertificate().getSerialNumber()).as("the previous context stays in use").isEqualTo(first);
        assertThat(output.getAll()).contains(RELOAD_FAILED);

        certificate.setCertificateKeystorePassword(PASSWORD);
        assertThat(reloader.check()).as("the next check reloads").isTrue();
        assertThat(serverCertificate().getSerialNumber()).isEqualTo(renewed);
        assertThat(reloader.check()).as("then nothing is left to reload").isFalse();
    }

    /** A broken file is reported once, not at every check, and the file once repaired is loaded. */
    @Test
    void aBrokenFileIsReportedOnceWhileTheCurrentContextStaysInUse(CapturedOutput output) throws Exception {
        BigInteger first = serverCertificate().getSerialNumber();
        Path crl = pki.layout().crl();
        byte[] good = Files.readAllBytes(crl);
        Files.writeString(crl, "-----BEGIN X509 CRL-----\nhalf-writ", StandardCharsets.US_ASCII);
        for (int check = 0; check < 3; check++) {
            assertThat(reloader.check()).isFalse();
        }
        assertThat(serverCertificate().getSerialNumber()).isEqualTo(first);
        assertThat(output.getAll().split(RELOAD_FAILED, -1)).as("one error line for one broken file").hasSize(2);
        assertThat(output.getAll()).as("the line says why").contains("CRLException");

        Files.write(crl, good);
        assertThat(reloader.check()).isTrue();
        assertThat(serverCertificate().getSerialNumber()).isEqualTo(first);
        assertThat(output.getAll()).contains("TLS connector reloaded");
    }

    /** Writes a new server certificate into the key store file, as an operator renewing it would. */
    private BigInteger renewServerCertificate() {
        IssuedCertificate server = pki.ca().issueServer(new X500Principal("CN=localhost,O=SPIE Gateway"),
                DevPki.SERVER_NAMES, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)));
        CertificateFiles.writeKeystore(pki.layout().serverKeystore(), server, PASSWORD.toCharArray());
        return server.certificate().getSerialNumber();
    }

    /** The certificate the connector presents to a new handshake. */
    private X509Certificate serverCertificate() throws IOException {
        var tls = ClientTls.context(null, null, pki.layout().truststore(), PASSWORD.toCharArray());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", connector.port())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
