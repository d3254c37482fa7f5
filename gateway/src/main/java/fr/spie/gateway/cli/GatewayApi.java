package fr.spie.gateway.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How a command reaches the running gateway's admin API: {@code --url} and {@code --token} (or the environment
 * variables SPIE_GATEWAY_URL and SPIE_ADMIN_TOKEN). A picocli mixin.
 */
public class GatewayApi {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:SPIE_GATEWAY_URL:-http://localhost:8080}",
            description = "the running gateway (default: $SPIE_GATEWAY_URL, else ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SPIE_ADMIN_TOKEN}",
            description = "a bearer token: an admin's; files list also takes an auditor's or a partner's, files "
                    + "show a partner's (the files it sent) (default: $SPIE_ADMIN_TOKEN)")
    String token;

    /** What --url takes, for the messages of a --url that names something else. */
    static final String URL_FORM = "--url (or SPIE_GATEWAY_URL) takes the gateway's address, e.g. "
            + "http://localhost:8080, without /api/...";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The gateway could not be reached (connection refused, timeout, bad URL). */
    public static class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    HttpResponse<String> get(String pathAndQuery) throws Unreachable {
        return send(request(pathAndQuery).GET().build());
    }

    HttpResponse<String> post(String path, String json) throws Unreachable {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    boolean hasToken() {
        return token != null && !token.isBlank();
    }

    /** Why {@code --url} cannot name a gateway (a command-line mistake, exit 2), or null when it can. */
    String urlProblem() {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
            return "--url must be an http:// or https:// URL, e.g. http://localhost:8080; got '" + url + "'";
        }
        return null;
    }

    /**
     * For a 403 or 404 answer when --url has a path: the commands add /api/v1/... to it, so a --url ending in /api or
     * /api/v1 (copied from an API address) asks the gateway for a path it does not serve, which it answers 403 (no
     * role may use it) or 404; null otherwise.
     */
    String pathProblem(int status) {
        String path = URI.create(url.strip()).getPath();
        if ((status != 403 && status != 404) || path == null || path.replaceAll("/+$", "").isEmpty()) {
            return null;
        }
        return "note: --url " + url + " has a path, " + path + ", before the API's /api/v1/...: unless the gateway "
                + "is served under that path, " + URL_FORM;
    }

    private HttpRequest.Builder request(String path) throws Unreachable {
        try {
            return HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                    .timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json");
        } catch (IllegalArgumentException e) {
            throw new Unreachable("bad --url '" + url + "': " + e.getMessage());
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws Unreachable {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new Unreachable("cannot reach the gateway at " + url + ": connection refused (is it running, on "
                    + "that host and port? give --url or set SPIE_GATEWAY_URL)");
        } catch (java.net.http.HttpTimeoutException e) {
            throw new Unreachable("cannot reach the gateway at " + url + ": no answer in time (" + e.getMessage()
                    + ")");
        } catch (IOException e) {
            throw new Unreachable("cannot reach the gateway at " + url + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }
}
