package fr.spie.gateway.web;

import fr.spie.gateway.intake.IntakeRejection;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Turns refusals into RFC 9457 problem details ({@code application/problem+json}). */
@Component
public class ProblemWriter {
    public static final String TYPE_BASE = "https://spie-gateway.fr/problems/";

    private final JsonMapper mapper = JsonMapper.builder().build();

    public ProblemDetail toProblem(IntakeRejection rejection, String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(rejection.status()),
                rejection.getMessage());
        problem.setType(URI.create(TYPE_BASE + rejection.problem()));
        problem.setTitle(rejection.title());
        if (instance != null) {
            problem.setInstance(instance(instance));
        }
        if (rejection.exchangeId() != null) {
            problem.setProperty("exchangeId", rejection.exchangeId().toString());
        }
        if (!rejection.errors().isEmpty()) {
            problem.setProperty("errors", rejection.errors());
        }
        return problem;
    }

    /**
     * The request's path as a problem's {@code instance}: as sent when it is a valid URI reference, otherwise with
     * the characters a URI path may not hold percent-encoded. Tomcat passes such paths on when
     * {@code server.tomcat.relaxed-path-chars} lets {@code [ ] | ^ { } `} through; {@code URI.create} refused them and
     * the refusal became a 500. Null (no instance) if even that is no URI.
     */
    static URI instance(String path) {
        try {
            return new URI(path);
        } catch (URISyntaxException notAUri) {
            try {
                return new URI(percentEncodeWhatAPathMayNotHold(path));
            } catch (URISyntaxException stillNotAUri) {
                return null;
            }
        }
    }

    private static String percentEncodeWhatAPathMayNotHold(String path) {
        StringBuilder encoded = new StringBuilder(path.length() + 16);
        for (int i = 0; i < path.length(); ) {
            int c = path.codePointAt(i);
            if (c == '%' && i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
                encoded.append(path, i, i + 3);
                i += 3;
                continue;
            }
            if (c < 128 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0)) {
                encoded.append((char) c);
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    encoded.append('%').append(String.format("%02X", b & 0xff));
                }
            }
            i += Character.charCount(c);
        }
        return encoded.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    /** For refusals outside Spring MVC (the security filter chain). */
    public void write(HttpServletRequest request, HttpServletResponse response, IntakeRejection rejection)
            throws IOException {
        write(response, rejection, request.getRequestURI());
    }

    /** The problem of a request whose path is {@code instance} (null: none), in the response's body. */
    public void write(HttpServletResponse response, IntakeRejection rejection, String instance) throws IOException {
        response.setStatus(rejection.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), body(rejection, instance));
    }

    /** The problem as JSON text, for a writer that is not a servlet response's. */
    public String json(IntakeRejection rejection, String instance) {
        return mapper.writeValueAsString(body(rejection, instance));
    }

    private java.util.Map<String, Object> body(IntakeRejection rejection, String instance) {
        ProblemDetail problem = toProblem(rejection, instance);
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", problem.getInstance() == null ? null : problem.getInstance().toString());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }
}
