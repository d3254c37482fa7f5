package fr.spie.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tomcat HTTPS connector of the partner API. Client certificates are requested but optional
 * ({@code certificateVerification=optional}), so token partners can use it too. A certificate that is presented is
 * verified by the JDK's PKIX trust manager: chain to a CA of the trust store, validity dates, and revocation against
 * the CRL file (revocation checking on). A certificate that fails any of these fails the TLS handshake.
 */
public final class MutualTlsConnector {
    private static final Logger log = LoggerFactory.getLogger(MutualTlsConnector.class);

    private final TlsSettings settings;
    private final Connector connector;
    private volatile List<Object> stamps;

    public MutualTlsConnector(TlsSettings settings) {
        this.settings = settings;
        for (Path file : List.of(settings.keystore(), settings.truststore(), settings.crl())) {
            if (file == null || !Files.isRegularFile(file)) {
                throw new IllegalStateException("spie.tls.enabled is true but " + file + " does not exist (spie.tls."
                        + "keystore, truststore and crl): create a development PKI with 'java -jar spie-gateway.jar "
                        + "pki init <dir>' or point these keys at your own (docs/security.md, \"Mutual TLS\")");
            }
        }
        this.connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(settings.port());
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        // the same limits as the plain HTTP connector (application.yml, server.*)
        connector.setProperty("connectionTimeout", "20000");
        connector.setProperty("keepAliveTimeout", "20000");
        connector.setProperty("maxHttpRequestHeaderSize", "8192");
        connector.setProperty("maxSwallowSize", String.valueOf(2 * 1024 * 1024));
        connector.addSslHostConfig(hostConfig(settings));
        this.stamps = stamps();
    }

    private static SSLHostConfig hostConfig(TlsSettings settings) {
        SSLHostConfig host = new SSLHostConfig();
        host.setProtocols("TLSv1.2+TLSv1.3");
        host.setCertificateVerification("optional");
        host.setTruststoreFile(settings.truststore().toAbsolutePath().toString());
        host.setTruststorePassword(settings.truststorePassword());
        host.setTruststoreType("PKCS12");
        host.setCertificateRevocationListFile(settings.crl().toAbsolutePath().toString());
        host.setRevocationEnabled(true);
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host,
                SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateKeystoreFile(settings.keystore().toAbsolutePath().toString());
        certificate.setCertificateKeystorePassword(settings.keystorePassword());
        certificate.setCertificateKeystoreType("PKCS12");
        host.addCertificate(certificate);
        return host;
    }

    public Connector connector() {
        return connector;
    }

    /** The port it listens on (the actual one when {@code spie.tls.port} is 0), -1 before it has started. */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Rebuilds the connector's TLS context when the CRL, trust store or key store file changed since the last call:
     * new handshakes then use the new files (established connections keep theirs).
     *
     * @return whether it reloaded
     */
    public boolean reloadIfChanged() {
        List<Object> now = stamps();
        if (now.equals(stamps)) {
            return false;
        }
        stamps = now;
        ((AbstractHttp11Protocol<?>) connector.getProtocolHandler()).reloadSslHostConfigs();
        log.info("TLS connector reloaded its CRL, trust store and key store");
        return true;
    }

    private List<Object> stamps() {
        return java.util.stream.Stream.of(settings.crl(), settings.truststore(), settings.keystore())
                .map(MutualTlsConnector::stamp).toList();
    }

    private static Object stamp(Path file) {
        try {
            return List.of(Files.getLastModifiedTime(file).toMillis(), Files.size(file),
                    java.util.Arrays.hashCode(Files.readAllBytes(file)));
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
