package fr.spie.connector.francetravail;

import fr.spie.connector.http.Redirects;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * The OAuth2 client_credentials access token of one France Travail partner (realm /partenaire): fetched when absent,
 * cached, renewed a little before it expires, and dropped when France Travail refused it. Thread-safe.
 */
final class FranceTravailAccessToken {

    /** Lifetime of a token whose answer gives none. */
    static final long DEFAULT_LIFETIME_SECONDS = 60;
    /** Longest a token is kept, whatever its answer says: a day. */
    static final long MAX_LIFETIME_SECONDS = 24 * 60 * 60;

    private final FranceTravailApiConfig config;
    private final FranceTravailHttp http;
    private final Clock clock;

    private final Object lock = new Object();
    private String token;
    private Instant renewAt = Instant.MIN;

    FranceTravailAccessToken(FranceTravailApiConfig config, FranceTravailHttp http, Clock clock) {
        this.config = config;
        this.http = http;
        this.clock = clock;
    }

    /**
     * The cached access token, fetched when absent or about to expire (a tenth of its lifetime, at most 60 s, early).
     * The lock is held while fetching: deliveries that need a token at once wait for one fetch.
     */
    String get() throws FranceTravailApiException {
        synchronized (lock) {
            Instant now = clock.instant();
            if (token != null && now.isBefore(renewAt)) {
                return token;
            }
            String form = "grant_type=client_credentials"
                    + "&client_id=" + urlEncode(config.clientId())
                    + "&client_secret=" + urlEncode(config.clientSecret())
                    + "&scope=" + urlEncode(config.scope());
            String path = FranceTravailApiClient.TOKEN_PATH + "?realm=/partenaire";
            HttpRequest request = HttpRequest.newBuilder(FranceTravailHttp.resolve(config.authBaseUrl(), path))
                    .timeout(config.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                    .build();
            HttpResponse<String> r = http.execute(request, "POST", FranceTravailApiClient.TOKEN_PATH);
            if (r.statusCode() == 429) {
                throw new FranceTravailRateLimitedException("France Travail token endpoint → 429 rate limited", null,
                        http.retryAfter(r).orElse(null));
            }
            if (r.statusCode() != 200) {
                throw http.failure(r, "POST", FranceTravailApiClient.TOKEN_PATH,
                        FranceTravailHttp.retryable(r.statusCode()) || Redirects.isRedirect(r.statusCode()) ? null
                                : "token request refused: check client id, secret and scopes");
            }
            JsonNode json = FranceTravailHttp.parseOrEmpty(r.body());
            String access = FranceTravailDiagnosticMapper.text(json, "access_token");
            if (access == null) {
                // a 200 without a token (not JSON, empty, a proxy's page) says nothing of the records waiting for
                // it: retryable, so that they are tried again later rather than all dead-lettered at once
                throw new FranceTravailApiException("France Travail token endpoint → 200 without access_token"
                        + " (no access_token in response, tried again later)", 200, null, true, null, null);
            }
            long expiresIn = lifetimeSeconds(json.path("expires_in"));
            long early = Math.min(60, Math.max(1, expiresIn / 10));
            token = access;
            renewAt = now.plusSeconds(expiresIn - early);
            return token;
        }
    }

    /**
     * The token's lifetime France Travail gave ({@code expires_in}, seconds): 60 s when it gives none (or not a
     * positive number), a day at most, however long it says (a lifetime beyond that is no reason to keep a
     * credential; one of billions of years made the renewal instant overflow).
     */
    static long lifetimeSeconds(JsonNode expiresIn) {
        double seconds = expiresIn.asDouble(0);
        if (!(seconds >= 1)) {
            return DEFAULT_LIFETIME_SECONDS;
        }
        return (long) Math.min(seconds, MAX_LIFETIME_SECONDS);
    }

    /** Forgets the token France Travail refused (401), unless another thread already replaced it. */
    void invalidate(String used) {
        synchronized (lock) {
            if (used.equals(token)) {
                token = null;
            }
        }
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
