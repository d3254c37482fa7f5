package fr.spie.gateway.security;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The gateway never decompresses a request body: a body sent with a {@code Content-Encoding} other than
 * {@code identity} is refused with 415 {@code unsupported-content-encoding}, before anything reads it (no
 * decompression bomb, no digest of bytes other than those received). A compressed file is uploaded as is, without
 * {@code Content-Encoding}. Runs after the security chain, so an unauthenticated caller still gets 401.
 */
public class ContentEncodingFilter extends OncePerRequestFilter {
    private final ProblemWriter problems;
    private final IntakeService intake;

    public ContentEncodingFilter(ProblemWriter problems, IntakeService intake) {
        this.problems = problems;
        this.intake = intake;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String value : Collections.list(request.getHeaders("Content-Encoding"))) {
            for (String coding : value.split(",")) {
                String c = coding.trim().toLowerCase(Locale.ROOT);
                if (!c.isEmpty() && !"identity".equals(c)) {
                    IntakeRejection rejection = new IntakeRejection(415, "unsupported-content-encoding",
                            "Unsupported content encoding", "the gateway does not decompress request bodies: send "
                            + "the body without Content-Encoding (a compressed file is uploaded as is), not '"
                            + FilterRefusals.printable(c, "[^a-z0-9._-]") + "'");
                    if ("POST".equals(request.getMethod()) && "/api/v1/exchanges".equals(request.getRequestURI())) {
                        intake.auditRefusal(FilterRefusals.actor(), rejection);
                    }
                    response.setHeader("Accept-Encoding", "identity");
                    response.setHeader("Connection", "close");
                    problems.write(request, response, rejection);
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }
}
