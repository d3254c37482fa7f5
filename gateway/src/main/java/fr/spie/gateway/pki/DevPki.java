package fr.spie.gateway.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The development PKI of a directory ({@link PkiLayout}): creates it ({@code pki init}) and revokes its certificates
 * ({@code pki revoke}). Shared by the CLI and the demo.
 */
public final class DevPki {
    /** Password of the PKCS#12 files unless another is given: development only. */
    public static final String DEFAULT_PASSWORD = "changeit";
    public static final List<String> SERVER_NAMES = List.of("localhost", "127.0.0.1");

    private final PkiLayout layout;

    public DevPki(Path dir) {
        this.layout = new PkiLayout(dir);
    }

    public PkiLayout layout() {
        return layout;
    }

    public boolean exists() {
        return Files.exists(layout.caCertificate()) || Files.exists(layout.caKey());
    }

    /** Settings of {@link #init}. */
    public record Settings(Duration validity, Duration caValidity, Duration crlValidity, char[] password) {
        public static Settings defaults() {
            return new Settings(Duration.ofDays(365), Duration.ofDays(3650), Duration.ofDays(365),
                    DEFAULT_PASSWORD.toCharArray());
        }
    }

    /**
     * The files {@link #init} would write that exist already: a development CA's, or the key store, trust store and
     * CRL of another CA that {@code spie.tls.*} point at.
     */
    public List<Path> existingFiles(List<String> partnerIds) {
        List<Path> files = new ArrayList<>(List.of(layout.caCertificate(), layout.caKey(), layout.crl(),
                layout.truststore(), layout.serverKeystore(), layout.serverCertificate(), layout.serverKey()));
        for (String partnerId : partnerIds) {
            files.addAll(List.of(layout.clientKeystore(partnerId), layout.clientCertificate(partnerId),
                    layout.clientKey(partnerId)));
        }
        return files.stream().filter(Files::exists).toList();
    }

    /**
     * Creates the CA, its empty CRL, the trust store, the server certificate and one client certificate per partner.
     *
     * @throws IllegalStateException when one of these files exists already and {@code force} is false
     */
    public void init(List<String> partnerIds, Settings settings, boolean force) {
        List<Path> existing = existingFiles(partnerIds);
        if (!existing.isEmpty() && !force) {
            throw new IllegalStateException((exists() ? "a CA already exists in " + layout.dir() + ": "
                    : "PKI files exist already in " + layout.dir() + ": ")
                    + existing.stream().map(f -> layout.dir().relativize(f).toString()).toList()
                    + " (use --force to replace them and every certificate they hold)");
        }
        DevCertificateAuthority ca = DevCertificateAuthority.create(DevCertificateAuthority.DEFAULT_CA_SUBJECT,
                settings.caValidity());
        CertificateFiles.writeKey(layout.caKey(), ca.key());
        CertificateFiles.writeCertificate(layout.caCertificate(), ca.certificate());
        CertificateFiles.writeCrl(layout.crl(), ca.crl(null, List.of(), Instant.now().plus(settings.crlValidity())));
        CertificateFiles.writeTruststore(layout.truststore(), settings.password(), ca.certificate());
        Instant now = Instant.now();
        Instant notBefore = now.minusSeconds(60);
        Instant notAfter = now.plus(settings.validity());
        IssuedCertificate server = ca.issueServer(new X500Principal("CN=localhost,O=SPIE Gateway"), SERVER_NAMES,
                notBefore, notAfter);
        CertificateFiles.writeKeystore(layout.serverKeystore(), server, settings.password());
        CertificateFiles.writeCertificate(layout.serverCertificate(), server.certificate(), ca.certificate());
        CertificateFiles.writeKey(layout.serverKey(), server.key());
        for (String partnerId : partnerIds) {
            writeClient(ca.issueClient(partnerId, notBefore, notAfter), partnerId, settings.password());
        }
    }

    /** Writes a client certificate as {@code clients/<id>.p12}, {@code .pem} and {@code -key.pem}. */
    public void writeClient(IssuedCertificate client, String partnerId, char[] password) {
        CertificateFiles.writeKeystore(layout.clientKeystore(partnerId), client, password);
        CertificateFiles.writeCertificate(layout.clientCertificate(partnerId), client.certificate());
        CertificateFiles.writeKey(layout.clientKey(partnerId), client.key());
    }

    /** The CA of this directory, read from its files. */
    public DevCertificateAuthority ca() {
        return new DevCertificateAuthority(CertificateFiles.readCertificate(layout.caCertificate()),
                CertificateFiles.readKey(layout.caKey()));
    }

    /**
     * Adds a certificate to the CRL and re-signs it, valid for {@code crlValidity}.
     *
     * @param partnerOrSerial a partner id (its {@code clients/<id>.pem} is revoked) or a serial number in hex
     *                        ({@code 0x...} or with colons, as openssl prints it) or decimal
     * @return the revoked serial
     */
    public BigInteger revoke(String partnerOrSerial, Duration crlValidity) {
        BigInteger serial = serialOf(partnerOrSerial);
        DevCertificateAuthority ca = ca();
        X509CRL previous = Files.exists(layout.crl()) ? CertificateFiles.readCrl(layout.crl()) : null;
        CertificateFiles.writeCrl(layout.crl(), ca.crl(previous, List.of(serial), Instant.now().plus(crlValidity)));
        return serial;
    }

    private BigInteger serialOf(String partnerOrSerial) {
        Path client = layout.clientCertificate(partnerOrSerial);
        if (partnerOrSerial.matches("[a-z0-9]+(-[a-z0-9]+)*") && Files.exists(client)) {
            return CertificateFiles.readCertificate(client).getSerialNumber();
        }
        String s = partnerOrSerial.replace(":", "");
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return new BigInteger(s.substring(2), 16);
            }
            return partnerOrSerial.contains(":") || !s.matches("\\d+") ? new BigInteger(s, 16) : new BigInteger(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + partnerOrSerial + "' is neither a partner with a certificate in "
                    + client.getParent() + " nor a serial number");
        }
    }

    /** The partner ids as {@code <configDir>/partners.yaml} writes them (placeholders not resolved, not checked). */
    public static List<String> writtenPartnerIds(Path configDir) {
        Path file = configDir.resolve("partners.yaml");
        try {
            List<String> ids = new ArrayList<>();
            for (JsonNode partner : YAMLMapper.builder().build().readTree(Files.readString(file)).path("partners")) {
                ids.add(partner.path("id").asString(""));
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The partner ids declared in {@code <configDir>/partners.yaml} (read without resolving placeholders). */
    public static List<String> partnerIds(Path configDir) {
        Path file = configDir.resolve("partners.yaml");
        try {
            JsonNode root = YAMLMapper.builder().build().readTree(Files.readString(file));
            List<String> ids = new ArrayList<>();
            for (JsonNode partner : root.path("partners")) {
                String id = partner.path("id").asString("");
                if (!id.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                    throw new IllegalArgumentException(file + ": partner id '" + id + "' is not lowercase kebab-case");
                }
                ids.add(id);
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Whether {@code certificate} was issued and signed by {@code ca}. */
    public static boolean issuedBy(X509Certificate certificate, X509Certificate ca) {
        try {
            certificate.verify(ca.getPublicKey());
            return certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }
}
