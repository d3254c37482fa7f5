package fr.spie.gateway.tls;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The HTTPS connector of the partner API with TLS client-certificate authentication (prefix {@code spie.tls}),
 * documented in config/README.md and docs/security.md ("Mutual TLS").
 *
 * @param enabled            whether the HTTPS connector runs (beside the plain HTTP port {@code server.port})
 * @param port               its port; 0 picks a free one
 * @param keystore           PKCS#12 file with the gateway's server key and certificate chain
 * @param keystorePassword   its password
 * @param truststore         PKCS#12 file with the CA certificates client certificates must chain to
 * @param truststorePassword its password
 * @param crl                PEM or DER file of the CRL(s) of those CAs; revocation is checked against it (required)
 * @param reloadInterval     how often the CRL, trust store and key store files are checked for changes
 */
@ConfigurationProperties("spie.tls")
public record TlsSettings(boolean enabled, int port, Path keystore, String keystorePassword, Path truststore,
                          String truststorePassword, Path crl, Duration reloadInterval) {
    public TlsSettings {
        reloadInterval = reloadInterval == null ? Duration.ofSeconds(10) : reloadInterval;
        keystorePassword = keystorePassword == null ? "" : keystorePassword;
        truststorePassword = truststorePassword == null ? "" : truststorePassword;
    }
}
