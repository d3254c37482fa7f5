package fr.spie.gateway.security;

import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.it.RunningGatewayTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 6, point 5: hostile requests get a clear 4xx (problem+json, Tomcat's own refusals included since
 * {@code ProblemErrorReportValve}) and nothing is stored. Every endpoint's malformed requests: MalformedRequestWalkTest. XXE in a file and a path in an upload's name are covered by
 * {@code FileChannelTest.anXxeFileIsQuarantinedAndNothingIsDelivered} and {@code FileChannelTest.aPathInTheNameIsRefused}.
 */
class HostileInputTest extends RunningGatewayTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    org.springframework.core.env.Environment environment;

    @Test
    void deeplyNestedJsonIsRefusedBeforeItIsRead() {
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        String text = JSON.writeValueAsString(envelope);
        String nested = "[".repeat(5000) + "]".repeat(5000);
        byte[] body = (text.substring(0, text.length() - 1) + ",\"extra\":" + nested + "}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send("POST", "/api/v1/exchanges", token("caf-51"), "application/json", body);
        assertProblem(response, 400, "malformed-json");
        assertThat(json(response).path("detail").asString()).containsIgnoringCase("nesting");
        assertNotStored(id);
    }

    @Test
    void aHugeBodyIsA413WithOrWithoutContentLength() {
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        ((ObjectNode) envelope.path("payload")).put("padding", "x".repeat(1_000_000));
        byte[] body = JSON.writeValueAsBytes(envelope);
        assertProblem(send("POST", "/api/v1/exchanges", token("caf-51"), "application/json", body), 413,
                "payload-too-large");
        // chunked: no Content-Length to refuse early, the reader stops at the limit
        HttpRequest chunked = request("POST", "/api/v1/exchanges", token("caf-51"), "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        assertProblem(send(chunked), 413, "payload-too-large");
        assertNotStored(id);
    }

    @Test
    void invalidUtf8IsMalformedJson() {
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        byte[] body = JSON.writeValueAsBytes(envelope);
        int at = indexOf(body, "TIFOUR".getBytes(StandardCharsets.US_ASCII));
        body[at] = (byte) 0xC3;       // a two-byte sequence's lead byte
        body[at + 1] = (byte) 0x28;   // followed by something that is not a continuation byte
        HttpResponse<String> response = send("POST", "/api/v1/exchanges", token("caf-51"), "application/json", body);
        assertProblem(response, 400, "malformed-json");
        assertThat(json(response).path("detail").asString()).containsIgnoringCase("UTF-8");
        assertNotStored(id);

        byte[] overlong = JSON.writeValueAsBytes(envelope);
        overlong[at] = (byte) 0xC0;   // overlong encoding of 'A'
        overlong[at + 1] = (byte) 0x81;
        assertProblem(send("POST", "/api/v1/exchanges", token("caf-51"), "application/json", overlong), 400,
                "malformed-json");
        assertNotStored(id);
    }

    @Test
    void aCompressedBodyIsRefusedNotDecompressed() {
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        byte[] gz = gzip(JSON.writeValueAsBytes(envelope));
        long files = count("received_file");
        for (String coding : new String[] {"gzip", "deflate", "br", "GZIP", "identity, gzip", "x-gzip"}) {
            HttpRequest submit = request("POST", "/api/v1/exchanges", token("caf-51"), "application/json")
                    .header("Content-Encoding", coding).POST(HttpRequest.BodyPublishers.ofByteArray(gz)).build();
            assertProblem(send(submit), 415, "unsupported-content-encoding");
            HttpRequest upload = request("POST", "/api/v1/partners/caf-51/files?name=RSABEM_gz.xml",
                    token("caf-51"), "application/xml")
                    .header("Content-Encoding", coding).POST(HttpRequest.BodyPublishers.ofByteArray(gz)).build();
            assertProblem(send(upload), 415, "unsupported-content-encoding");
        }
        // identity is no encoding at all
        HttpRequest identity = request("POST", "/api/v1/exchanges", token("caf-51"), "application/json")
                .header("Content-Encoding", "identity")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(example("person.applicant-with-nir"))))
                .build();
        assertThat(send(identity).statusCode()).isEqualTo(202);
        // without a credential, the answer is still 401 (authentication first)
        HttpRequest anonymous = request("POST", "/api/v1/exchanges", null, "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gz)).build();
        assertProblem(send(anonymous), 401, "unauthenticated");
        assertNotStored(id);
        assertThat(count("received_file")).isEqualTo(files);
        // the refusal of a submission is audited like any other
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'REJECTED' "
                + "AND detail LIKE '%unsupported-content-encoding%'", Long.class)).isPositive();
    }

    /**
     * A gzip "bomb" (10 MB of zeros, about 10 KB compressed) uploaded as a file is stored as the bytes received (the
     * gateway never inflates an upload) and the CNAF connector, which reads XML, quarantines it: nothing is emitted.
     */
    @Test
    void aGzipBombUploadedAsAFileIsStoredAsIsAndQuarantined() {
        byte[] bomb = gzip(new byte[10 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(64 * 1024);
        long exchanges = count("exchange");
        HttpResponse<String> response = send("POST", "/api/v1/partners/caf-51/files?name=RSABEM_bomb.xml.gz",
                token("caf-51"), "application/gzip", bomb);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String fileId = json(response).path("fileId").asString();
        assertThat(json(response).path("size").asLong()).isEqualTo(bomb.length);

        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = json(get(port, "/api/v1/files/" + fileId, token("caf-51")));
            return "QUARANTINED".equals(last[0].path("status").asString())
                    || "FAILED".equals(last[0].path("status").asString());
        });
        assertThat(last[0].path("status").asString()).isEqualTo("QUARANTINED");
        assertThat(last[0].path("size").asLong()).isEqualTo(bomb.length);
        assertThat(last[0].path("counts").path("accepted").asInt()).isZero();
        assertThat(count("exchange")).isEqualTo(exchanges);
    }

    /** The consent API reads JSON through Spring MVC: invalid UTF-8 and compressed bodies must not register anything. */
    @Test
    void theConsentApiRefusesInvalidUtf8AndCompressedBodies() {
        UUID consentId = UUID.randomUUID();
        ObjectNode body = JSON.createObjectNode();
        body.putObject("subject").putArray("identifiers").addObject().put("scheme", "departement-id")
                .put("value", "DZZZZZZZZ");
        body.set("consent", GatewayTestSupport.consentReceipt(consentId, "ml-reims"));
        byte[] bytes = JSON.writeValueAsBytes(body);
        int at = indexOf(bytes, "ZZZZ".getBytes(StandardCharsets.US_ASCII));
        bytes[at] = (byte) 0xC3;
        bytes[at + 1] = (byte) 0x28;
        HttpResponse<String> response = send("POST", "/api/v1/consents", token("cd-51"), "application/json", bytes);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        HttpRequest gz = request("POST", "/api/v1/consents", token("cd-51"), "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(JSON.writeValueAsBytes(body)))).build();
        assertProblem(send(gz), 415, "unsupported-content-encoding");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM consent WHERE consent_id = ?", Long.class, consentId))
                .isZero();
    }

    /** Spring Security's firewall refusals are problem details too, not the container's error page. */
    @Test
    void pathsTheFirewallRefusesAreAnsweredAsProblems() {
        for (String path : new String[] {"/api/v1/exchanges/a%25b", "/api/v1/exchanges//x", "/api/v1/exchanges/a;b",
                "/api/v1/files/%2e%2e/x"}) {
            HttpResponse<String> response = fr.spie.gateway.it.GatewayTestSupport.get(port, path,
                    fr.spie.gateway.it.GatewayTestSupport.token("caf-51"));
            assertProblem(response, 400, "request-rejected");
            assertThat(response.body()).as(path).doesNotContain("Exception").doesNotContain("trace");
        }
    }

    /** server.max-http-request-header-size is set explicitly to 8KB (application.yml). */
    @Test
    void oversizedHeadersAreRefusedByTomcat() throws IOException {
        assertThat(environment.getProperty("server.max-http-request-header-size")).isEqualTo("8KB");
        assertThat(rawStatus(headerOf(6 * 1024))).isEqualTo(200);
        assertThat(rawStatus(headerOf(10 * 1024))).isIn(400, 431);
        assertThat(rawStatus(headerOf(64 * 1024))).isIn(400, 431);
        assertThat(rawStatus(headerOf(1024 * 1024))).isIn(-1, 400, 431);
    }

    private String headerOf(int size) {
        return "GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(size)
                + "\r\nConnection: close\r\n\r\n";
    }

    /** The status code of a raw request, -1 if the connection was closed without an answer. */
    private int rawStatus(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            } catch (IOException closedWhileWriting) {
                // Tomcat may answer and close before it has read everything
            }
            byte[] head = new byte[12];
            int n;
            try {
                n = socket.getInputStream().readNBytes(head, 0, 12);
            } catch (IOException reset) {
                return -1;
            }
            if (n < 12) {
                return -1;
            }
            return Integer.parseInt(new String(head, 9, 3, StandardCharsets.ISO_8859_1));
        }
    }

    // ------------------------------------------------------------------ helpers

    private void assertNotStored(String exchangeId) {
        UUID id = UUID.fromString(exchangeId);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM exchange WHERE exchange_id = ?", Long.class, id))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE exchange_id = ?", Long.class, id))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM exchange_payload WHERE exchange_id = ?", Long.class, id))
                .isZero();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    static void assertProblem(HttpResponse<String> response, int status, String problem) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(response).path("type").asString()).endsWith("/" + problem);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private HttpRequest.Builder request(String method, String path, String bearer, String contentType) {
        return GatewayTestSupport.request(port, path, bearer, contentType, Duration.ofSeconds(20));
    }

    private HttpResponse<String> send(String method, String path, String bearer, String contentType, byte[] body) {
        return send(request(method, path, bearer, contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
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
