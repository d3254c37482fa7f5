package fr.spie.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a correlation id: the caller's {@code X-Correlation-Id} when well-formed (1 to 64 letters,
 * digits, '.', '_', ':' or '-'; holding nothing shaped like a NIR, Corsica's included), a new UUID otherwise. It is returned in the response header and put in the logging
 * context ({@code correlationId}) with, once known, the {@code exchangeId}; both are cleared after the request.
 */
public class CorrelationIdFilter extends OncePerRequestFilter {
    public static final String HEADER = "X-Correlation-Id";
    public static final String MDC_CORRELATION_ID = "correlationId";
    public static final String MDC_EXCHANGE_ID = "exchangeId";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    /**
     * The shape of a NIR (13 characters, 15 with its key; digits, or 2A/2B as the département of Corsica) anywhere in
     * the id, not part of a longer run of letters or digits: never logged, a new id is given instead.
     */
    private static final Pattern NIR_LIKE = Pattern.compile(
            "(?<![A-Za-z0-9])[0-9]{5}(?:[0-9]{2}|2[ABab])[0-9]{6}(?:[0-9]{2})?(?![A-Za-z0-9])");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = correlationId(request.getHeader(HEADER));
        response.setHeader(HEADER, id);
        MDC.put(MDC_CORRELATION_ID, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_CORRELATION_ID);
            MDC.remove(MDC_EXCHANGE_ID);
        }
    }

    /** The caller's id when well-formed, else a new one. */
    public static String correlationId(String header) {
        return header != null && WELL_FORMED.matcher(header).matches() && !NIR_LIKE.matcher(header).find() ? header
                : UUID.randomUUID().toString();
    }
}
