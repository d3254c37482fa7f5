package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fr.spie.gateway.security.WebhookSignature;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 6 points 3 and 4: signed receipts verified against the published certificate with the JDK alone, the
 * delivery signature header verified from the body WireMock received, recipients' acknowledgements in the audit trail
 * and the ledger, and HMAC-signed inbound webhooks.
 */
class ReceiptsAndSignaturesTest extends RunningGatewayTest {
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();

    @Test
    void anAcceptedExchangeIsAnsweredWithAReceiptThatVerifiesAgainstThePublishedCertificate() throws Exception {
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();
        HttpResponse<String> accepted = submit(port, "cd-51", envelope);
        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode body = json(accepted);
        String receipt = body.path("receipt").asString();
        assertThat(accepted.headers().firstValue("SPIE-Receipt")).contains(receipt);

        HttpResponse<String> certResponse = get(port, "/api/v1/gateway/certificate", null);
        assertThat(certResponse.statusCode()).isEqualTo(200);
        X509Certificate cert = certificate(certResponse.body());
        assertThat(jdkVerify(receipt, cert.getPublicKey())).isTrue();

        JsonNode header = part(receipt, 0);
        assertThat(header.path("alg").asString()).isEqualTo("EdDSA");
        assertThat(header.path("kid").asString()).isEqualTo(certResponse.headers().firstValue("SPIE-Key-Id")
                .orElseThrow());
        assertThat(header.path("x5t#S256").asString()).isEqualTo(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));

        JsonNode claims = part(receipt, 1);
        assertThat(claims.path("exchangeId").asString()).isEqualTo(id);
        assertThat(claims.path("source").asString()).isEqualTo("cd-51");
        assertThat(claims.path("payloadDigest").asString()).matches("[0-9a-f]{64}");
        // the ledger writer was woken and the answer waited for the index (spie.receipts.ledger-wait, 1 s)
        assertThat(body.path("receiptLedgered").asBoolean()).isTrue();
        JsonNode received = auditEvents(id, "RECEIVED").get(0);
        assertThat(claims.path("auditSeq").asLong()).isEqualTo(received.path("sequence").asLong());
        assertThat(claims.path("ledgerIndex").asLong()).isEqualTo(received.path("ledgerIndex").asLong());
        assertThat(claims.path("payloadDigest").asString()).isEqualTo(received.path("payloadDigest").asString());

        // tampered: one claim changed, signature kept
        String[] parts = receipt.split("\\.");
        ((ObjectNode) claims).put("ledgerIndex", claims.path("ledgerIndex").asLong() + 1);
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(JSON.writeValueAsBytes(claims)) + "." + parts[2];
        assertThat(jdkVerify(forged, cert.getPublicKey())).isFalse();

        // the same submission again: the same receipt; and at the receipt endpoint, for the sender and an admin only
        HttpResponse<String> replay = submit(port, "cd-51", envelope);
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(json(replay).path("receipt").asString()).isEqualTo(receipt);
        HttpResponse<String> fetched = get(port, "/api/v1/exchanges/" + id + "/receipt", token("cd-51"));
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(json(fetched).path("receipt").asString()).isEqualTo(receipt);
        assertThat(get(port, "/api/v1/exchanges/" + id + "/receipt", token("admin")).statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/v1/exchanges/" + id + "/receipt", token("caf-51")).statusCode()).isEqualTo(404);

        HttpResponse<String> jwks = get(port, "/api/v1/gateway/jwks", null);
        assertThat(json(jwks).path("keys").get(0).path("kid").asString()).isEqualTo(header.path("kid").asString());
    }

    @Test
    void everyDeliveryCarriesASignatureOfItsBodyAndTheRecipientAcknowledgesIt() throws Exception {
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()),
                Duration.ofSeconds(20));

        List<LoggedRequest> requests = FT_51.findAll(postRequestedFor(urlEqualTo("/spie/records")));
        LoggedRequest sent = requests.stream().filter(r -> id.equals(r.getHeader("X-Spie-Exchange-Id")))
                .findFirst().orElseThrow();
        byte[] sentBody = sent.getBody();
        String signature = sent.getHeader("SPIE-Signature");
        assertThat(signature).contains("..");
        X509Certificate cert = certificate(get(port, "/api/v1/gateway/certificate", null).body());
        String[] parts = signature.split("\\.", -1);
        String attached = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sentBody) + "."
                + parts[2];
        assertThat(jdkVerify(attached, cert.getPublicKey())).isTrue();
        JsonNode header = part(signature, 0);
        assertThat(header.path("exchangeId").asString()).isEqualTo(id);
        assertThat(header.path("recipient").asString()).isEqualTo("ft-51");
        byte[] altered = (new String(sentBody, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        assertThat(jdkVerify(parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(altered) + "."
                + parts[2], cert.getPublicKey())).isFalse();

        String ackPath = "/api/v1/exchanges/" + id + "/acknowledgements";
        // not a recipient of this exchange
        HttpResponse<String> stranger = post(port, ackPath, token("caf-51"), "application/json", new byte[0]);
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(stranger.body()).contains("not-a-recipient");
        // nor is its sender; an id no exchange has is a 404 (docs/security.md: why this one says 403)
        HttpResponse<String> sender = post(port, ackPath, token("cd-51"), "application/json", new byte[0]);
        assertThat(sender.statusCode()).isEqualTo(403);
        assertThat(sender.body()).contains("not-a-recipient");
        HttpResponse<String> unknown = post(port, "/api/v1/exchanges/" + UUID.randomUUID() + "/acknowledgements",
                token("ft-51"), "application/json", new byte[0]);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("exchange-not-found");
        // a digest of something else
        HttpResponse<String> wrong = post(port, ackPath, token("ft-51"), "application/json",
                ("{\"receivedDigest\":\"" + "0".repeat(64) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(wrong.statusCode()).isEqualTo(409);
        assertThat(wrong.body()).contains("digest-mismatch");

        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sentBody));
        HttpResponse<String> ack = post(port, ackPath, token("ft-51"), "application/json",
                ("{\"receivedDigest\":\"" + digest + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(201);
        assertThat(json(ack).path("digestChecked").asBoolean()).isTrue();
        HttpResponse<String> again = post(port, ackPath, token("ft-51"), "application/json", new byte[0]);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("acknowledgedAt").asString()).isEqualTo(json(ack).path("acknowledgedAt")
                .asString());

        JsonNode status = GatewayTestSupport.status(port, "cd-51", id);
        assertThat(delivery(status, "ft-51").path("acknowledgedAt").isNull()).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<JsonNode> acks = auditEvents(id, "DELIVERY_ACKNOWLEDGED");
            assertThat(acks).hasSize(1);
            assertThat(acks.get(0).path("actor").asString()).isEqualTo("ft-51");
            assertThat(acks.get(0).path("recipient").asString()).isEqualTo("ft-51");
            assertThat(acks.get(0).path("detail").asString()).contains(digest);
            assertThat(acks.get(0).path("ledgerIndex").isNumber()).as("in the ledger").isTrue();
        });
    }

    @Test
    void inboundWebhooksAreRecordedOnlyWithAValidSignature() {
        byte[] body = ("{\"data\":{\"id\":42,\"status\":\"unknown\"},\"meta\":{\"model\":\"Rdv\",\"event\":\"created\","
                + "\"timestamp\":\"2026-11-29 10:00:00 +0100\"}}").getBytes(StandardCharsets.UTF_8);
        String path = "/api/v1/partners/rdvi-51/webhooks";

        HttpResponse<String> good = webhook(path, body, WebhookSignature.sign(WEBHOOK_SECRET, body));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
        JsonNode answer = json(good);
        assertThat(answer.path("status").asString()).isEqualTo("RECORDED");
        assertThat(answer.path("model").asString()).isEqualTo("Rdv");
        assertThat(answer.path("mapped").asBoolean()).isFalse();
        String digest = answer.path("bodyDigest").asString();

        HttpResponse<String> bad = webhook(path, body, WebhookSignature.sign("another-secret", body));
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(bad.body()).contains("webhook-signature-invalid");
        HttpResponse<String> missing = webhook(path, body, null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).contains("webhook-signature-missing");
        // a body changed after signing
        byte[] changed = new String(body, StandardCharsets.UTF_8).replace("42", "43").getBytes(StandardCharsets.UTF_8);
        assertThat(webhook(path, changed, WebhookSignature.sign(WEBHOOK_SECRET, body)).statusCode()).isEqualTo(401);
        assertThat(webhook("/api/v1/partners/cd-51/webhooks", body, WebhookSignature.sign(WEBHOOK_SECRET, body))
                .statusCode()).isEqualTo(404);

        List<JsonNode> recorded = auditEventsOfType("WEBHOOK_RECEIVED");
        assertThat(recorded).anySatisfy(e -> {
            assertThat(e.path("actor").asString()).isEqualTo("rdvi-51");
            assertThat(e.path("payloadDigest").asString()).isEqualTo(digest);
            assertThat(e.path("detail").asString()).contains("X-RDVI-Signature verified", "Rdv", "created");
        });
        assertThat(auditEventsOfType("WEBHOOK_REJECTED")).anySatisfy(e ->
                assertThat(e.path("detail").asString()).contains("401 webhook-signature-invalid"));
    }

    @Test
    void aSignedWebhookSentAgainIsAnsweredAsTheFirstTimeAndRecordedOnce() {
        byte[] body = ("{\"data\":{\"id\":" + System.nanoTime() + ",\"status\":\"seen\"},\"meta\":{\"model\":"
                + "\"Rdv\",\"event\":\"updated\",\"timestamp\":\"2026-11-29 10:00:00 +0100\"}}")
                .getBytes(StandardCharsets.UTF_8);
        String path = "/api/v1/partners/rdvi-51/webhooks";
        String signature = WebhookSignature.sign(WEBHOOK_SECRET, body);

        HttpResponse<String> first = webhook(path, body, signature);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String digest = json(first).path("bodyDigest").asString();
        // the same signed bytes again, as a captured request replayed (or the partner's retry), with the signature
        // written otherwise too
        List<HttpResponse<String>> replays = List.of(signature, "sha256=" + signature.toUpperCase(Locale.ROOT),
                signature).stream().map(again -> webhook(path, body, again)).toList();

        // recorded once
        assertThat(auditEventsOfType("WEBHOOK_RECEIVED"))
                .filteredOn(e -> digest.equals(e.path("payloadDigest").asString())).hasSize(1);
        // answered as the first time, saying it is a duplicate
        assertThat(json(first).path("duplicate").asBoolean()).isFalse();
        ObjectNode firstAnswer = (ObjectNode) json(first);
        firstAnswer.remove("duplicate");
        for (HttpResponse<String> replay : replays) {
            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
            ObjectNode answer = (ObjectNode) json(replay);
            assertThat(answer.path("duplicate").asBoolean()).isTrue();
            answer.remove("duplicate");
            assertThat(answer).isEqualTo(firstAnswer);
        }
        // another body is another webhook
        byte[] other = new String(body, StandardCharsets.UTF_8).replace("updated", "destroyed")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> next = webhook(path, other, WebhookSignature.sign(WEBHOOK_SECRET, other));
        assertThat(json(next).path("duplicate").asBoolean()).isFalse();
        assertThat(json(next).path("event").asString()).isEqualTo("destroyed");
    }

    private HttpResponse<String> webhook(String path, byte[] body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-RDVI-Signature", signature);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> auditEvents(String exchangeId, String type) {
        return events("exchangeId=" + exchangeId + "&eventType=" + type);
    }

    private List<JsonNode> auditEventsOfType(String type) {
        return events("eventType=" + type + "&limit=1000");
    }

    private List<JsonNode> events(String query) {
        HttpResponse<String> response = get(port, "/api/v1/audit/events?" + query, token("auditor"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("events").valueStream().toList();
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static JsonNode part(String token, int index) {
        return JSON.readTree(B64.decode(token.split("\\.", -1)[index]));
    }

    /** RFC 7515 verification with the JDK's own Ed25519 (SunEC): independent of the gateway's code. */
    private static boolean jdkVerify(String compact, PublicKey certKey) throws Exception {
        String[] parts = compact.split("\\.", -1);
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(certKey);
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return s.verify(B64.decode(parts[2]));
    }
}
