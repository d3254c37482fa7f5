package fr.spie.gateway.it;

import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.cli.SpieCli;
import fr.spie.gateway.pki.CertificateFiles;
import fr.spie.gateway.pki.ClientTls;
import fr.spie.gateway.pki.DevCertificateAuthority;
import fr.spie.gateway.pki.DevPki;
import fr.spie.gateway.pki.IssuedCertificate;
import fr.spie.gateway.tls.MutualTlsConnector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The partner API over mutual TLS, with real handshakes on loopback: a gateway of its own (own data dir) whose PKI
 * is made by {@code pki init}, partners authenticated by their client certificates, expired, revoked and unknown-CA
 * certificates refused during the handshake, tokens still working for the partners configured for them.
 */
class MutualTlsTest {
    private static final String CONFIG = "src/test/resources/mtls-config";
    private static final char[] PASSWORD = DevPki.DEFAULT_PASSWORD.toCharArray();

    private static final WireMockServer recipients = GatewayTestSupport.startRecipient();
    private static Path data;
    private static DevPki pki;
    private static ConfigurableApplicationContext gateway;
    private static int httpPort;
    private static int tlsPort;

    @BeforeAll
    static void start() {
        data = GatewayTestSupport.tempDataDir();
        pki = new DevPki(data.resolve("pki"));
        assertThat(SpieCli.execute("pki", "init", pki.layout().dir().toString(), "--config", CONFIG,
                "--validity", "2d")).isZero();
        String url = recipients.baseUrl() + "/spie";
        gateway = new SpringApplicationBuilder(SpieGatewayMain.class).run("--server.port=0",
                "--spie.data-dir=" + data, "--spie.config-dir=" + CONFIG,
                "--spie.tls.enabled=true", "--spie.tls.port=0", "--spie.tls.reload-interval=200ms",
                "--TEST_URL_CD_51=" + url, "--TEST_URL_FT_51=" + url, "--TEST_URL_ML_REIMS=" + url);
        httpPort = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
        tlsPort = gateway.getBean(MutualTlsConnector.class).port();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        recipients.stop();
    }

    @Test
    void pkiInitWritesACaAServerCertificateAClientCertificatePerPartnerAndAnEmptyCrl() throws Exception {
        var files = pki.layout();
        var ca = CertificateFiles.readCertificate(files.caCertificate());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        ca.verify(ca.getPublicKey());
        assertThat(CertificateFiles.readKey(files.caKey()).getAlgorithm()).isEqualTo("EC");

        var server = (java.security.cert.X509Certificate) CertificateFiles.readStore(files.serverKeystore(), PASSWORD)
                .getCertificate(CertificateFiles.ALIAS);
        server.verify(ca.getPublicKey());
        assertThat(server.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .containsExactlyInAnyOrder("localhost", "127.0.0.1");
        assertThat(CertificateFiles.readCertificate(files.serverCertificate())).isEqualTo(server);

        for (String partner : DevPki.partnerIds(Path.of(CONFIG))) {
            var store = CertificateFiles.readStore(files.clientKeystore(partner), PASSWORD);
            var client = (java.security.cert.X509Certificate) store.getCertificate(CertificateFiles.ALIAS);
            client.verify(ca.getPublicKey());
            assertThat(client.getSubjectX500Principal()).isEqualTo(DevCertificateAuthority.clientSubject(partner));
            assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
            assertThat(store.getCertificateChain(CertificateFiles.ALIAS)).hasSize(2);
            assertThat(CertificateFiles.readCertificate(files.clientCertificate(partner))).isEqualTo(client);
            assertThat(CertificateFiles.readKey(files.clientKey(partner)))
                    .isEqualTo(store.getKey(CertificateFiles.ALIAS, PASSWORD));
        }
        var crl = CertificateFiles.readCrl(files.crl());
        crl.verify(ca.getPublicKey());
        assertThat(crl.getNextUpdate()).isAfter(java.util.Date.from(Instant.now().plus(300, ChronoUnit.DAYS)));
        assertThat(CertificateFiles.readStore(files.truststore(), PASSWORD).getCertificate("ca-0")).isEqualTo(ca);

        // an existing CA is not replaced without --force
        assertThat(SpieCli.execute("pki", "init", files.dir().toString(), "--config", CONFIG)).isEqualTo(1);
        assertThat(CertificateFiles.readCertificate(files.caCertificate())).isEqualTo(ca);
    }

    @Test
    void aPartnerIsWhoItsClientCertificateSays() {
        HttpClient caf = client(pki.layout().clientKeystore("caf-51"));
        ObjectNode person = example("person.applicant-with-nir");
        HttpResponse<String> accepted = send(caf, submit(person, null));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        String id = person.path("exchangeId").asString();
        HttpResponse<String> status = send(caf, get("/api/v1/exchanges/" + id, null));
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(status.body()).path("source").asString()).isEqualTo("caf-51");
        // cd-51 (a token partner) may not read caf-51's exchange
        assertThat(send(HttpClient.newHttpClient(), plain("/api/v1/exchanges/" + id, token("cd-51"))).statusCode())
                .isIn(403, 404);

        // the certificate is caf-51's: an envelope whose source is another partner is refused
        ObjectNode spoofed = example("orientation.ped-france-travail");
        HttpResponse<String> refused = send(caf, submit(spoofed, null));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));

        // with a certificate, a bearer token of another partner does not change who is calling
        ObjectNode another = example("person.applicant-with-nir");
        assertThat(send(caf, submit(another, token("cd-51"))).statusCode()).isEqualTo(202);
    }

    @Test
    void aPartnerConfiguredForTokensOrBothStillUsesItsToken() {
        HttpClient noCertificate = client(null);
        HttpResponse<String> overTls = send(noCertificate, submit(example("orientation.ped-france-travail"),
                token("cd-51")));
        assertThat(overTls.statusCode()).as(overTls.body()).isEqualTo(202);
        HttpResponse<String> overHttp = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/api/v1/exchanges"))
                .header("Authorization", "Bearer " + token("cd-51")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(
                        example("orientation.ped-france-travail")))).build());
        assertThat(overHttp.statusCode()).isEqualTo(202);

        // ft-51 uses token or mTLS: both work
        assertThat(send(noCertificate, submit(example("jobseeker-situation.registered-renforce"), token("ft-51")))
                .statusCode()).isEqualTo(202);
        assertThat(send(client(pki.layout().clientKeystore("ft-51")),
                submit(example("jobseeker-situation.registered-renforce"), null)).statusCode()).isEqualTo(202);
    }

    @Test
    void theTokenOfAnMtlsOnlyPartnerIsRefused() {
        HttpResponse<String> response = send(client(null), submit(example("person.applicant-with-nir"),
                token("caf-51")));
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("detail").asString()).contains("caf-51", "client certificate only");
    }

    @Test
    void aTrustedCertificateThatIsNoPartnersIsRefusedWith401() {
        // cd-51 uses tokens only: the certificate pki init made for it is nobody's credential
        HttpResponse<String> tokenPartner = send(client(pki.layout().clientKeystore("cd-51")),
                submit(example("orientation.ped-france-travail"), null));
        assertThat(tokenPartner.statusCode()).isEqualTo(401);
        assertThat(tokenPartner.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSON.readTree(tokenPartner.body()).path("detail").asString())
                .contains("CN=cd-51", "no configured partner");

        Path nobody = issue(pki.ca(), "nobody", Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        assertThat(send(client(nobody), get("/api/v1/exchanges/" + java.util.UUID.randomUUID(), null)).statusCode())
                .isEqualTo(401);
    }

    @Test
    void anExpiredCertificateFailsTheHandshake() {
        Path expired = issue(pki.ca(), "caf-51", Instant.now().minus(3, ChronoUnit.DAYS),
                Instant.now().minus(1, ChronoUnit.DAYS));
        assertHandshakeRefused(expired);
    }

    /**
     * The handshake checks the dates once; a TLS session is then resumed on new connections (and a keep-alive
     * connection reused) without a new check. A certificate past its notAfter is no credential on either.
     */
    @Test
    void aCertificateThatExpiresAfterItsHandshakeIsNoLongerACredential() throws Exception {
        Path shortLived = issue(pki.ca(), "caf-51", Instant.now().minusSeconds(60), Instant.now().plusSeconds(4));
        SSLContext tls = ClientTls.context(shortLived, PASSWORD, pki.layout().truststore(), PASSWORD);
        String unknownExchange = "/api/v1/exchanges/" + java.util.UUID.randomUUID();
        HttpClient keptAlive = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(15)).build();
        assertThat(send(keptAlive, get(unknownExchange, null)).statusCode()).isEqualTo(404);

        Thread.sleep(5_000);
        // a new client with the same TLS context resumes the session whose handshake accepted the certificate
        HttpClient resumed = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(15)).build();
        for (HttpClient client : new HttpClient[] {resumed, keptAlive}) {
            HttpResponse<String> refused = send(client, get(unknownExchange, null));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(JSON.readTree(refused.body()).path("detail").asString()).contains("CN=caf-51", "expired");
        }
    }

    @Test
    void aCertificateOfAnUnknownCaFailsTheHandshake() {
        DevCertificateAuthority other = DevCertificateAuthority.create(
                new X500Principal("CN=SPIE Gateway development CA,O=SPIE Gateway"), Duration.ofDays(1));
        // same subject as caf-51's, same CA name, different key: not trusted
        Path impostor = issue(other, "caf-51", Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        assertHandshakeRefused(impostor);
    }

    @Test
    void aRevokedCertificateFailsTheHandshakeOnceTheCrlIsReloaded() throws Exception {
        Path keystore = issue(pki.ca(), "caf-51", Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        String unknownExchange = "/api/v1/exchanges/" + java.util.UUID.randomUUID();
        assertThat(send(client(keystore), get(unknownExchange, null)).statusCode()).isEqualTo(404);

        var serial = ((java.security.cert.X509Certificate) CertificateFiles.readStore(keystore, PASSWORD)
                .getCertificate(CertificateFiles.ALIAS)).getSerialNumber();
        assertThat(SpieCli.execute("pki", "revoke", pki.layout().dir().toString(), "0x" + serial.toString(16)))
                .isZero();
        assertThat(CertificateFiles.readCrl(pki.layout().crl()).isRevoked(
                CertificateFiles.readStore(keystore, PASSWORD).getCertificate(CertificateFiles.ALIAS))).isTrue();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertHandshakeRefused(keystore));
        // the partner's own certificate, not revoked, still works
        assertThat(send(client(pki.layout().clientKeystore("caf-51")), get(unknownExchange, null)).statusCode())
                .isEqualTo(404);
    }

    /**
     * What happens: the server's PKIX trust manager rejects the certificate and the server aborts the handshake with a
     * fatal alert; the client sees an SSLException (observed: "SSLHandshakeException: Received fatal alert:
     * certificate_unknown" for the expired, revoked and unknown-CA cases alike) and no HTTP exchange takes place.
     */
    private static void assertHandshakeRefused(Path keystore) {
        HttpRequest request = get("/api/v1/exchanges/" + java.util.UUID.randomUUID(), null);
        assertThatThrownBy(() -> client(keystore).send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof SSLException
                        || String.valueOf(c.getMessage()).contains("reset")));
    }

    private static java.util.List<Throwable> causes(Throwable e) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    /** A client certificate for {@code partnerId} issued by {@code ca}, as a PKCS#12 file. */
    private static Path issue(DevCertificateAuthority ca, String partnerId, Instant notBefore, Instant notAfter) {
        IssuedCertificate issued = ca.issueClient(partnerId, notBefore, notAfter);
        try {
            Path file = Files.createTempFile(data, partnerId, ".p12");
            CertificateFiles.writeKeystore(file, issued, PASSWORD);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A new client (no pooled connection, no TLS session to resume) with that client certificate, or none. */
    private static HttpClient client(Path keystore) {
        SSLContext tls = ClientTls.context(keystore, PASSWORD, pki.layout().truststore(), PASSWORD);
        // the connect timeout includes the TLS handshake: generous, for loaded build machines
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(15)).build();
    }

    private static HttpRequest submit(JsonNode envelope, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + "/api/v1/exchanges"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(envelope)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b.build();
    }

    private static HttpRequest get(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b.build();
    }

    private static HttpRequest plain(String path, String bearer) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + bearer).GET().build();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
