package fr.spie.gateway.pki;

import java.nio.file.Path;

/**
 * Where {@code pki init} puts its files, relative to the PKI directory:
 * <pre>
 * ca.pem, ca-key.pem           the development CA (self-signed certificate, PKCS#8 key)
 * crl.pem                      the CA's certificate revocation list
 * truststore.p12               the CA certificate, for the gateway's TLS connector
 * server.p12, server.pem,      the gateway's server certificate (SAN localhost, 127.0.0.1) and key
 * server-key.pem
 * clients/&lt;id&gt;.p12, .pem,     one client certificate and key per partner
 * clients/&lt;id&gt;-key.pem
 * </pre>
 */
public record PkiLayout(Path dir) {
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    public Path caKey() {
        return dir.resolve("ca-key.pem");
    }

    public Path crl() {
        return dir.resolve("crl.pem");
    }

    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    public Path serverKeystore() {
        return dir.resolve("server.p12");
    }

    public Path serverCertificate() {
        return dir.resolve("server.pem");
    }

    public Path serverKey() {
        return dir.resolve("server-key.pem");
    }

    public Path clientKeystore(String partnerId) {
        return dir.resolve("clients").resolve(partnerId + ".p12");
    }

    public Path clientCertificate(String partnerId) {
        return dir.resolve("clients").resolve(partnerId + ".pem");
    }

    public Path clientKey(String partnerId) {
        return dir.resolve("clients").resolve(partnerId + "-key.pem");
    }
}
