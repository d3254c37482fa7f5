package fr.spie.gateway.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fr.spie.gateway.config.ConfigProblem;
import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.config.TransportSettings;
import fr.spie.gateway.delivery.DeliveryTask;
import fr.spie.gateway.delivery.HttpDeliverer;
import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.outbound.SpieJsonHttpTransport;
import fr.spie.gateway.store.StoredExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6, point 4: HMAC-SHA256 webhook signatures, inbound verification and outbound signing. */
class WebhookSignatureTest {
    // vectors computed with: printf %s '<body>' | openssl dgst -sha256 -hmac '<secret>'
    static final String RDVI_BODY = "{\"event\":\"rdv.created\",\"id\":42}";
    static final String RDVI_SECRET = "rdvi-test-secret-0123456789";
    static final String RDVI_SIG = "6ccdc596c33294441adec2a52ff4e6ad4fe456fce63b5a92a50e59e236d76359";
    static final String LAPIN_BODY = "{\"nom\":\"Évelyne\"}";
    static final String LAPIN_SECRET = "lapin-secret-abcdefghij";
    static final String LAPIN_SIG = "77db6130de777b545936e9f5785cef31d540f8e163b30a9a3afdee4944f88f7e";

    @TempDir
    Path dir;
    WireMockServer recipient;

    @AfterEach
    void stop() {
        if (recipient != null) {
            recipient.stop();
        }
    }

    @Test
    void knownVectors() {
        assertThat(WebhookSignature.sign(RDVI_SECRET, bytes(RDVI_BODY))).isEqualTo(RDVI_SIG);
        assertThat(WebhookSignature.sign(LAPIN_SECRET, bytes(LAPIN_BODY))).isEqualTo(LAPIN_SIG);
        assertThat(WebhookSignature.sign("secret", bytes("hello")))
                .isEqualTo("88aab3ede8d3adf94d26ab90d3bafd4a2083070c3bcce9c014ee04a443847c0b");
        assertThat(WebhookSignature.sign("key", new byte[0]))
                .isEqualTo("5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0");
    }

    @Test
    void verifyAcceptsTheSignatureOfTheExactBytesOnly() {
        assertThat(WebhookSignature.verify(RDVI_SECRET, bytes(RDVI_BODY), RDVI_SIG)).isTrue();
        assertThat(WebhookSignature.verify(RDVI_SECRET, bytes(RDVI_BODY), RDVI_SIG.toUpperCase())).isTrue();
        assertThat(WebhookSignature.verify(RDVI_SECRET, bytes(RDVI_BODY), "sha256=" + RDVI_SIG)).isTrue();
        // one byte of the body, the secret or the signature changed
        assertThat(WebhookSignature.verify(RDVI_SECRET, bytes(RDVI_BODY + " "), RDVI_SIG)).isFalse();
        assertThat(WebhookSignature.verify(RDVI_SECRET, bytes(RDVI_BODY.replace("42", "43")), RDVI_SIG)).isFalse();
        assertThat(WebhookSignature.verify(RDVI_SECRET + "x", bytes(RDVI_BODY), RDVI_SIG)).isFalse();
        assertThat(WebhookSignature.verify(RDVI_SECRET, bytes(RDVI_BODY), RDVI_SIG.substring(0, 63) + "0"))
                .isFalse();
        // truncated, empty, not hex, absent
        assertThat(WebhookSignature.verify(RDVI_SECRET, bytes(RDVI_BODY), RDVI_SIG.substring(0, 32))).isFalse();
        assertThat(WebhookSignature.verify(RDVI_SECRET, bytes(RDVI_BODY), "")).isFalse();
        assertThat(WebhookSignature.verify(RDVI_SECRET, bytes(RDVI_BODY), "zz" + RDVI_SIG.substring(2))).isFalse();
        assertThat(WebhookSignature.verify(RDVI_SECRET, bytes(RDVI_BODY), null)).isFalse();
        // the same text in another encoding is other bytes
        assertThat(WebhookSignature.verify(LAPIN_SECRET, LAPIN_BODY.getBytes(StandardCharsets.ISO_8859_1),
                LAPIN_SIG)).isFalse();
        assertThatThrownBy(() -> WebhookSignature.sign("", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSpieJsonTransportSignsTheExactBodyItSends() throws Exception {
        recipient = GatewayTestSupport.startRecipient();
        recipient.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        Map<String, String> env = new HashMap<>(Map.of("RDVI_SECRET", RDVI_SECRET,
                "URL", recipient.baseUrl() + "/webhooks"));
        write("""
                url: "${URL}"
                signature: {header: X-RDVI-Signature, secret: "${RDVI_SECRET}"}
                """);
        Delivery delivery = load(env);
        assertThat(delivery.transport()).isInstanceOf(TransportSettings.SpieJson.class);
        TransportSettings.Signature signature = ((TransportSettings.SpieJson) delivery.transport()).signature();
        assertThat(signature.header()).isEqualTo("X-RDVI-Signature");
        assertThat(signature.secret()).isEqualTo(RDVI_SECRET);
        assertThat(signature.toString()).doesNotContain(RDVI_SECRET);

        String envelope = "{\"exchangeId\":\"x\",\"subject\":{\"birthName\":\"ÉLODIE\"},\"n\":1.50}";
        new SpieJsonHttpTransport(delivery, new HttpDeliverer()).deliver(task(envelope), envelope);

        List<LoggedRequest> requests = recipient.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        byte[] received = requests.get(0).getBody();
        assertThat(received).isEqualTo(envelope.getBytes(StandardCharsets.UTF_8));
        String header = requests.get(0).getHeader("X-RDVI-Signature");
        assertThat(header).matches("[0-9a-f]{64}");
        assertThat(WebhookSignature.verify(RDVI_SECRET, received, header)).isTrue();
        assertThat(header).isEqualTo(WebhookSignature.sign(RDVI_SECRET, received));
    }

    @Test
    void withoutSignatureNothingIsAdded() throws Exception {
        recipient = GatewayTestSupport.startRecipient();
        recipient.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        Delivery delivery = new Delivery(URI.create(recipient.baseUrl() + "/r"), Duration.ofSeconds(1),
                Duration.ofSeconds(5), 1, Duration.ofMillis(10), 2, Duration.ofMillis(100), 0);
        new SpieJsonHttpTransport(delivery, new HttpDeliverer()).deliver(task("{}"), "{}");
        LoggedRequest request = recipient.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(anyUrl())).get(0);
        assertThat(request.getHeaders().keys()).noneMatch(k -> k.toLowerCase().contains("signature"));
    }

    @Test
    void signatureConfigProblemsAreReported() throws Exception {
        write("""
                url: https://rdvi.example.fr/hooks
                signature: {header: "X RDVI", secret: short}
                """);
        assertThat(problems(Map.of())).anySatisfy(p -> assertThat(p).contains("signature").contains("header"))
                .anySatisfy(p -> assertThat(p).contains("secret"));
        write("""
                url: https://rdvi.example.fr/hooks
                signature: {header: X-RDVI-Signature}
                """);
        assertThat(problems(Map.of())).anySatisfy(p -> assertThat(p).contains("secret"));
        write("""
                url: https://rdvi.example.fr/hooks
                signature: {header: X-RDVI-Signature, secret: "${MISSING_SECRET}"}
                """);
        assertThat(problems(Map.of())).anySatisfy(p -> assertThat(p).contains("MISSING_SECRET"));
    }

    private void write(String delivery) throws IOException {
        String partners = """
                partners:
                  - id: caf-51
                    kind: caf
                    name: CAF de la Marne
                  - id: ft-51
                    kind: france-travail
                    name: France Travail Marne
                    delivery:
                """ + delivery.indent(6);
        Files.writeString(dir.resolve("partners.yaml"), partners, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("routes.yaml"), """
                routes:
                  - id: to-ft
                    description: orientations to France Travail
                    recordTypes: [orientation]
                    from: caf-51
                    to: [ft-51]
                    purpose: rsa-orientation
                    legalBasis: {type: legal-obligation, reference: CASF art. L262-40}
                """, StandardCharsets.UTF_8);
    }

    private Delivery load(Map<String, String> env) throws InvalidConfigException {
        return new GatewayConfigLoader(RecordTypes.V1, env::get).load(dir).partner("ft-51").orElseThrow().delivery();
    }

    private List<String> problems(Map<String, String> env) {
        try {
            load(env);
            throw new AssertionError("expected the configuration to be invalid");
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    private static DeliveryTask task(String envelope) {
        StoredExchange exchange = new StoredExchange(UUID.randomUUID(), "caf-51", "orientation", "1.0",
                "rsa-orientation", "legal-obligation", "0".repeat(64), "0".repeat(64), null, "v", Instant.now());
        return new DeliveryTask(exchange, "ft-51", "to-ft", 1, envelope);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
