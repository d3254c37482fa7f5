package fr.spie.connector.francetravail;

import fr.spie.connector.OutboundMessage;
import fr.spie.connector.http.RetryAfter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * France Travail partner APIs (realm /partenaire): OAuth2 client_credentials, rechercher-usager v2 (NIR + birth date →
 * jeton usager), diagnostic argumenté, orientation (read / send) and rendez-vous partenaire. java.net.http + Jackson;
 * thread-safe. Never logs nor puts in exception messages the NIR or the jeton usager.
 *
 * <p>Errors: 401 → the token is renewed and the call retried once; 429 → {@link FranceTravailRateLimitedException}
 * with Retry-After; 5xx and network errors → retryable {@link FranceTravailApiException}; other 4xx → non-retryable,
 * with France Travail's error code in the message. The client does not sleep nor retry by itself (except the one
 * 401 retry): the caller's scheduler decides.
 */
public final class FranceTravailApiClient {

    public static final String TOKEN_PATH = "/connexion/oauth2/access_token";
    public static final String RECHERCHER_USAGER_PATH = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir";
    public static final String DIAGNOSTIC_PATH = "/partenaire/diagnosticargumente/v1/individus";
    public static final String LECTURE_ORIENTATION_PATH = "/partenaire/orientationusager/v1/lectureOrientation";

    private static final Pattern NIR = Pattern.compile("^[12][0-9]{2}(0[1-9]|1[0-2]|[2-9][0-9])(2[AB]|[0-9]{2})[0-9]{6}([0-9]{2})?$");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FranceTravailApiConfig config;
    private final HttpClient http;
    private final Clock clock;
    private final FranceTravailDiagnosticMapper diagnosticMapper;
    private final FranceTravailOrientationReader orientationReader;
    private final FranceTravailApiOutboundMapper outboundMapper;

    private final Object tokenLock = new Object();
    private String token;
    private Instant tokenRenewAt = Instant.MIN;

    public FranceTravailApiClient(FranceTravailApiConfig config) {
        this(config, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), Clock.systemUTC());
    }

    public FranceTravailApiClient(FranceTravailApiConfig config, HttpClient http, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.diagnosticMapper = new FranceTravailDiagnosticMapper(config.partnerId());
        this.orientationReader = new FranceTravailOrientationReader(config.partnerId());
        this.outboundMapper = new FranceTravailApiOutboundMapper(config.agent());
    }

    // ------------------------------------------------------------------ API

    /**
     * POST rechercher-usager v2 with {@code {dateNaissance, nir}}. S001 → Found, S002 → NotFound, S003 → Ambiguous
     * (HTTP 200 for all three), 403 (R001) → AccessDenied.
     */
    public UsagerSearchResult rechercherUsager(String nir, LocalDate dateNaissance) throws FranceTravailApiException {
        Objects.requireNonNull(dateNaissance, "dateNaissance");
        if (nir == null || !NIR.matcher(nir).matches()) {
            throw new IllegalArgumentException("nir must be 13 or 15 characters (NIR format)");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("dateNaissance", dateNaissance.toString());
        body.put("nir", nir);
        HttpResponse<String> r = call("POST", RECHERCHER_USAGER_PATH, null, JSON.writeValueAsBytes(body), Map.of(), true);
        if (r.statusCode() == 403) {
            JsonNode err = parseOrEmpty(r.body());
            return new UsagerSearchResult.AccessDenied(errorCode(err).orElse("R001"), errorMessage(err).orElse("access denied"));
        }
        expectSuccess(r, "POST", RECHERCHER_USAGER_PATH);
        JsonNode json = parse(r, RECHERCHER_USAGER_PATH);
        String code = FranceTravailDiagnosticMapper.text(json, "codeRetour");
        String message = FranceTravailDiagnosticMapper.text(json, "message");
        if (code == null) {
            throw new FranceTravailApiException("rechercher-usager: response without codeRetour", r.statusCode(), null, false, null, null);
        }
        return switch (code) {
            case "S001" -> {
                String jeton = FranceTravailDiagnosticMapper.text(json, "jetonUsager");
                if (jeton == null) {
                    throw new FranceTravailApiException("rechercher-usager: S001 without jetonUsager", r.statusCode(), code, false, null, null);
                }
                yield new UsagerSearchResult.Found(code, jeton, "O".equals(FranceTravailDiagnosticMapper.text(json, "topIdentiteCertifiee")));
            }
            case "S002" -> new UsagerSearchResult.NotFound(code, message);
            case "S003" -> new UsagerSearchResult.Ambiguous(code, message);
            default -> throw new FranceTravailApiException("rechercher-usager: unexpected codeRetour " + code
                    + (message == null ? "" : " (" + message + ")"), r.statusCode(), code, false, null, null);
        };
    }

    /** GET diagnostic argumenté → SPIE diagnostic payload; empty on 204 or when FT has neither besoins nor contraintes. */
    public Optional<ObjectNode> diagnostic(String jetonUsager) throws FranceTravailApiException {
        Optional<JsonNode> json = getJson(DIAGNOSTIC_PATH, jetonUsager);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        try {
            return diagnosticMapper.map(json.get());
        } catch (IllegalArgumentException e) {
            throw new FranceTravailApiException(e.getMessage(), 200, null, false, null, e);
        }
    }

    /** GET lectureOrientation → SPIE orientation payload; 204 (no orientation) → empty. */
    public Optional<ObjectNode> orientation(String jetonUsager) throws FranceTravailApiException {
        Optional<JsonNode> json = getJson(LECTURE_ORIENTATION_PATH, jetonUsager);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        try {
            return orientationReader.map(json.get());
        } catch (IllegalArgumentException e) {
            throw new FranceTravailApiException(e.getMessage(), 200, null, false, null, e);
        }
    }

    /**
     * POST orientationusager/v1/orientation with {origine, parcours, organisme}.
     *
     * @return France Travail's response body (empty object when none)
     * @throws IllegalArgumentException when the orientation cannot be expressed for France Travail
     */
    public JsonNode sendOrientation(String jetonUsager, JsonNode orientationPayload) throws FranceTravailApiException {
        return send(jetonUsager, outboundMapper.map("orientation", JsonNodeFactory.instance.objectNode(), orientationPayload));
    }

    /** POST rendez-vous-partenaire/v1/rendez-vous (FORMATS.md §2.3 shape). */
    public JsonNode sendAppointment(String jetonUsager, JsonNode appointmentPayload) throws FranceTravailApiException {
        return send(jetonUsager, outboundMapper.map("appointment", JsonNodeFactory.instance.objectNode(), appointmentPayload));
    }

    // ------------------------------------------------------------------ plumbing

    private JsonNode send(String jetonUsager, OutboundMessage message) throws FranceTravailApiException {
        requireJeton(jetonUsager);
        String path = "/partenaire/" + message.resource();
        HttpResponse<String> r = call("POST", path, jetonUsager, message.body(), message.headers(), true);
        expectSuccess(r, "POST", path);
        return r.body() == null || r.body().isBlank() ? JsonNodeFactory.instance.objectNode() : parse(r, path);
    }

    private Optional<JsonNode> getJson(String path, String jetonUsager) throws FranceTravailApiException {
        requireJeton(jetonUsager);
        HttpResponse<String> r = call("GET", path, jetonUsager, null, Map.of(), true);
        if (r.statusCode() == 204 || (r.statusCode() == 200 && (r.body() == null || r.body().isBlank()))) {
            return Optional.empty();
        }
        expectSuccess(r, "GET", path);
        return Optional.of(parse(r, path));
    }

    private static void requireJeton(String jetonUsager) {
        if (jetonUsager == null || jetonUsager.isBlank()) {
            throw new IllegalArgumentException("jetonUsager is required");
        }
    }

    private HttpResponse<String> call(String method, String path, String jetonUsager, byte[] body,
                                      Map<String, String> extraHeaders, boolean retryOn401) throws FranceTravailApiException {
        String bearer = accessToken();
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(config.apiBaseUrl(), path))
                .timeout(config.timeout())
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json")
                .header("pa-identifiant-agent", config.agent().identifiant())
                .header("pa-nom-agent", config.agent().nom())
                .header("pa-prenom-agent", config.agent().prenom());
        if (jetonUsager != null) {
            b.header("ft-jeton-usager", jetonUsager);
        }
        extraHeaders.forEach((k, v) -> {
            if (!k.startsWith("pa-")) { // the agent headers are already set from config
                b.header(k, v);
            }
        });
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = execute(b.build(), method, path);
        if (r.statusCode() == 401) {
            invalidate(bearer);
            if (retryOn401) {
                return call(method, path, jetonUsager, body, extraHeaders, false);
            }
            throw failure(r, method, path, "unauthorized even with a renewed token");
        }
        if (r.statusCode() == 429) {
            JsonNode err = parseOrEmpty(r.body());
            Duration retryAfter = retryAfter(r).orElse(null);
            throw new FranceTravailRateLimitedException("France Travail " + method + " " + path + " → 429 rate limited"
                    + (retryAfter == null ? "" : ", retry after " + retryAfter.toSeconds() + "s"), errorCode(err).orElse(null), retryAfter);
        }
        return r;
    }

    private HttpResponse<String> execute(HttpRequest request, String method, String path) throws FranceTravailApiException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FranceTravailApiException("France Travail " + method + " " + path + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), 0, null, true, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FranceTravailApiException("France Travail " + method + " " + path + ": interrupted", 0, null, false, null, e);
        }
    }

    private void expectSuccess(HttpResponse<String> r, String method, String path) throws FranceTravailApiException {
        if (r.statusCode() / 100 != 2) {
            throw failure(r, method, path, null);
        }
    }

    private FranceTravailApiException failure(HttpResponse<String> r, String method, String path, String what) {
        JsonNode err = parseOrEmpty(r.body());
        Optional<String> code = errorCode(err);
        Optional<String> msg = errorMessage(err);
        int status = r.statusCode();
        boolean retryable = status >= 500;
        String text = "France Travail " + method + " " + path + " → " + status
                + code.map(c -> " [" + c + "]").orElse("")
                + msg.map(m -> " " + FranceTravailDiagnosticMapper.truncate(m, 200)).orElse("")
                + (what == null ? "" : " (" + what + ")");
        return new FranceTravailApiException(text, status, code.orElse(null), retryable,
                retryable ? retryAfter(r).orElse(null) : null, null);
    }

    private JsonNode parse(HttpResponse<String> r, String path) throws FranceTravailApiException {
        try {
            return JSON.readTree(r.body());
        } catch (JacksonException e) {
            throw new FranceTravailApiException("France Travail " + path + ": response is not JSON", r.statusCode(), null, false, null, e);
        }
    }

    private static JsonNode parseOrEmpty(String body) {
        if (body == null || body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? JsonNodeFactory.instance.objectNode() : n;
        } catch (JacksonException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    private static Optional<String> errorCode(JsonNode err) {
        for (String f : new String[] {"codeRetour", "code", "codeErreur", "error"}) {
            if (err.isObject() && FranceTravailDiagnosticMapper.text(err, f) != null) {
                return Optional.of(FranceTravailDiagnosticMapper.text(err, f));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> errorMessage(JsonNode err) {
        for (String f : new String[] {"message", "libelle", "error_description"}) {
            if (err.isObject() && FranceTravailDiagnosticMapper.text(err, f) != null) {
                return Optional.of(FranceTravailDiagnosticMapper.text(err, f));
            }
        }
        return Optional.empty();
    }

    /** Retry-After as delta-seconds or HTTP-date. */
    private Optional<Duration> retryAfter(HttpResponse<String> r) {
        return RetryAfter.of(r.headers(), clock);
    }

    private static URI resolve(URI base, String pathAndQuery) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + pathAndQuery);
    }

    // ------------------------------------------------------------------ token

    /** The cached access token, fetched when absent or about to expire (a tenth of its lifetime, at most 60 s, early). */
    String accessToken() throws FranceTravailApiException {
        synchronized (tokenLock) {
            Instant now = clock.instant();
            if (token != null && now.isBefore(tokenRenewAt)) {
                return token;
            }
            String form = "grant_type=client_credentials"
                    + "&client_id=" + urlEncode(config.clientId())
                    + "&client_secret=" + urlEncode(config.clientSecret())
                    + "&scope=" + urlEncode(config.scope());
            String path = TOKEN_PATH + "?realm=/partenaire";
            HttpRequest request = HttpRequest.newBuilder(resolve(config.authBaseUrl(), path))
                    .timeout(config.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                    .build();
            HttpResponse<String> r = execute(request, "POST", TOKEN_PATH);
            if (r.statusCode() == 429) {
                throw new FranceTravailRateLimitedException("France Travail token endpoint → 429 rate limited", null,
                        retryAfter(r).orElse(null));
            }
            if (r.statusCode() != 200) {
                throw failure(r, "POST", TOKEN_PATH, r.statusCode() < 500 ? "token request refused: check client id, secret and scopes" : null);
            }
            JsonNode json = parseOrEmpty(r.body());
            String access = FranceTravailDiagnosticMapper.text(json, "access_token");
            if (access == null) {
                throw new FranceTravailApiException("France Travail token endpoint: no access_token in response", 200, null, false, null, null);
            }
            long expiresIn = json.path("expires_in").asLong(0);
            if (expiresIn <= 0) {
                expiresIn = 60;
            }
            long early = Math.min(60, Math.max(1, expiresIn / 10));
            token = access;
            tokenRenewAt = now.plusSeconds(expiresIn - early);
            return token;
        }
    }

    private void invalidate(String used) {
        synchronized (tokenLock) {
            if (used.equals(token)) {
                token = null;
            }
        }
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
