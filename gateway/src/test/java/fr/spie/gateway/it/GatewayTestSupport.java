package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Helpers shared by the tests that run the gateway: partner simulators, HTTP calls, example envelopes. */
public final class GatewayTestSupport {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String TEST_CONFIG = "src/test/resources/test-config";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private GatewayTestSupport() {
    }

    public static WireMockServer startRecipient() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return server;
    }

    /**
     * A fresh data directory under {@code target/test-data}: removed with the build's output ({@code mvnw clean}, a
     * clean clone), where directories in the system's temporary folder stayed behind after every run (~23 MB each).
     */
    public static Path tempDataDir() {
        return tempDir("spie-test-data");
    }

    /** A fresh directory under {@code target/test-data} (see {@link #tempDataDir()}). */
    public static Path tempDir(String prefix) {
        try {
            Path parent = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String token(String who) {
        return "test-token-" + who;
    }

    /** A valid example envelope of the SPIE schema (classpath spie/examples/v1), with a fresh exchange id. */
    public static ObjectNode example(String name) {
        String type = name.substring(0, name.indexOf('.'));
        try (InputStream in = GatewayTestSupport.class.getResourceAsStream(
                "/spie/examples/v1/" + type + "/" + name + ".valid.json")) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + name);
            }
            ObjectNode envelope = (ObjectNode) JSON.readTree(in);
            envelope.put("exchangeId", UUID.randomUUID().toString());
            return envelope;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static HttpResponse<String> post(int port, String path, String bearer, String contentType, byte[] body) {
        return send(request(port, path, bearer, contentType, Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A request to the gateway on this port, with a bearer token and a content type when not null. */
    public static HttpRequest.Builder request(int port, String path, String bearer, String contentType,
                                              Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request;
    }

    public static HttpResponse<String> submit(int port, String partner, JsonNode envelope) {
        return post(port, "/api/v1/exchanges", token(partner), "application/json", JSON.writeValueAsBytes(envelope));
    }

    public static HttpResponse<String> get(int port, String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    public static JsonNode status(int port, String partner, String exchangeId) {
        return JSON.readTree(get(port, "/api/v1/exchanges/" + exchangeId, token(partner)).body());
    }

    /** Waits until the exchange's status, as its sender sees it, matches. */
    public static JsonNode awaitStatus(int port, String partner, String exchangeId, Predicate<JsonNode> condition,
                                       Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = status(port, partner, exchangeId);
            return condition.test(last[0]);
        });
        return last[0];
    }

    /** A consent receipt of cd-51 for its diagnostics (social support), to these recipients. */
    public static ObjectNode consentReceipt(java.util.UUID id, String... recipients) {
        ObjectNode c = JSON.createObjectNode();
        c.put("consentId", id.toString());
        c.putArray("controllers").add("cd-51");
        var r = c.putArray("recipients");
        for (String recipient : recipients) {
            r.add(recipient);
        }
        c.putArray("purposes").add("social-support");
        c.putArray("dataCategories").addObject().put("recordType", "diagnostic");
        c.putObject("legalBasis").put("type", "consent").put("reference", "RGPD art. 6(1)(a)");
        c.putObject("collectedBy").put("partner", "cd-51").put("professional", "ref-0042");
        c.put("collectionMethod", "signed-form").put("evidenceReference", "GED-1").put("noticeVersion", "v2")
                .put("givenAt", "2025-01-01T10:00:00+01:00");
        return c;
    }

    public static JsonNode delivery(JsonNode status, String recipient) {
        for (JsonNode d : status.path("deliveries")) {
            if (recipient.equals(d.path("recipient").asString())) {
                return d;
            }
        }
        throw new AssertionError("no delivery to " + recipient + " in " + status);
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
