package fr.spie.gateway.security;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * JSON is read as UTF-8 only (RFC 8259 section 8.1): a JSON body declared in another charset
 * ({@code application/json; charset=ISO-8859-1}, a charset that does not exist) is refused with 415
 * {@code unsupported-charset} before anything reads it. The endpoints that read JSON through Spring MVC's converter
 * decoded it in the declared charset, so the same request was taken by them and refused by the intake (which checks
 * UTF-8 on the bytes); one that reads the bytes itself took a charset that does not exist. A file upload (any bytes,
 * any type) is not concerned. Runs after the security chain, as {@link ContentEncodingFilter}.
 */
public class JsonCharsetFilter extends OncePerRequestFilter {
    private static final Pattern UPLOAD = Pattern.compile("/api/v1/partners/[^/]+/files");
    private static final Pattern JSON_WITH_CHARSET = Pattern.compile(
            "application/(?:json|[^;/\\s]+\\+json)\\s*;.*?\\bcharset\\s*=\\s*\"?([^\";\\s]*)\"?.*");
    private final ProblemWriter problems;
    private final IntakeService intake;

    public JsonCharsetFilter(ProblemWriter problems, IntakeService intake) {
        this.problems = problems;
        this.intake = intake;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String charset = declaredCharsetOfJson(request.getContentType());
        if (charset != null && !"utf-8".equals(charset) && !"utf8".equals(charset)
                && !UPLOAD.matcher(request.getRequestURI()).matches()) {
            IntakeRejection rejection = new IntakeRejection(415, "unsupported-charset", "Unsupported charset",
                    "JSON is read as UTF-8 only (RFC 8259): send the body in UTF-8, with charset=UTF-8 or no charset, "
                            + "not '" + FilterRefusals.printable(charset, "[^a-z0-9._:-]") + "'");
            if ("POST".equals(request.getMethod()) && "/api/v1/exchanges".equals(request.getRequestURI())) {
                intake.auditRefusal(FilterRefusals.actor(), rejection);
            }
            problems.write(request, response, rejection);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The charset parameter of a JSON content type, lower case; null if none or not JSON (or no media type). */
    static String declaredCharsetOfJson(String contentType) {
        if (contentType == null) {
            return null;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            // a charset that does not exist makes the whole type invalid: read it from the text
            Matcher m = JSON_WITH_CHARSET.matcher(contentType.strip().toLowerCase(Locale.ROOT));
            return m.matches() ? m.group(1) : null; // otherwise the endpoint refuses what is no media type
        }
        boolean json = "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
        String charset = type.getParameter("charset");
        if (!json || charset == null) {
            return null;
        }
        String unquoted = charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")
                ? charset.substring(1, charset.length() - 1) : charset;
        return unquoted.strip().toLowerCase(Locale.ROOT);
    }
}
