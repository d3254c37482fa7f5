package fr.spie.gateway.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development certificate authority (Bouncy Castle): an ECDSA P-256 CA that issues the gateway's server certificate,
 * partner client certificates, and signs its certificate revocation list. For development, tests and the demo; a
 * production deployment uses its own PKI (docs/security.md).
 */
public final class DevCertificateAuthority {
    public static final X500Principal DEFAULT_CA_SUBJECT =
            new X500Principal("CN=SPIE Gateway development CA,O=SPIE Gateway");
    /** Subject of partner client certificates: {@code CN=<partner id>,OU=partners,O=SPIE Gateway}. */
    public static final String CLIENT_SUBJECT_FORMAT = "CN=%s,OU=partners,O=SPIE Gateway";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey key;

    public DevCertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /** A new self-signed CA, valid from now for {@code validity}. */
    public static DevCertificateAuthority create(X500Principal subject, Duration validity) {
        KeyPair pair = newKeyPair();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(pair.getPublic()));
            return new DevCertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot create the CA certificate", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey key() {
        return key;
    }

    /** The gateway's TLS server certificate, for {@code hostNames} (DNS names or IP addresses). */
    public IssuedCertificate issueServer(X500Principal subject, List<String> hostNames, Instant notBefore,
                                         Instant notAfter) {
        GeneralName[] names = hostNames.stream()
                .map(h -> new GeneralName(h.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, h))
                .toArray(GeneralName[]::new);
        return issue(subject, notBefore, notAfter, KeyPurposeId.id_kp_serverAuth,
                KeyUsage.digitalSignature | KeyUsage.keyAgreement, new GeneralNames(names));
    }

    /** A partner's client certificate, subject {@link #CLIENT_SUBJECT_FORMAT}. */
    public IssuedCertificate issueClient(String partnerId, Instant notBefore, Instant notAfter) {
        return issue(clientSubject(partnerId), notBefore, notAfter, KeyPurposeId.id_kp_clientAuth,
                KeyUsage.digitalSignature, null);
    }

    public static X500Principal clientSubject(String partnerId) {
        return new X500Principal(CLIENT_SUBJECT_FORMAT.formatted(partnerId));
    }

    /**
     * A CRL listing the serials of {@code previous} (if any) plus {@code revoke}, numbered one more than
     * {@code previous}, valid until {@code nextUpdate}.
     */
    public X509CRL crl(X509CRL previous, List<BigInteger> revoke, Instant nextUpdate) {
        Instant now = Instant.now();
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(certificate, Date.from(now));
            builder.setNextUpdate(Date.from(nextUpdate));
            BigInteger number = BigInteger.ONE;
            if (previous != null) {
                if (previous.getRevokedCertificates() != null) {
                    for (X509CRLEntry entry : previous.getRevokedCertificates()) {
                        if (!revoke.contains(entry.getSerialNumber())) {
                            builder.addCRLEntry(entry.getSerialNumber(), entry.getRevocationDate(),
                                    CRLReason.unspecified);
                        }
                    }
                }
                byte[] previousNumber = previous.getExtensionValue(Extension.cRLNumber.getId());
                if (previousNumber != null) {
                    number = CRLNumber.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(previousNumber)
                            .getOctets()).getCRLNumber().add(BigInteger.ONE);
                }
            }
            for (BigInteger serial : revoke) {
                builder.addCRLEntry(serial, Date.from(now), CRLReason.unspecified);
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            return new JcaX509CRLConverter().getCRL(builder.build(signer(key)));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot sign the CRL", e);
        }
    }

    private IssuedCertificate issue(X500Principal subject, Instant notBefore, Instant notAfter, KeyPurposeId purpose,
                                    int keyUsage, GeneralNames subjectAltNames) {
        KeyPair pair = newKeyPair();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(certificate));
            if (subjectAltNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
            return new IssuedCertificate(sign(builder, key), pair.getPrivate(), certificate);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey)));
    }

    private static ContentSigner signer(PrivateKey signingKey) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).setProvider(BC).build(signingKey);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random positive 127-bit serial number (RFC 5280: unique per CA, at most 20 octets). */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
