package fr.spie.gateway.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's report of an error it answers itself, before the request reaches the gateway's filters or error page: a
 * path with an encoded '/' or '\' or a percent-encoding that is no UTF-8, a request line or headers beyond
 * {@code server.max-http-request-header-size}. Tomcat's own valve wrote an HTML page; this one writes the problem
 * detail every other refusal is ({@link ContainerErrorProblems}), with the same guards as Tomcat's (only an error
 * status, nothing written yet, reported once, the connection still writable).
 */
public class ProblemErrorReportValve extends ErrorReportValve {
    private static final Logger log = LoggerFactory.getLogger(ProblemErrorReportValve.class);
    private final ProblemWriter problems;

    public ProblemErrorReportValve(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            String problem = problems.json(ContainerErrorProblems.forStatus(status), request.getRequestURI());
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            java.io.Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(problem);
                response.finishResponse();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("the problem of a {} answered by the container could not be written: {}", status, e.toString());
        }
    }
}
