package fr.spie.gateway.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page ({@code /error}, Spring Boot's {@code server.error.path}): what the container forwards there (a
 * {@code sendError} outside Spring MVC, such as Tomcat's refusal of a query string that is no UTF-8, or an exception a
 * filter let through) is answered as a problem detail like every other refusal, whatever the caller accepts. It
 * replaces Spring Boot's {@code BasicErrorController}, whose {@code application/json} body (timestamp, status, error,
 * path) was no problem detail.
 */
@RestController
public class ProblemErrorController implements ErrorController {
    private final ProblemWriter problems;

    public ProblemErrorController(ProblemWriter problems) {
        this.problems = problems;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // called directly, there is no error to render: no such page
        int status = code == null ? 404 : code instanceof Integer i && i >= 400 && i <= 599 ? i : 500;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        problems.write(response, ContainerErrorProblems.forStatus(status),
                uri instanceof String path ? path : request.getRequestURI());
    }
}
