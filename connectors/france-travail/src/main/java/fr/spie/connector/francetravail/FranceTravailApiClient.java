package fr.spie.connector.francetravail;

import fr.spie.connector.OutboundMessage;
import fr.spie.connector.identity.Nir;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * France Travail partner APIs (realm /partenaire): OAuth2 client_credentials, rechercher-usager v2 (NIR + birth date →
 * jeton usager), diagnostic argumenté, orientation (read / send) and rendez-vous partenaire (create, update).
 * java.net.http + Jackson; thread-safe. Never logs nor puts in exception messages the NIR or the jeton usager.
 *
 * <p>Errors: 401 → the token is renewed and the call retried once; 429 → {@link FranceTravailRateLimitedException}
 * with Retry-After; 5xx, 408, 425 and network errors → retryable {@link FranceTravailApiException}; other 4xx →
 * non-retryable, with France Travail's error code in the message; redirects are not followed (301/308 →
 * non-retryable, saying where the endpoint moved; other 3xx → retryable). The client does not sleep nor retry by itself
 * (except the one 401 retry): the caller's scheduler decides.
 *
 * <p>This class makes the partner calls and reads their results; {@link FranceTravailAccessToken} holds the OAuth2
 * token and {@link FranceTravailHttp} sends requests and turns error responses into exceptions.
 */
public final class FranceTravailApiClient {

    public static final String TOKEN_PATH = "/connexion/oauth2/access_token";
    public static final String RECHERCHER_USAGER_PATH = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir";
    public static final String DIAGNOSTIC_PATH = "/partenaire/diagnosticargumente/v1/individus";
    public static final String LECTURE_ORIENTATION_PATH = "/partenaire/orientationusager/v1/lectureOrientation";
    public static final String RENDEZ_VOUS_PATH = "/partenaire/" + FranceTravailApiOutboundMapper.RENDEZ_VOUS_RESOURCE;
    /** France Travail's error code for an appointment id it does not know (rendez-vous-partenaire). */
    public static final String ID_NON_RECONNU = "ID_NON_RECONNU";
    /** The longest France Travail appointment id kept (longer ones are not France Travail's). */
    public static final int MAX_APPOINTMENT_ID_LENGTH = 128;

    private final FranceTravailApiConfig config;
    private final FranceTravailHttp http;
    private final FranceTravailAccessToken token;
    private final FranceTravailDiagnosticMapper diagnosticMapper;
    private final FranceTravailOrientationReader orientationReader;
    private final FranceTravailApiOutboundMapper outboundMapper;

    public FranceTravailApiClient(FranceTravailApiConfig config) {
        this(config, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), Clock.systemUTC());
    }

    public FranceTravailApiClient(FranceTravailApiConfig config, HttpClient http, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = new FranceTravailHttp(Objects.requireNonNull(http, "http"), Objects.requireNonNull(clock, "clock"));
        this.token = new FranceTravailAccessToken(config, this.http, clock);
        this.diagnosticMapper = new FranceTravailDiagnosticMapper(config.partnerId());
        this.orientationReader = new FranceTravailOrientationReader(config.partnerId());
        this.outboundMapper = new FranceTravailApiOutboundMapper(config.agent());
    }

    // ------------------------------------------------------------------ API

    /**
     * POST rechercher-usager v2 with {@code {dateNaissance, nir}}. S001 → Found, S002 → NotFound, S003 → Ambiguous
     * (HTTP 200 for all three), 403 (R001) → AccessDenied.
     *
     * <p>The NIR is sent with its key (15 characters; the key computed when a 13-character NIR is given), as France
     * Travail's other partners do (WebRSA computes it, rdv-insertion and les emplois keep 15-character NIRs). A
     * 15-character NIR whose key does not match is refused before any call: a mistyped NIR is never looked up.
     *
     * @throws IllegalArgumentException when {@code nir} is not a personal NIR or its key does not match (the message
     *                                  never contains the value)
     */
    public UsagerSearchResult rechercherUsager(String nir, LocalDate dateNaissance) throws FranceTravailApiException {
        Objects.requireNonNull(dateNaissance, "dateNaissance");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("dateNaissance", dateNaissance.toString());
        body.put("nir", withKey(nir));
        byte[] request = FranceTravailHttp.JSON.writeValueAsBytes(body);
        HttpResponse<String> r = call("POST", RECHERCHER_USAGER_PATH, null, request, Map.of(), true);
        if (r.statusCode() == 403) {
            JsonNode err = FranceTravailHttp.parseOrEmpty(r.body());
            return new UsagerSearchResult.AccessDenied(
                    FranceTravailHttp.errorCode(err).flatMap(PartnerErrorText::code).orElse("R001"), "access denied");
        }
        http.expectSuccess(r, "POST", RECHERCHER_USAGER_PATH);
        JsonNode json = FranceTravailHttp.parse(r, RECHERCHER_USAGER_PATH);
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
                yield new UsagerSearchResult.Found(code, jeton,
                        identityCertified(FranceTravailDiagnosticMapper.text(json, "topIdentiteCertifiee")));
            }
            case "S002" -> new UsagerSearchResult.NotFound(code, message);
            case "S003" -> new UsagerSearchResult.Ambiguous(code, message);
            default -> throw new FranceTravailApiException("rechercher-usager: unexpected codeRetour"
                    + PartnerErrorText.code(code).map(c -> " " + c).orElse(" (not shown: not shaped like a code)"),
                    r.statusCode(), PartnerErrorText.code(code).orElse(null), false, null, null);
        };
    }

    /**
     * rechercher-usager's {@code topIdentiteCertifiee}: O is certified; absent or empty is not stated (null); N and
     * any other value are not certified (a certification is never guessed).
     */
    static Boolean identityCertified(String topIdentiteCertifiee) {
        if (topIdentiteCertifiee == null || topIdentiteCertifiee.isBlank()) {
            return null;
        }
        return "O".equals(topIdentiteCertifiee.strip());
    }

    /** The NIR as France Travail takes it: 15 characters, key included. */
    private static String withKey(String nir) {
        if (nir == null) {
            throw new IllegalArgumentException("nir is required");
        }
        Nir parsed;
        try {
            parsed = Nir.parse(nir);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nir must be 13 or 15 characters (NIR format): " + e.getMessage());
        }
        if (!parsed.conformsToSpieSchema()) {
            throw new IllegalArgumentException("nir must be 13 or 15 characters (NIR format)");
        }
        if (parsed.hasKey() && !parsed.hasValidKey()) {
            throw new IllegalArgumentException("the NIR's key does not match its 13 first characters: not looked up,"
                    + " so that a mistyped NIR is never matched to someone else");
        }
        return parsed.withKey();
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
     * @return France Travail's response body (empty object when none or not JSON)
     * @throws IllegalArgumentException when the orientation cannot be expressed for France Travail
     */
    public JsonNode sendOrientation(String jetonUsager, JsonNode orientationPayload) throws FranceTravailApiException {
        return send(jetonUsager, outboundMapper.map("orientation", JsonNodeFactory.instance.objectNode(), orientationPayload));
    }

    /**
     * POST rendez-vous-partenaire/v1/rendez-vous (FORMATS.md §2.3 shape): creates the appointment at France Travail.
     *
     * @return France Travail's id of the new appointment (the {@code id} of its answer, as rdv-insertion reads it),
     *         which {@link #updateAppointment} needs; empty when the answer carries none usable (no JSON, no
     *         {@code id}, or one that is not 1 to {@value #MAX_APPOINTMENT_ID_LENGTH} printable ASCII characters)
     * @throws IllegalArgumentException when the appointment cannot be expressed for France Travail
     */
    public Optional<String> createAppointment(String jetonUsager, JsonNode appointmentPayload)
            throws FranceTravailApiException {
        JsonNode answer = send(jetonUsager, outboundMapper.map("appointment", JsonNodeFactory.instance.objectNode(),
                appointmentPayload));
        return appointmentId(answer.path("id"));
    }

    private static Optional<String> appointmentId(JsonNode id) {
        String value = id.isString() || id.isIntegralNumber() ? id.asString() : "";
        boolean usable = !value.isEmpty() && value.length() <= MAX_APPOINTMENT_ID_LENGTH
                && value.chars().allMatch(c -> c > 0x20 && c < 0x7F);
        return usable ? Optional.of(value) : Optional.empty();
    }

    /**
     * PUT rendez-vous-partenaire/v1/rendez-vous: the new state of an appointment France Travail already has (its
     * {@code id} in the body, the rest as {@link #createAppointment}); a cancellation is this call with statut ANNULE,
     * as rdv-insertion sends it.
     *
     * @return false when France Travail does not know this id — 404, or its error code {@value #ID_NON_RECONNU}
     *         (rdv-insertion meets it, with HTTP 400, after France Travail merged duplicate users): the caller creates
     *         the appointment again
     * @throws IllegalArgumentException when the appointment cannot be expressed for France Travail
     */
    public boolean updateAppointment(String jetonUsager, String franceTravailId, JsonNode appointmentPayload)
            throws FranceTravailApiException {
        if (franceTravailId == null || franceTravailId.isBlank()) {
            throw new IllegalArgumentException("France Travail's id of the appointment is required");
        }
        requireJeton(jetonUsager);
        OutboundMessage mapped = outboundMapper.map("appointment", JsonNodeFactory.instance.objectNode(),
                appointmentPayload);
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("id", franceTravailId);
        body.setAll((ObjectNode) FranceTravailHttp.JSON.readTree(mapped.body()));
        String path = "/partenaire/" + mapped.resource();
        HttpResponse<String> r = call("PUT", path, jetonUsager, FranceTravailHttp.JSON.writeValueAsBytes(body),
                mapped.headers(), true);
        if (r.statusCode() == 404 || (r.statusCode() / 100 == 4 && FranceTravailHttp.errorCode(
                FranceTravailHttp.parseOrEmpty(r.body())).filter(ID_NON_RECONNU::equals).isPresent())) {
            return false;
        }
        http.expectSuccess(r, "PUT", path);
        return true;
    }

    // ------------------------------------------------------------------ calls

    private JsonNode send(String jetonUsager, OutboundMessage message) throws FranceTravailApiException {
        requireJeton(jetonUsager);
        String path = "/partenaire/" + message.resource();
        HttpResponse<String> r = call("POST", path, jetonUsager, message.body(), message.headers(), true);
        http.expectSuccess(r, "POST", path);
        // accepted: what the body holds cannot undo that (a failure here would dead-letter, then resend, a record
        // France Travail has)
        return FranceTravailHttp.parseOrEmpty(r.body());
    }

    private Optional<JsonNode> getJson(String path, String jetonUsager) throws FranceTravailApiException {
        requireJeton(jetonUsager);
        HttpResponse<String> r = call("GET", path, jetonUsager, null, Map.of(), true);
        if (r.statusCode() == 204 || (r.statusCode() == 200 && (r.body() == null || r.body().isBlank()))) {
            return Optional.empty();
        }
        http.expectSuccess(r, "GET", path);
        return Optional.of(FranceTravailHttp.parse(r, path));
    }

    private static void requireJeton(String jetonUsager) {
        if (jetonUsager == null || jetonUsager.isBlank()) {
            throw new IllegalArgumentException("jetonUsager is required");
        }
    }

    private HttpResponse<String> call(String method, String path, String jetonUsager, byte[] body,
                                      Map<String, String> extraHeaders, boolean retryOn401) throws FranceTravailApiException {
        String bearer = token.get();
        HttpRequest.Builder b = HttpRequest.newBuilder(FranceTravailHttp.resolve(config.apiBaseUrl(), path))
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
        HttpResponse<String> r = http.execute(b.build(), method, path);
        if (r.statusCode() == 401) {
            token.invalidate(bearer);
            if (retryOn401) {
                return call(method, path, jetonUsager, body, extraHeaders, false);
            }
            throw http.failure(r, method, path, "unauthorized even with a renewed token");
        }
        if (r.statusCode() == 429) {
            JsonNode err = FranceTravailHttp.parseOrEmpty(r.body());
            Duration retryAfter = http.retryAfter(r).orElse(null);
            throw new FranceTravailRateLimitedException("France Travail " + method + " " + path + " → 429 rate limited"
                    + (retryAfter == null ? "" : ", retry after " + retryAfter.toSeconds() + "s"),
                    FranceTravailHttp.errorCode(err).orElse(null), retryAfter);
        }
        return r;
    }
}
