package fr.spie.gateway.ledger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The gateway's Ed25519 ledger signing key and its self-signed certificate, kept in a PKCS#12
 * keystore (Bouncy Castle PKCS12 implementation).
 *
 * <p>{@link #loadOrGenerate} loads the entry {@code alias}; if the file does not exist and
 * generation is allowed it creates an Ed25519 key pair and a self-signed X.509 certificate
 * ({@value #SUBJECT}, valid 10 years) and writes the keystore atomically (temporary file in the
 * same directory, fsync, atomic rename). The public side is exported as PEM for the offline
 * verifier, which reads it back with {@link #readPublicKeyPem}.
 */
public final class GatewayKeys {

    /** Subject (and issuer) of generated certificates. */
    public static final String SUBJECT = "CN=SPIE Gateway ledger";

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final PublicKey publicKey;

    private GatewayKeys(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.publicKey = toBcPublicKey(certificate.getPublicKey());
    }

    /**
     * Loads {@code alias} from the PKCS#12 file, or generates and stores a new key when the file is
     * missing and {@code generateIfMissing} is true.
     *
     * @throws IllegalStateException if the file is missing and generation is not allowed, or the
     *                               alias does not hold an Ed25519 private key with a certificate
     */
    public static GatewayKeys loadOrGenerate(Path keystore, char[] password, String alias,
            boolean generateIfMissing) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(alias, "alias");
        if (Files.exists(keystore)) {
            return load(keystore, password, alias);
        }
        if (!generateIfMissing) {
            throw new IllegalStateException("ledger keystore not found: " + keystore);
        }
        GatewayKeys keys = generate();
        keys.writePkcs12(keystore, password, alias);
        return keys;
    }

    /** Generates a fresh key pair and self-signed certificate, in memory only. */
    public static GatewayKeys generate() {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("Ed25519", TreeHeadSigner.BC);
            KeyPair pair = kpg.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name(SUBJECT);
            BigInteger serial = new BigInteger(64, new SecureRandom()).setBit(0);
            Date notAfter = Date.from(now.atOffset(ZoneOffset.UTC).plusYears(10).toInstant());
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minusSeconds(60)), notAfter, name, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("Ed25519").setProvider(TreeHeadSigner.BC).build(pair.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().setProvider(TreeHeadSigner.BC)
                    .getCertificate(holder);
            return new GatewayKeys(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate ledger key", e);
        }
    }

    private static GatewayKeys load(Path keystore, char[] password, String alias) {
        try (var in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12", TreeHeadSigner.BC);
            ks.load(in, password);
            if (!(ks.getKey(alias, password) instanceof PrivateKey key)) {
                throw new IllegalStateException("no private key '" + alias + "' in " + keystore);
            }
            if (!(ks.getCertificate(alias) instanceof X509Certificate cert)) {
                throw new IllegalStateException("no certificate for '" + alias + "' in " + keystore);
            }
            PrivateKey bcKey = KeyFactory.getInstance("Ed25519", TreeHeadSigner.BC)
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
            return new GatewayKeys(bcKey, cert);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ledger keystore " + keystore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load ledger key '" + alias + "' from " + keystore, e);
        }
    }

    /** Writes a PKCS#12 keystore holding this key and certificate, atomically. */
    public void writePkcs12(Path keystore, char[] password, String alias) {
        Path target = keystore.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            KeyStore ks = KeyStore.getInstance("PKCS12", TreeHeadSigner.BC);
            ks.load(null, null);
            ks.setKeyEntry(alias, privateKey, password, new Certificate[] {certificate});
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(ch)) {
                ks.store(out, password);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ledger keystore " + keystore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write ledger keystore " + keystore, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort cleanup
                }
            }
        }
    }

    /** The Ed25519 signing key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The Ed25519 public key. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The self-signed certificate of {@link #publicKey()}. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** {@link KeyIds#keyId} of the public key. */
    public String keyId() {
        return KeyIds.keyId(publicKey);
    }

    /** The public key as a PEM "PUBLIC KEY" block (SubjectPublicKeyInfo). */
    public String publicKeyPem() {
        return toPem(publicKey);
    }

    /** The certificate as a PEM "CERTIFICATE" block. */
    public String certificatePem() {
        return toPem(certificate);
    }

    private static String toPem(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /** Reads a PEM public key ("PUBLIC KEY") or the public key of a PEM "CERTIFICATE". */
    public static PublicKey readPublicKeyPem(String pem) {
        return readPublicKeyPem(new StringReader(pem));
    }

    /** Reads a PEM public key ("PUBLIC KEY") or the public key of a PEM "CERTIFICATE". */
    public static PublicKey readPublicKeyPem(Reader pem) {
        try (PEMParser parser = new PEMParser(pem)) {
            Object o = parser.readObject();
            SubjectPublicKeyInfo spki;
            if (o instanceof SubjectPublicKeyInfo info) {
                spki = info;
            } else if (o instanceof X509CertificateHolder holder) {
                spki = holder.getSubjectPublicKeyInfo();
            } else {
                // said in words: "empty" (any file without a PEM block) or a Bouncy Castle class name meant nothing
                throw new IllegalArgumentException(o == null
                        ? "not a PEM public key or certificate (no -----BEGIN PUBLIC KEY----- or -----BEGIN "
                        + "CERTIFICATE----- block)"
                        : o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo
                        || o instanceof org.bouncycastle.openssl.PEMKeyPair
                        || o instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo
                        ? "a private key, not a public key or certificate (never hand a private key around)"
                        : "a PEM block that is not a public key or certificate");
            }
            return new JcaPEMKeyConverter().setProvider(TreeHeadSigner.BC).getPublicKey(spki);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable PEM", e);
        }
    }

    private static PublicKey toBcPublicKey(PublicKey key) {
        try {
            return KeyFactory.getInstance("Ed25519", TreeHeadSigner.BC)
                    .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ledger key is not Ed25519: " + key.getAlgorithm(), e);
        }
    }
}
