package fr.spie.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.it.RunningGatewayTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 6, point 2: every endpoint of the API, called by every kind of caller, against one table of who may get in.
 * The endpoints are discovered from Spring MVC, so a new endpoint fails this test until it is given a row.
 */
class RoleWalkTest extends RunningGatewayTest {
    private static final String PUBLIC = "PUBLIC";
    private static final List<String> PARTNERS = List.of("caf-51", "cd-51", "ft-51", "ml-reims");

    /** "METHOD pattern" → the roles that get in (PUBLIC: anyone, even without a credential). */
    static final Map<String, Set<String>> EXPECTED = Map.ofEntries(
            Map.entry("POST /api/v1/exchanges", Set.of("PARTNER")),
            Map.entry("GET /api/v1/exchanges/{exchangeId}", Set.of("PARTNER", "ADMIN")),
            Map.entry("POST /api/v1/partners/{partnerId}/files", Set.of("PARTNER")),
            Map.entry("GET /api/v1/files/{fileId}", Set.of("PARTNER", "ADMIN")),
            // a partner lists its own files only (403 partner-mismatch for another's, checked by the endpoint)
            Map.entry("GET /api/v1/files", Set.of("PARTNER", "ADMIN", "AUDITOR")),
            Map.entry("POST /api/v1/partners/{partnerId}/pulls", Set.of("PARTNER", "ADMIN")),
            Map.entry("POST /api/v1/consents", Set.of("PARTNER", "ADMIN")),
            Map.entry("GET /api/v1/consents", Set.of("PARTNER", "ADMIN")),
            Map.entry("POST /api/v1/consents/search", Set.of("PARTNER", "ADMIN")),
            Map.entry("POST /api/v1/consents/{id}/withdraw", Set.of("PARTNER", "ADMIN")),
            Map.entry("GET /api/v1/admin/config", Set.of("ADMIN")),
            Map.entry("POST /api/v1/admin/config/reload", Set.of("ADMIN")),
            Map.entry("POST /api/v1/admin/routing/explain", Set.of("ADMIN")),
            Map.entry("GET /api/v1/admin/dead-letters", Set.of("ADMIN")),
            Map.entry("POST /api/v1/admin/dead-letters/replay", Set.of("ADMIN")),
            Map.entry("POST /api/v1/admin/dead-letters/discard", Set.of("ADMIN")),
            Map.entry("POST /api/v1/admin/deliveries/requeue", Set.of("ADMIN")),
            Map.entry("POST /api/v1/admin/files/{fileId}/quarantine", Set.of("ADMIN")),
            Map.entry("GET /api/v1/audit/events", Set.of("AUDITOR")),
            Map.entry("GET /api/v1/audit/tree-head", Set.of("AUDITOR")),
            Map.entry("GET /api/v1/audit/proofs/inclusion", Set.of("AUDITOR")),
            Map.entry("GET /api/v1/audit/proofs/consistency", Set.of("AUDITOR")),
            Map.entry("GET /api/v1/audit/export", Set.of("AUDITOR")),
            Map.entry("GET /api/v1/audit/export/full", Set.of("AUDITOR")),
            // a person's access report: the auditor, or a partner acting for the person
            // partners only if their configuration says they act for persons (test-config: caf-51 only)
            Map.entry("POST /api/v1/audit/persons/report", Set.of("AUDITOR", "PARTNER caf-51")),
            Map.entry("GET /api/v1/gateway/ledger-key", Set.of(PUBLIC)),
            Map.entry("GET /api/v1/exchanges/{exchangeId}/receipt", Set.of("PARTNER", "ADMIN")),
            // only a recipient partner of the exchange (403 for the others, checked by the endpoint)
            Map.entry("POST /api/v1/exchanges/{exchangeId}/acknowledgements", Set.of("PARTNER")),
            Map.entry("GET /api/v1/gateway/certificate", Set.of(PUBLIC)),
            Map.entry("GET /api/v1/gateway/jwks", Set.of(PUBLIC)),
            // authenticated by the partner's HMAC signature, not a bearer token (404: none configured for these ids)
            Map.entry("POST /api/v1/partners/{partnerId}/webhooks", Set.of(PUBLIC)),
            // Spring Boot's error controller (any method): public, it only renders the error of the current request
            Map.entry("GET /error", Set.of(PUBLIC)),
            // actuator endpoints (their own handler mapping, listed by hand from management.endpoints.web.exposure)
            Map.entry("GET /actuator/health", Set.of(PUBLIC)),
            Map.entry("GET /actuator/health/liveness", Set.of(PUBLIC)),
            Map.entry("GET /actuator/health/readiness", Set.of(PUBLIC)),
            Map.entry("GET /actuator/info", Set.of(PUBLIC)),
            Map.entry("GET /actuator", Set.of("ADMIN")),
            Map.entry("GET /actuator/metrics", Set.of("ADMIN")),
            Map.entry("GET /actuator/prometheus", Set.of("ADMIN")));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Caller(String name, String role, String token, String partner) {
    }

    static List<Caller> callers() {
        List<Caller> callers = new ArrayList<>();
        callers.add(new Caller("no credential", null, null, null));
        callers.add(new Caller("bad token", null, "not-a-token-" + UUID.randomUUID(), null));
        callers.add(new Caller("malformed header", null, "", null));
        for (String partner : PARTNERS) {
            callers.add(new Caller("partner " + partner, "PARTNER", "test-token-" + partner, partner));
        }
        callers.add(new Caller("admin", "ADMIN", "test-token-admin", null));
        callers.add(new Caller("auditor", "AUDITOR", "test-token-auditor", null));
        // demo tokens must not work outside demo mode
        callers.add(new Caller("demo admin token", null, "demo-token-admin", null));
        return callers;
    }

    @Test
    void everyEndpointIsInTheTable() {
        Set<String> discovered = discovered();
        assertThat(discovered).isNotEmpty();
        Set<String> missing = new TreeSet<>(discovered);
        missing.removeAll(EXPECTED.keySet());
        assertThat(missing).as("endpoints without a row in RoleWalkTest.EXPECTED: decide who may call them")
                .isEmpty();
    }

    @Test
    void everyCallerGetsInWhereTheTableSaysAndNowhereElse() {
        List<String> failures = new ArrayList<>();
        Map<String, Set<String>> rows = new TreeMap<>(EXPECTED);
        for (Map.Entry<String, Set<String>> row : rows.entrySet()) {
            String method = row.getKey().substring(0, row.getKey().indexOf(' '));
            String pattern = row.getKey().substring(row.getKey().indexOf(' ') + 1);
            for (Caller caller : callers()) {
                String path = concrete(pattern, caller);
                HttpResponse<String> response = call(method, path, caller.token());
                int status = response.statusCode();
                boolean allowed = row.getValue().contains(PUBLIC)
                        || (caller.role() != null && row.getValue().contains(caller.role()))
                        || (caller.partner() != null && row.getValue().contains("PARTNER " + caller.partner()));
                String where = method + " " + path + " as " + caller.name() + " → " + status + " "
                        + abbreviate(response.body());
                if (allowed) {
                    if (status == 401 || status == 403) {
                        failures.add("should get in: " + where);
                    }
                } else {
                    int expected = caller.role() == null ? 401 : 403;
                    if (status != expected) {
                        failures.add("should get " + expected + ": " + where);
                    } else if (!response.headers().firstValue("Content-Type").orElse("")
                            .startsWith("application/problem+json")) {
                        failures.add("refusal is not problem+json: " + where);
                    } else if (expected == 401 && response.headers().firstValue("WWW-Authenticate").isEmpty()) {
                        failures.add("401 without WWW-Authenticate: " + where);
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /** A partner may not upload to another partner's file endpoint, whatever the role table says. */
    @Test
    void aPartnerCannotUploadAsAnotherPartner() {
        List<String> failures = new ArrayList<>();
        for (String caller : PARTNERS) {
            for (String target : PARTNERS) {
                if (!caller.equals(target)) {
                    HttpResponse<String> response = call("POST", "/api/v1/partners/" + target
                            + "/files?name=cross.xml", "test-token-" + caller);
                    if (response.statusCode() != 403 || !response.body().contains("partner-mismatch")) {
                        failures.add(caller + " → " + target + ": " + response.statusCode());
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * What /actuator/health (and its groups and components) and /actuator/info tell a caller without a credential or
     * with a partner's: statuses and component names only; no details (errors, key ids, sizes), no internal path, no
     * version of the gateway, Java or its libraries. Details are for admins (management.endpoint.health.roles).
     */
    @Test
    void healthAndInfoShowNoDetailsPathsOrVersionsToAnyoneButAdmins() {
        List<String> failures = new ArrayList<>();
        for (String token : new String[] {null, "test-token-cd-51", "test-token-auditor"}) {
            for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness",
                    "/actuator/health/ledger", "/actuator/health/db", "/actuator/health/broker",
                    "/actuator/health/diskSpace", "/actuator/info")) {
                HttpResponse<String> response = call("GET", path, token);
                String body = response.body();
                String where = path + " as " + (token == null ? "no credential" : token) + " → "
                        + response.statusCode() + " " + abbreviate(body);
                if (response.statusCode() != 200) {
                    failures.add("not answered: " + where);
                    continue;
                }
                JsonNode json = JSON.readTree(body);
                if (!json.findValues("details").isEmpty()) {
                    failures.add("details shown: " + where);
                }
                for (String leak : List.of(DATA.toString(), System.getProperty("java.version"), "version", "build",
                        "git", "java", "jdbc", "/tmp", "\\")) {
                    if (body.contains(leak)) {
                        failures.add("'" + leak + "' shown: " + where);
                    }
                }
                if (path.equals("/actuator/info") && !json.isEmpty()) {
                    failures.add("info is not empty: " + where);
                }
            }
        }
        JsonNode admin = JSON.readTree(call("GET", "/actuator/health", "test-token-admin").body());
        assertThat(admin.path("components").path("ledger").has("details")).as("admins see details").isTrue();
        assertThat(failures).isEmpty();
    }

    /** Paths no rule names are denied to everyone (docs/security.md, "anything else"): 401 without a credential. */
    @Test
    void whatNoRuleNamesIsDeniedToEveryRole() {
        List<String> failures = new ArrayList<>();
        for (String path : List.of("/api/v1/partners", "/api/v1/exchanges", "/api/v2/exchanges", "/api/v1/file",
                "/api/v1/gateway", "/h2-console", "/")) {
            for (Caller caller : callers()) {
                HttpResponse<String> response = call("GET", path, caller.token());
                int expected = caller.role() == null ? 401 : 403;
                if (response.statusCode() != expected) {
                    failures.add("GET " + path + " as " + caller.name() + " → " + response.statusCode());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /** Tomcat's own refusals (before any filter: a character a URI may not hold) name no server or version. */
    @Test
    void tomcatsOwnRefusalsNameNoServerOrVersion() throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/v1/exchanges/a{b} HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer.toLowerCase(java.util.Locale.ROOT)).doesNotContain("tomcat", "server:", "apache");
        }
    }

    /** Path tricks must not reach an endpoint the caller's role may not use (firewall, exact matching). */
    @Test
    void pathVariantsDoNotBypassTheRules() {
        List<String> variants = List.of("/api/v1/admin/config/", "/api/v1//admin/config", "/api/v1/./admin/config",
                "/api/v1/exchanges/../admin/config", "/api/v1/admin/config;x=y", "/API/v1/admin/config",
                "/api/v1/admin/%63onfig", "/api/v1/gateway/ledger-key/../../admin/config",
                "/api/v1/gateway/ledger-key;/../../admin/config", "/api/v1/audit/events/", "/api/v1/audit//events");
        List<String> failures = new ArrayList<>();
        for (String variant : variants) {
            for (String token : new String[] {null, "test-token-caf-51"}) {
                HttpResponse<String> response = call("GET", variant, token);
                if (response.statusCode() < 400) {
                    failures.add(variant + " as " + token + " → " + response.statusCode());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private Set<String> discovered() {
        Set<String> endpoints = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            Set<String> patterns = info.getPathPatternsCondition() != null
                    ? info.getPathPatternsCondition().getPatternValues() : info.getPatternValues();
            for (String pattern : patterns) {
                if (methods.isEmpty()) {
                    endpoints.add("GET " + pattern);
                } else {
                    methods.forEach(m -> endpoints.add(m.name() + " " + pattern));
                }
            }
        }
        return endpoints;
    }

    /**
     * A concrete path: ids that exist nowhere (so that nothing is read or changed), and for a partner's own upload
     * endpoint the caller's own partner id (so that the role check, not the partner check, is what is walked). The
     * upload is given an invalid name, so that a caller who gets in is refused before anything is stored.
     */
    private static String concrete(String pattern, Caller caller) {
        String path = pattern
                .replace("{partnerId}", caller.partner() != null ? caller.partner() : "cd-51")
                .replace("{exchangeId}", UUID.randomUUID().toString())
                .replace("{fileId}", UUID.randomUUID().toString())
                .replace("{id}", UUID.randomUUID().toString());
        if (pattern.endsWith("/files")) {
            path += "?name=..%2Frole-walk";
        }
        return path;
    }

    private HttpResponse<String> call(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if ("GET".equals(method)) {
            request.GET();
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString("{}"));
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 160 ? body.substring(0, 160) + "…" : body;
    }
}
