package fr.spie.gateway.web;

import fr.spie.gateway.intake.IntakeRejection;
import org.springframework.http.HttpStatus;

/**
 * The problem for an error status that no endpoint described: one the servlet container set itself (a request line,
 * path, query or headers it cannot read) or a {@code sendError} that reached the error page. It says what kind of
 * request gets that status, never the container's or the exception's own message (which may quote the request or
 * name the gateway's classes).
 */
public final class ContainerErrorProblems {
    private ContainerErrorProblems() {
    }

    public static IntakeRejection forStatus(int status) {
        return switch (status) {
            case 400 -> new IntakeRejection(400, "malformed-request", "Malformed request", "the request could not be "
                    + "read: its request line, path, query string or headers are malformed or too large (an encoded "
                    + "'/' or '\\' in the path, a percent-encoding that is not UTF-8, a request line or headers beyond "
                    + "8 KB)");
            case 404 -> new IntakeRejection(404, "not-found", "Not found", "no endpoint of the gateway has this path");
            case 405 -> new IntakeRejection(405, "method-not-allowed", "Method not allowed",
                    "this path does not take this HTTP method");
            case 408 -> new IntakeRejection(408, "request-timeout", "Request timeout",
                    "the request was not received in time");
            case 413 -> new IntakeRejection(413, "payload-too-large", "Payload too large",
                    "the request is larger than the gateway reads");
            case 414 -> new IntakeRejection(414, "uri-too-long", "URI too long",
                    "the request line is longer than the gateway reads (8 KB)");
            case 431 -> new IntakeRejection(431, "headers-too-large", "Request headers too large",
                    "the request's headers are larger than the gateway reads (8 KB)");
            case 500 -> new IntakeRejection(500, "internal-error", "Internal error", "the gateway failed to answer "
                    + "this request; its log has the cause, under this answer's X-Correlation-Id");
            case 503 -> new IntakeRejection(503, "unavailable", "Service unavailable",
                    "the gateway cannot answer right now; try again later");
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                String title = known == null ? "HTTP " + status : known.getReasonPhrase();
                yield new IntakeRejection(status, "http-" + status, title,
                        "the request was answered with HTTP status " + status + " (" + title + ")");
            }
        };
    }
}
