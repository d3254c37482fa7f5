package fr.spie.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.it.RunningGatewayTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every endpoint of the running gateway, called by a caller who may use it, with malformed requests: path ids that
 * are no ids, malformed query parameters, a wrong method, wrong content types and charsets, a compressed body, JSON
 * bodies of the wrong shape, an {@code Accept} the gateway cannot serve. Each must be a 4xx (never a 5xx) RFC 9457
 * problem ({@code application/problem+json}) that says what is wrong and shows no stack trace, class name or SQL, and
 * must change nothing that is stored. Each test collects every failure before asserting, so one run lists them all.
 */
class MalformedRequestWalkTest extends RunningGatewayTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String TOO_BIG = "9223372036854775808"; // 2^63
    private static final String HUGE_ID = "x".repeat(10 * 1024);
    /** What a problem must never show: a stack trace, a Java or Spring class, SQL or the database's name. */
    private static final Pattern LEAK = Pattern.compile(
            "Exception|\\bat [a-z]+\\.[a-z]|java\\.|jakarta\\.|org\\.springframework|fr\\.spie|tools\\.jackson|"
                    + "com\\.fasterxml|\\bSQL|SELECT |INSERT |\\bH2\\b|\"trace\"");

    private static final String PARTNER = "test-token-cd-51";
    private static final String SENDER = "test-token-caf-51";
    private static final String RECIPIENT = "test-token-ft-51";
    private static final String ADMIN = "test-token-admin";
    private static final String AUDITOR = "test-token-auditor";

    /** How an endpoint takes its body. */
    enum Body {
        /** none: body variations do not apply (a body is ignored, or a GET) */
        NONE,
        /** JSON, required */
        JSON,
        /** JSON or nothing */
        OPTIONAL_JSON,
        /** any bytes (a file upload) */
        RAW,
        /** JSON signed with the partner's webhook secret */
        SIGNED_JSON
    }

    /**
     * One endpoint: its route as Spring MVC lists it, a concrete path (with, where it has one, {@code {id}} where the
     * path variations go), a query that is valid, the credential of a caller who may use it, and its body.
     */
    record Endpoint(String route, String path, String query, String token, Body body) {
        String method() {
            return route.substring(0, route.indexOf(' '));
        }

        String concrete(String id) {
            return path.replace("{id}", id);
        }
    }

    static String partnerOf(Endpoint e) {
        return e.route().endsWith("/webhooks") ? "rdvi-51" : e.route().endsWith("/pulls") ? "ft-51" : "cd-51";
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST /api/v1/exchanges", "/api/v1/exchanges", "", SENDER, Body.JSON),
            new Endpoint("GET /api/v1/exchanges/{exchangeId}", "/api/v1/exchanges/{id}", "", SENDER, Body.NONE),
            new Endpoint("GET /api/v1/exchanges/{exchangeId}/receipt", "/api/v1/exchanges/{id}/receipt", "", SENDER,
                    Body.NONE),
            // its recipient, about the exchange delivered to it (Fixtures)
            new Endpoint("POST /api/v1/exchanges/{exchangeId}/acknowledgements",
                    "/api/v1/exchanges/{id}/acknowledgements", "", RECIPIENT, Body.OPTIONAL_JSON),
            new Endpoint("POST /api/v1/partners/{partnerId}/files", "/api/v1/partners/{id}/files", "name=walk.xml",
                    PARTNER, Body.RAW),
            new Endpoint("GET /api/v1/files/{fileId}", "/api/v1/files/{id}", "", PARTNER, Body.NONE),
            new Endpoint("GET /api/v1/files", "/api/v1/files", "", ADMIN, Body.NONE),
            new Endpoint("POST /api/v1/partners/{partnerId}/pulls", "/api/v1/partners/{id}/pulls", "", PARTNER,
                    Body.JSON),
            new Endpoint("POST /api/v1/consents", "/api/v1/consents", "", PARTNER, Body.JSON),
            new Endpoint("GET /api/v1/consents", "/api/v1/consents", "person=DZZZZZZZZ", PARTNER, Body.NONE),
            new Endpoint("POST /api/v1/consents/search", "/api/v1/consents/search", "", PARTNER, Body.JSON),
            new Endpoint("POST /api/v1/consents/{id}/withdraw", "/api/v1/consents/{id}/withdraw", "", PARTNER,
                    Body.OPTIONAL_JSON),
            new Endpoint("POST /api/v1/audit/persons/report", "/api/v1/audit/persons/report", "", AUDITOR, Body.JSON),
            new Endpoint("GET /api/v1/audit/events", "/api/v1/audit/events", "", AUDITOR, Body.NONE),
            new Endpoint("GET /api/v1/audit/tree-head", "/api/v1/audit/tree-head", "", AUDITOR, Body.NONE),
            new Endpoint("GET /api/v1/audit/proofs/inclusion", "/api/v1/audit/proofs/inclusion", "index=0", AUDITOR,
                    Body.NONE),
            new Endpoint("GET /api/v1/audit/proofs/consistency", "/api/v1/audit/proofs/consistency", "first=1",
                    AUDITOR, Body.NONE),
            new Endpoint("GET /api/v1/audit/export", "/api/v1/audit/export", "", AUDITOR, Body.NONE),
            new Endpoint("GET /api/v1/audit/export/full", "/api/v1/audit/export/full", "", AUDITOR, Body.NONE),
            new Endpoint("GET /api/v1/admin/config", "/api/v1/admin/config", "", ADMIN, Body.NONE),
            // the reload reads no body: body variations are no malformed request for it
            new Endpoint("POST /api/v1/admin/config/reload", "/api/v1/admin/config/reload", "", ADMIN, Body.NONE),
            new Endpoint("POST /api/v1/admin/routing/explain", "/api/v1/admin/routing/explain", "", ADMIN,
                    Body.JSON),
            new Endpoint("GET /api/v1/admin/dead-letters", "/api/v1/admin/dead-letters", "", ADMIN, Body.NONE),
            new Endpoint("POST /api/v1/admin/dead-letters/replay", "/api/v1/admin/dead-letters/replay", "", ADMIN,
                    Body.JSON),
            new Endpoint("POST /api/v1/admin/dead-letters/discard", "/api/v1/admin/dead-letters/discard", "", ADMIN,
                    Body.JSON),
            new Endpoint("POST /api/v1/admin/deliveries/requeue", "/api/v1/admin/deliveries/requeue", "", ADMIN,
                    Body.JSON),
            new Endpoint("POST /api/v1/admin/files/{fileId}/quarantine", "/api/v1/admin/files/{id}/quarantine", "",
                    ADMIN, Body.OPTIONAL_JSON),
            new Endpoint("POST /api/v1/partners/{partnerId}/webhooks", "/api/v1/partners/{id}/webhooks", "", null,
                    Body.SIGNED_JSON),
            new Endpoint("GET /api/v1/gateway/ledger-key", "/api/v1/gateway/ledger-key", "", null, Body.NONE),
            new Endpoint("GET /api/v1/gateway/certificate", "/api/v1/gateway/certificate", "", null, Body.NONE),
            new Endpoint("GET /api/v1/gateway/jwks", "/api/v1/gateway/jwks", "", null, Body.NONE),
            new Endpoint("GET /actuator/health", "/actuator/health", "", null, Body.NONE),
            new Endpoint("GET /actuator/health/liveness", "/actuator/health/liveness", "", null, Body.NONE),
            new Endpoint("GET /actuator/health/readiness", "/actuator/health/readiness", "", null, Body.NONE),
            new Endpoint("GET /actuator/info", "/actuator/info", "", null, Body.NONE),
            new Endpoint("GET /actuator", "/actuator", "", ADMIN, Body.NONE),
            new Endpoint("GET /actuator/metrics", "/actuator/metrics", "", ADMIN, Body.NONE),
            new Endpoint("GET /actuator/metrics/{requiredMetricName}", "/actuator/metrics/{id}", "", ADMIN,
                    Body.NONE),
            new Endpoint("GET /actuator/health/{component}", "/actuator/health/{id}", "", ADMIN, Body.NONE),
            new Endpoint("GET /actuator/prometheus", "/actuator/prometheus", "", ADMIN, Body.NONE));

    /** The endpoints that read a query, each with one of its parameters. */
    static final Map<String, String> QUERY_READERS = Map.of(
            "GET /api/v1/audit/events", "limit", "GET /api/v1/audit/export", "format",
            "GET /api/v1/audit/proofs/inclusion", "index", "GET /api/v1/audit/proofs/consistency", "first",
            "GET /api/v1/files", "limit", "GET /api/v1/admin/dead-letters", "limit", "GET /api/v1/consents", "person",
            "POST /api/v1/partners/{partnerId}/files", "name");

    @Autowired
    JdbcTemplate jdbc;

    private Map<String, Object> storedBefore;

    /**
     * What the endpoints that act on an object are sent their malformed bodies about, so that the body is read: an
     * exchange delivered to ft-51 (acknowledgements) and a consent in force collected by cd-51 (withdrawal).
     */
    record Fixtures(String exchangeId, String consentId) {
    }

    private static Fixtures fixtures;

    @BeforeEach
    void rememberWhatIsStored() {
        if (fixtures == null) {
            fixtures = new Fixtures(deliveredExchange(), consentInForce());
        }
        storedBefore = stored();
    }

    private String deliveredExchange() {
        ObjectNode envelope = GatewayTestSupport.example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();
        assertThat(GatewayTestSupport.submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        GatewayTestSupport.awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(GatewayTestSupport.delivery(s,
                "ft-51").path("status").asString()), Duration.ofSeconds(20));
        return id;
    }

    private String consentInForce() {
        String consentId = UUID.randomUUID().toString();
        ObjectNode body = JSON.createObjectNode();
        body.putObject("subject").putArray("identifiers").addObject().put("scheme", "departement-id")
                .put("value", "D" + consentId.substring(0, 8));
        body.set("consent", GatewayTestSupport.consentReceipt(UUID.fromString(consentId), "ml-reims"));
        HttpResponse<String> given = GatewayTestSupport.post(port, "/api/v1/consents", PARTNER, "application/json",
                JSON.writeValueAsBytes(body));
        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
        return consentId;
    }

    /** A path the endpoint answers for (an object of the fixtures, a partner it knows), with its valid query. */
    private static String validPath(Endpoint e) {
        String id = e.route().endsWith("/acknowledgements") ? fixtures.exchangeId()
                : e.route().endsWith("/withdraw") ? fixtures.consentId()
                : e.path().contains("/partners/{id}") ? partnerOf(e) : UUID.randomUUID().toString();
        return e.concrete(id) + (e.query().isEmpty() ? "" : "?" + e.query());
    }

    /** Nothing half-done: no exchange, delivery, consent, file or webhook stored, no state changed, by any variation. */
    @AfterEach
    void nothingWasStoredOrChanged() {
        assertThat(stored()).isEqualTo(storedBefore);
    }

    @Test
    void everyEndpointOfTheRoleTableHasARowHere() {
        Set<String> missing = new TreeSet<>(RoleWalkTest.EXPECTED.keySet());
        missing.remove("GET /error"); // renders the error of the current request: no request of its own
        ENDPOINTS.forEach(e -> missing.remove(e.route()));
        assertThat(missing).as("endpoints without a row in MalformedRequestWalkTest.ENDPOINTS").isEmpty();
    }

    @Test
    void pathIdsThatAreNoIds() {
        List<String> failures = new ArrayList<>();
        List<String> ids = List.of("not-a-uuid", HUGE_ID, "%2e%2e", "%2e%2e%2fadmin", "a%2fb", "%2f", "..", "-1",
                "00000000-0000-0000-0000-00000000000g", "%C3%A9", "%FF", "%20", "a%5Cb", "%252e%252e", "a;b");
        for (Endpoint e : ENDPOINTS) {
            if (!e.path().contains("{id}")) {
                continue;
            }
            for (String id : ids) {
                String path = e.concrete(id) + (e.query().isEmpty() ? "" : "?" + e.query());
                byte[] body = e.body() == Body.NONE ? null : "{}".getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> response = send(request(e.method(), path, e.token(),
                        body == null ? null : "application/json", body, e));
                if (e.path().startsWith("/actuator/") && response.statusCode() == 404 && response.body().isEmpty()) {
                    // Spring Boot's actuator answers an unknown metric or health component with an empty 404 of
                    // its own (no error dispatch, nothing to render): the operators' interface keeps its format
                    continue;
                }
                check(failures, e.method() + " " + abbreviate(path), response);
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * Bad values, repeated parameters and, where the endpoint refuses them ({@code GET /api/v1/files}, whose filters
     * must not be misspelt into listing every file), unknown ones. The other endpoints ignore a parameter they do not
     * take, by design: a query on an endpoint that takes none is never parsed.
     */
    @Test
    void malformedQueryParameters() {
        Map<String, List<String>> queries = new LinkedHashMap<>();
        queries.put("GET /api/v1/audit/events", List.of("limit=abc", "limit=-1", "limit=0", "limit=" + TOO_BIG,
                "limit=1.5", "after=abc", "after=" + TOO_BIG, "from=yesterday", "from=2026-02-30T00:00:00Z",
                "from=2026-01-01T00:00Z", "to=2026-01-01T00:00:00", "to=2026-01-01T00:00:00%2B0100",
                "to=2026-01-01", "from=2026-01-01T00:00:00Z&from=2026-01-02T00:00:00Z", "limit=1&limit=2",
                "exchangeId=not-a-uuid", "exchangeId=" + UUID.randomUUID() + "&exchangeId=" + UUID.randomUUID(),
                "eventType=NOT_AN_EVENT", "birthDate=yesterday&birthName=X", "nir=%00", "limit=%FF",
                "partner=a&partner=b"));
        queries.put("GET /api/v1/audit/export", List.of("format=xml", "format=jsonl&format=csv", "from=yesterday",
                "to=" + TOO_BIG, "exchangeId=%2e%2e", "to=2026-01-01T10:15Z"));
        queries.put("GET /api/v1/audit/proofs/inclusion", List.of("", "index=abc", "index=-1", "index=" + TOO_BIG,
                "index=0&treeSize=-1", "index=0&treeSize=" + TOO_BIG, "index=0&treeSize=abc", "index=0&index=1",
                "index=" + Long.MAX_VALUE));
        queries.put("GET /api/v1/audit/proofs/consistency", List.of("", "first=abc", "first=-1", "first=" + TOO_BIG,
                "first=2&second=1", "first=1&second=abc", "first=1&second=" + TOO_BIG, "first=1&first=2",
                "first=" + Long.MAX_VALUE));
        queries.put("GET /api/v1/files", List.of("limit=abc", "limit=-1", "limit=" + TOO_BIG, "since=yesterday",
                "since=2026-01-01T00:00Z", "until=" + TOO_BIG, "limit=1&limit=2", "status=NOPE", "after=abc",
                "partner=" + HUGE_ID, "unknown=1"));
        queries.put("GET /api/v1/admin/dead-letters", List.of("offset=abc", "offset=-1", "offset=" + TOO_BIG,
                "limit=abc", "limit=0", "limit=-1", "limit=" + TOO_BIG, "limit=1&limit=2"));
        queries.put("GET /api/v1/consents", List.of("", "person=", "person=a&person=b", "person=" + HUGE_ID));
        // the name of an upload is optional: no query is a valid upload
        queries.put("POST /api/v1/partners/{partnerId}/files", List.of("name=", "name=%2e%2e%2fetc%2fpasswd",
                "name=a&name=b", "name=" + HUGE_ID, "name=%00x.xml", "name=a%2Fb.xml"));
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : queries.entrySet()) {
            Endpoint e = endpoint(entry.getKey());
            for (String query : entry.getValue()) {
                String base = e.concrete(e.path().contains("/partners/{id}") ? partnerOf(e) : UUID.randomUUID()
                        .toString());
                String path = base + (query.isEmpty() ? "" : "?" + query);
                byte[] body = e.body() == Body.NONE ? null : new byte[0];
                check(failures, e.method() + " " + abbreviate(path), send(request(e.method(), path, e.token(),
                        body == null ? null : "application/octet-stream", body, e)));
            }
        }
        assertThat(failures).isEmpty();
    }

    /** What no URI library sends: a '%' that starts no escape, in the path or the query (sent on a socket). */
    @Test
    void invalidPercentEscapes() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            List<String> targets = new ArrayList<>();
            if (e.path().contains("{id}")) {
                targets.add(e.concrete("%") + (e.query().isEmpty() ? "" : "?" + e.query()));
                targets.add(e.concrete("%zz"));
            }
            // in the query of the endpoints that read one (the others never parse it: see malformedQueryParameters)
            String parameter = QUERY_READERS.get(e.route());
            if (parameter != null) {
                String base = e.concrete(e.path().contains("/partners/{id}") ? partnerOf(e) : "x") + "?";
                targets.add(base + parameter + "=%zz");
                targets.add(base + parameter + "=1&%=1");
            }
            for (String target : targets) {
                RawResponse response = raw(e.method(), target, e.token());
                check(failures, e.method() + " " + target, response.status(), response.contentType(),
                        response.body());
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * A method the security rules do not name for the path is a 403 {@code forbidden} (their last rule denies
     * everything else, before any endpoint is looked up); on a path whose rule allows any method (consents, admin,
     * audit, actuator) it is Spring MVC's 405, a problem too. TRACE is refused by Tomcat itself, also as a problem.
     */
    @Test
    void aMethodAnEndpointDoesNotTakeIsAProblem() {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            List<String> methods = "GET".equals(e.method()) ? List.of("POST", "PUT", "DELETE", "PATCH", "TRACE")
                    : List.of("GET", "PUT", "DELETE", "PATCH", "TRACE");
            for (String method : methods) {
                byte[] body = "GET".equals(method) || "DELETE".equals(method) || "TRACE".equals(method) ? null
                        : "{}".getBytes(StandardCharsets.UTF_8);
                check(failures, method + " " + e.path(), send(request(method, validPath(e), e.token(),
                        body == null ? null : "application/json", body, e)));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void wrongOrMissingContentTypesAndCharsets() {
        byte[] latin1 = "{\"reason\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] object = "{\"reason\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        List<String> failures = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            if (e.body() != Body.JSON && e.body() != Body.OPTIONAL_JSON && e.body() != Body.SIGNED_JSON) {
                continue;
            }
            Map<String, byte[]> variations = new LinkedHashMap<>();
            variations.put("application/json; charset=ISO-8859-1", latin1);
            variations.put("application/json; charset=nonsense", object);
            variations.put("application/json; charset=UTF-16", latin1);
            variations.put("not a media type", object);
            variations.put("application/x-www-form-urlencoded", "reason=x&a=b".getBytes(StandardCharsets.UTF_8));
            variations.put("multipart/form-data", object);
            for (Map.Entry<String, byte[]> v : variations.entrySet()) {
                check(failures, e.route() + " as " + v.getKey(), send(request("POST", validPath(e), e.token(),
                        v.getKey(), v.getValue(), e)));
            }
            // JSON that is no UTF-8, sent as JSON
            check(failures, e.route() + " invalid UTF-8", send(request("POST", validPath(e), e.token(),
                    "application/json", latin1, e)));
            if (e.body() == Body.JSON) {
                for (String type : new String[] {null, "text/plain", "application/xml"}) {
                    check(failures, e.route() + " as " + type, send(request("POST", validPath(e), e.token(), type,
                            object, e)));
                }
            }
        }
        // a file upload takes any bytes, but not a multipart form it cannot read
        Endpoint upload = endpoint("POST /api/v1/partners/{partnerId}/files");
        for (String type : new String[] {"multipart/form-data", "multipart/form-data; boundary=xyz",
                "multipart/form-data; boundary="}) {
            check(failures, upload.route() + " as " + type, send(request("POST", validPath(upload), upload.token(),
                    type, "--xyz\r\ngarbage".getBytes(StandardCharsets.UTF_8), upload)));
        }
        byte[] noFilePart = ("--xyz\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nabc\r\n--xyz--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        check(failures, upload.route() + " multipart without a file part", send(request("POST", validPath(upload),
                upload.token(), "multipart/form-data; boundary=xyz", noFilePart, upload)));
        assertThat(failures).isEmpty();
    }

    /** A small gzip bomb (10 MB of zeros): refused, never inflated. */
    @Test
    void aCompressedBodyIsRefusedEverywhere() {
        byte[] bomb = gzip(new byte[10 * 1024 * 1024]);
        List<String> failures = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            if (e.body() == Body.NONE && !"POST".equals(e.method())) {
                continue;
            }
            HttpRequest.Builder request = builder(validPath(e), e.token(), "application/json")
                    .header("Content-Encoding", "gzip").method("POST", HttpRequest.BodyPublishers.ofByteArray(bomb));
            sign(request, e, bomb);
            HttpResponse<String> response = send(request.build());
            check(failures, e.route() + " gzip", response);
            if (response.statusCode() != 415 && response.statusCode() != 400) {
                failures.add(e.route() + " gzip: " + response.statusCode() + ", not 415 or 400");
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void jsonBodiesOfTheWrongShape() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (String text : new String[] {"", "null", "[]", "42", "-1e999999", "\"text\"", "true", "{", "{}}",
                "{\"a\":1,\"a\":2}", "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(5000) + "1"
                + "}".repeat(5000), "{\"a\":\"\u0000\"}", "\u0000"}) {
            bodies.put(abbreviate(text), text.getBytes(StandardCharsets.UTF_8));
        }
        bodies.put("UTF-16 with a BOM", utf16WithBom("{\"reason\":\"x\"}"));
        // what an endpoint would take but for a member named twice or its encoding (a webhook's {data, meta})
        bodies.put("reason named twice", "{\"reason\":\"a\",\"reason\":\"b\"}".getBytes(StandardCharsets.UTF_8));
        bodies.put("meta named twice", "{\"data\":{},\"meta\":{\"model\":\"a\"},\"meta\":{\"model\":\"b\"}}"
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("webhook in UTF-16", utf16WithBom("{\"data\":{},\"meta\":{\"model\":\"x\"}}"));
        bodies.put("UTF-16 BOM then null", utf16WithBom("null"));
        List<String> failures = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            if (e.body() != Body.JSON && e.body() != Body.OPTIONAL_JSON && e.body() != Body.SIGNED_JSON) {
                continue;
            }
            for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
                if (body.getValue().length == 0 && e.body() == Body.OPTIONAL_JSON) {
                    continue; // no body is what it takes
                }
                check(failures, e.route() + " body " + body.getKey(), send(request("POST", validPath(e),
                        e.token(), "application/json", body.getValue(), e)));
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * Only XML accepted: the gateway speaks JSON. A refusal is a 406 problem, or the problem or answer in JSON anyway;
     * never a 5xx or an empty error. Sent with a malformed body (or, without a body, as a valid request).
     */
    @Test
    void anAcceptOfXmlOnly() {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            if (e.body() == Body.RAW) {
                continue; // an upload takes any bytes: no malformed body to send (its path and query are above)
            }
            byte[] body = e.body() == Body.NONE ? null : "[]".getBytes(StandardCharsets.UTF_8);
            HttpRequest.Builder request = builder(validPath(e), e.token(), body == null ? null : "application/json")
                    .header("Accept", "application/xml");
            request.method(e.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null) {
                sign(request, e, body);
            }
            HttpResponse<String> response = send(request.build());
            if (response.statusCode() / 100 == 2 && !"POST".equals(e.method())) {
                continue; // a read answered in its own format anyway
            }
            check(failures, e.route() + " Accept: application/xml", response);
            if (e.path().contains("{id}") && !e.path().startsWith("/actuator/")) {
                HttpRequest.Builder badId = builder(e.concrete("not-a-uuid"), e.token(), null)
                        .header("Accept", "application/xml");
                check(failures, e.route() + " bad id, Accept: application/xml", send(badId.method(e.method(),
                        HttpRequest.BodyPublishers.noBody()).build()));
            }
        }
        assertThat(failures).isEmpty();
    }

    // ------------------------------------------------------------------ checks

    /** A 4xx problem+json that says what is wrong, and nothing of the gateway's insides. */
    private static void check(List<String> failures, String what, HttpResponse<String> response) {
        check(failures, what, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    private static void check(List<String> failures, String what, int status, String type, String body) {
        String where = what + " → " + status + " " + abbreviate(body);
        if (status < 400 || status > 499) {
            failures.add("not a 4xx: " + where);
            return;
        }
        if (!type.startsWith("application/problem+json")) {
            failures.add("not problem+json (" + type + "): " + where);
            return;
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (RuntimeException e) {
            failures.add("body is not JSON: " + where);
            return;
        }
        if (problem.path("status").asInt() != status || problem.path("title").asString("").isBlank()
                || problem.path("detail").asString("").isBlank()) {
            failures.add("problem without status, title or detail: " + where);
        }
        if (LEAK.matcher(body).find()) {
            failures.add("problem shows the gateway's insides: " + where);
        }
    }

    private Map<String, Object> stored() {
        Map<String, Object> stored = new LinkedHashMap<>();
        for (String table : new String[] {"exchange", "delivery", "consent", "consent_event", "received_file",
                "webhook_receipt", "ft_appointment"}) {
            stored.put(table, jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class));
        }
        stored.put("file statuses", jdbc.queryForList("SELECT status, COUNT(*) AS n FROM received_file "
                + "GROUP BY status ORDER BY status"));
        stored.put("delivery statuses", jdbc.queryForList("SELECT status, COUNT(*) AS n FROM delivery "
                + "GROUP BY status ORDER BY status"));
        stored.put("consent events", jdbc.queryForList("SELECT event_type, COUNT(*) AS n FROM consent_event "
                + "GROUP BY event_type ORDER BY event_type"));
        stored.put("acknowledged", jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE acknowledged_at IS NOT "
                + "NULL", Long.class));
        return stored;
    }

    // ------------------------------------------------------------------ requests

    private static Endpoint endpoint(String route) {
        return ENDPOINTS.stream().filter(e -> e.route().equals(route)).findFirst().orElseThrow();
    }

    private HttpRequest.Builder builder(String path, String token, String contentType) {
        return GatewayTestSupport.request(port, path, token, contentType, Duration.ofSeconds(30));
    }

    private HttpRequest request(String method, String path, String token, String contentType, byte[] body,
                                Endpoint e) {
        HttpRequest.Builder request = builder(path, token, contentType).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            sign(request, e, body);
        }
        return request.build();
    }

    /** A webhook is signed as its partner signs it, so that its body is read. */
    private static void sign(HttpRequest.Builder request, Endpoint e, byte[] body) {
        if (e.body() != Body.SIGNED_JSON) {
            return;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            request.header("X-RDVI-Signature", HexFormat.of().formatHex(mac.doFinal(body)));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + abbreviate(request.uri().toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record RawResponse(int status, String contentType, String body) {
    }

    /** An HTTP/1.0 request as written (no chunked answer, the connection closes after it). */
    private RawResponse raw(String method, String target, String token) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(20_000);
            String request = method + " " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + ("POST".equals(method) ? "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                    : "\r\n");
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            String head = end < 0 ? answer : answer.substring(0, end);
            String contentType = "";
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).strip();
                }
            }
            int status = head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new RawResponse(status, contentType, end < 0 ? "" : answer.substring(end + 4));
        }
    }

    private static byte[] utf16WithBom(String text) {
        return text.getBytes(StandardCharsets.UTF_16); // big-endian, with its byte order mark
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() > 160 ? one.substring(0, 160) + "…" : one;
    }
}
