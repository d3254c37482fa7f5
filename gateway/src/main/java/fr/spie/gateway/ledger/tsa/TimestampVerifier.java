package fr.spie.gateway.ledger.tsa;

import fr.spie.gateway.ledger.TreeHead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Store;

/**
 * Checks an RFC 3161 token over a tree head: the message imprint is SHA-256 of {@link TreeHead#toCanonicalBytes()},
 * the token is signed by the certificate it names (which must carry the critical timeStamping extended key usage
 * and be valid at the token's time, as RFC 3161 requires) and, when one is trusted, that certificate is exactly the
 * trusted TSA certificate. Used by the gateway on every token it receives and by the offline verifier.
 */
public final class TimestampVerifier {
    static final Provider BC = new BouncyCastleProvider();

    private TimestampVerifier() {
    }

    /** SHA-256 of the head's canonical bytes: the imprint the TSA signs. */
    public static byte[] imprint(TreeHead head) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(head.toCanonicalBytes());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Verifies {@code token} (DER) over {@code head}.
     *
     * @param trusted the TSA certificate to require, or null to accept the certificate the token carries
     * @throws TimestampException naming what does not verify
     */
    public static TimestampToken verify(byte[] token, TreeHead head, X509Certificate trusted)
            throws TimestampException {
        TimeStampToken tst;
        try {
            tst = new TimeStampToken(new CMSSignedData(token));
        } catch (CMSException | TSPException | IOException | RuntimeException e) {
            throw new TimestampException("unreadable timestamp token", e);
        }
        return verify(tst, head, trusted);
    }

    static TimestampToken verify(TimeStampToken tst, TreeHead head, X509Certificate trusted)
            throws TimestampException {
        var info = tst.getTimeStampInfo();
        if (!TSPAlgorithms.SHA256.equals(info.getMessageImprintAlgOID())) {
            throw new TimestampException("the token's imprint is not SHA-256 (" + info.getMessageImprintAlgOID() + ")");
        }
        if (!Arrays.equals(info.getMessageImprintDigest(), imprint(head))) {
            throw new TimestampException("the token's message imprint does not match the tree head at size "
                    + head.treeSize());
        }
        X509CertificateHolder cert;
        try {
            @SuppressWarnings("unchecked")
            Store<X509CertificateHolder> store = tst.getCertificates();
            Collection<X509CertificateHolder> matches = store.getMatches(tst.getSID());
            if (!matches.isEmpty()) {
                cert = matches.iterator().next();
                if (trusted != null && !Arrays.equals(cert.getEncoded(), trusted.getEncoded())) {
                    throw new TimestampException("the token is signed by " + cert.getSubject()
                            + ", not by the trusted TSA certificate " + trusted.getSubjectX500Principal());
                }
            } else if (trusted != null) {
                cert = new X509CertificateHolder(trusted.getEncoded());
            } else {
                throw new TimestampException("the token carries no TSA certificate and none is trusted");
            }
        } catch (IOException | java.security.cert.CertificateEncodingException e) {
            throw new TimestampException("unreadable TSA certificate", e);
        }
        try {
            SignerInformationVerifier verifier = new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(cert);
            tst.validate(verifier);
        } catch (TSPException | OperatorCreationException | CertificateException | RuntimeException e) {
            throw new TimestampException("the token's signature does not verify", e);
        }
        String tsa = info.getTsa() != null ? info.getTsa().getName().toString() : cert.getSubject().toString();
        return new TimestampToken(encoded(tst), info.getGenTime().toInstant(), tsa, info.getSerialNumber().toString(16));
    }

    private static byte[] encoded(TimeStampToken tst) throws TimestampException {
        try {
            return tst.getEncoded();
        } catch (IOException e) {
            throw new TimestampException("cannot encode the token", e);
        }
    }

    /** Reads a PEM (or DER) X.509 certificate. */
    public static X509Certificate readCertificate(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a certificate file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            // the JDK's text ("Unable to initialize, java.io.IOException: Too short") says nothing to an operator
            throw new IOException("not an X.509 certificate (PEM or DER): " + file + ": give the TSA's certificate, "
                    + "as the TSA publishes it", e);
        }
    }
}
