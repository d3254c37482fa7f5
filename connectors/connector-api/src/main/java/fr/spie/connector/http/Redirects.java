package fr.spie.connector.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A partner's 3xx answer. Redirects are never followed: the record, its signature and the credentials go only to the
 * address the configuration names. 301 and 308 say the endpoint moved for good: a permanent failure, whose reason
 * says where to (the Location as scheme, host, port and path: never its query, fragment or user info) and that the
 * configuration is to be fixed. The other 3xx (302, 303, 307...) are temporary: the call is tried again later, at the
 * configured address. Same rule for every transport (spie-json, imilo-api, france-travail-api).
 */
public final class Redirects {
    /** Longest Location path quoted in a reason. */
    static final int MAX_PATH = 200;

    private Redirects() {
    }

    public static boolean isRedirect(int status) {
        return status >= 300 && status < 400;
    }

    /** 301 Moved Permanently, 308 Permanent Redirect. */
    public static boolean movedPermanently(int status) {
        return status == 301 || status == 308;
    }

    /**
     * Why a 301 or 308 ends the delivery, e.g. {@code the endpoint moved permanently to https://new.example/records:
     * redirects are not followed, fix delivery.url in the configuration}.
     *
     * @param request the address called, against which a relative Location is read
     * @param setting the configuration key that holds the address, e.g. {@code delivery.url}
     * @param hidden  values that may appear in the path and must not be quoted (e.g. a person's dossier id): each is
     *                shown as {@code …}
     */
    public static String movedReason(HttpHeaders headers, URI request, String setting, String... hidden) {
        String to = location(headers, request, hidden).map(l -> " to " + l).orElse(" (no readable Location)");
        return "the endpoint moved permanently" + to + ": redirects are not followed, fix " + setting
                + " in the configuration";
    }

    /** The Location as {@code scheme://host[:port]/path}; empty when absent or unreadable. */
    static Optional<String> location(HttpHeaders headers, URI request, String... hidden) {
        Optional<String> value = headers.firstValue("Location");
        if (value.isEmpty() || value.get().isBlank()) {
            return Optional.empty();
        }
        URI location;
        try {
            location = request == null ? new URI(value.get().trim()) : request.resolve(new URI(value.get().trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (location.getScheme() == null || location.getHost() == null) {
            return Optional.empty();
        }
        String path = location.getRawPath() == null ? "" : location.getRawPath();
        for (String h : hidden) {
            if (h != null && !h.isBlank()) {
                path = path.replace(h, "…");
            }
        }
        if (path.length() > MAX_PATH) {
            path = path.substring(0, MAX_PATH) + "…";
        }
        return Optional.of(location.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + location.getHost()
                + (location.getPort() < 0 ? "" : ":" + location.getPort()) + path);
    }
}
