package fr.spie.gateway.web;

import fr.spie.gateway.intake.IntakeRejection;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
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
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(rejection.status()),
                rejection.getMessage());
        problem.setType(URI.create(TYPE_BASE + rejection.problem()));
        problem.setTitle(rejection.title());
        if (instance != null) {
            problem.setInstance(URI.create(instance));
        }
        if (rejection.exchangeId() != null) {
            problem.setProperty("exchangeId", rejection.exchangeId().toString());
        }
        if (!rejection.errors().isEmpty()) {
            problem.setProperty("errors", rejection.errors());
        }
        return problem;
    }

    /** For refusals outside Spring MVC (the security filter chain). */
    public void write(HttpServletRequest request, HttpServletResponse response, IntakeRejection rejection)
            throws IOException {
        ProblemDetail problem = toProblem(rejection, request.getRequestURI());
        response.setStatus(rejection.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", problem.getInstance() == null ? null : problem.getInstance().toString());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        mapper.writeValue(response.getOutputStream(), body);
    }
}
