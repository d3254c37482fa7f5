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
    /** Stamps of the files the TLS context in use was built from. */
    private List<Object> loaded;
    /** Stamps of the files and reason of the last failed reload that was logged. */
    private List<Object> reportedFailure;

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
        this.loaded = stamps();
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
     * Rebuilds the connector's TLS context when the CRL, trust store or key store file differs from the ones the
     * context in use was built from: new handshakes then use the new files (established connections keep theirs).
     * When the rebuild fails (a file caught half-written, unreadable, a store that does not open), the context in use
     * stays, the failure is logged once (once per distinct set of files and reason), and the next call tries again.
     *
     * @return whether it reloaded
     */
    public synchronized boolean reloadIfChanged() {
        List<Object> now = stamps();
        if (now.equals(loaded)) {
            return false;
        }
        try {
            ((AbstractHttp11Protocol<?>) connector.getProtocolHandler()).reloadSslHostConfigs();
        } catch (RuntimeException e) {
            reportFailure(now, reason(e));
            return false;
        }
        loaded = now;
        reportedFailure = null;
        log.info("TLS connector reloaded its CRL, trust store and key store");
        return true;
    }

    private void reportFailure(List<Object> files, String reason) {
        List<Object> failure = List.of(files, reason);
        if (failure.equals(reportedFailure)) {
            log.debug("TLS connector: reload failed again ({})", reason);
            return;
        }
        reportedFailure = failure;
        log.error("TLS connector: cannot reload the CRL, trust store or key store ({}); the previous ones stay in "
                + "use and the reload is tried again at every check", reason);
    }

    /** The exception and its causes, e.g. "Error creating SSLContext: IOException: keystore password was incorrect". */
    private static String reason(Throwable e) {
        StringBuilder reason = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !reason.toString().endsWith(cause.getMessage())) {
                reason.append(": ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
            }
        }
        return reason.toString();
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
