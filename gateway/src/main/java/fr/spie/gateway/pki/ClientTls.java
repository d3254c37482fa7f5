package fr.spie.gateway.pki;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts of clients of the gateway's HTTPS connector, from PKCS#12 files (the demo's partners, tests). */
public final class ClientTls {
    private ClientTls() {
    }

    /**
     * @param clientKeystore the client's PKCS#12 key store, or null for no client certificate
     * @param truststore     PKCS#12 trust store with the CA of the gateway's server certificate
     */
    public static SSLContext context(Path clientKeystore, char[] keystorePassword, Path truststore,
                                     char[] truststorePassword) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(CertificateFiles.readStore(truststore, truststorePassword));
            KeyManagerFactory keys = null;
            if (clientKeystore != null) {
                KeyStore store = CertificateFiles.readStore(clientKeystore, keystorePassword);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, keystorePassword);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a client TLS context: " + e.getMessage(), e);
        }
    }
}
