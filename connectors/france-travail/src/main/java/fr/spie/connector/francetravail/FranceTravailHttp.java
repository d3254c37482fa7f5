package fr.spie.connector.francetravail;

import fr.spie.connector.http.Redirects;
import fr.spie.connector.http.RetryAfter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Sends one request to France Travail and reads what comes back: network errors and error responses become
 * {@link FranceTravailApiException} (with the status and France Travail's error code, never its free text: 5xx, 408, 425 and the temporary
 * redirects retryable with Retry-After; redirects are never followed), bodies are parsed as JSON. No authentication, no retry. Thread-safe.
 */
final class FranceTravailHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The largest answer body read (France Travail's answers are a few kilobytes). */
    static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
    /** How long an answer's body may take after its headers, when the request has no timeout. */
    private static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final Clock clock;

    FranceTravailHttp(HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    HttpResponse<String> execute(HttpRequest request, String method, String path) throws FranceTravailApiException {
        try {
            return http.send(request, new BoundedStringBody(MAX_BODY_BYTES,
                    request.timeout().orElse(DEFAULT_BODY_TIMEOUT)));
        } catch (IOException e) {
            throw new FranceTravailApiException("France Travail " + method + " " + path + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), 0, null, true, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FranceTravailApiException("France Travail " + method + " " + path + ": interrupted", 0, null, false, null, e);
        }
    }

    void expectSuccess(HttpResponse<String> r, String method, String path) throws FranceTravailApiException {
        if (r.statusCode() / 100 != 2) {
            throw failure(r, method, path, null);
        }
    }

    /** @param what why the call failed, beyond the status and France Travail's error; or null */
    FranceTravailApiException failure(HttpResponse<String> r, String method, String path, String what) {
        JsonNode err = parseOrEmpty(r.body());
        Optional<String> code = errorCode(err).flatMap(PartnerErrorText::code);
        int status = r.statusCode();
        boolean retryable = retryable(status);
        String text = "France Travail " + method + " " + path + " → " + status
                + code.map(c -> " [" + c + "]").orElse("")
                + (what == null ? "" : " (" + what + ")")
                + (Redirects.movedPermanently(status) ? ": " + Redirects.movedReason(r.headers(), r.uri(),
                        path.startsWith(FranceTravailApiClient.TOKEN_PATH) ? "authUrl" : "apiUrl")
                        : Redirects.isRedirect(status) ? " (redirect not followed)" : "");
        return new FranceTravailApiException(text, status, code.orElse(null), retryable,
                retryable ? retryAfter(r).orElse(null) : null, null);
    }

    /**
     * 5xx, the 4xx that say "later" (408 Request Timeout, 425 Too Early; 429 is handled before), and the redirects
     * other than 301 and 308 (not followed: {@link Redirects}). 409 is not: these APIs take no Idempotency-Key.
     */
    static boolean retryable(int status) {
        if (Redirects.isRedirect(status)) {
            return !Redirects.movedPermanently(status);
        }
        return status >= 500 || status == 408 || status == 425;
    }

    static JsonNode parse(HttpResponse<String> r, String path) throws FranceTravailApiException {
        try {
            return JSON.readTree(r.body());
        } catch (JacksonException e) {
            throw new FranceTravailApiException("France Travail " + path + ": response is not JSON", r.statusCode(), null, false, null, e);
        }
    }

    /** The body as JSON; an empty object when there is none or it is not JSON. */
    static JsonNode parseOrEmpty(String body) {
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

    static Optional<String> errorCode(JsonNode err) {
        return firstText(err, "codeRetour", "code", "codeErreur", "error");
    }

    private static Optional<String> firstText(JsonNode err, String... fields) {
        for (String f : fields) {
            if (err.isObject() && FranceTravailDiagnosticMapper.text(err, f) != null) {
                return Optional.of(FranceTravailDiagnosticMapper.text(err, f));
            }
        }
        return Optional.empty();
    }

    /** Retry-After as delta-seconds or HTTP-date. */
    Optional<Duration> retryAfter(HttpResponse<String> r) {
        return RetryAfter.of(r.headers(), clock);
    }

    static URI resolve(URI base, String pathAndQuery) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + pathAndQuery);
    }
}
