package fr.spie.gateway.config;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Which TLS client certificate is a partner's ({@code partners[].auth.certificate}). The TLS connector has already
 * verified the certificate (chain to a trusted CA, validity dates, CRL); this says whose it is. Every given element
 * must match.
 *
 * @param subject subject distinguished name, or null (then {@code sha256} is required)
 * @param issuer  distinguished name of the issuing CA, or null (any CA of the trust store)
 * @param sha256  lowercase hex SHA-256 fingerprints of the DER certificate, one of which must match; empty: any
 */
public record ClientCertificate(X500Principal subject, X500Principal issuer, Set<String> sha256) {
    public ClientCertificate {
        sha256 = Set.copyOf(sha256);
    }

    public boolean matches(X509Certificate certificate) {
        return (subject == null || subject.equals(certificate.getSubjectX500Principal()))
                && (issuer == null || issuer.equals(certificate.getIssuerX500Principal()))
                && (sha256.isEmpty() || sha256.contains(fingerprint(certificate)));
    }

    /** Lowercase hex SHA-256 of the DER encoding (what {@code openssl x509 -fingerprint -sha256} prints, in hex). */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
