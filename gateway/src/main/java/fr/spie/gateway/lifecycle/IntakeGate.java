package fr.spie.gateway.lifecycle;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Intake stops first. This lifecycle has the highest phase, so it is the first to stop: from then on new submissions
 * ({@code POST /api/v1/exchanges}, file uploads) get 503 problem+json with Retry-After, readiness turns
 * REFUSING_TRAFFIC, and after {@code spie.shutdown.intake-drain} the web server's graceful shutdown lets the requests
 * in progress finish; then the delivery routes stop (their in-flight deliveries finish or return to the queue).
 */
public class IntakeGate extends OncePerRequestFilter implements SmartLifecycle,
        ApplicationListener<ContextClosedEvent> {
    private static final Logger log = LoggerFactory.getLogger(IntakeGate.class);

    private final ShutdownSettings settings;
    private final ProblemWriter problems;
    private final ApplicationContext context;
    private volatile boolean open;
    private volatile boolean closing;

    public IntakeGate(ShutdownSettings settings, ProblemWriter problems, ApplicationContext context) {
        this.settings = settings;
        this.problems = problems;
        this.context = context;
    }

    /** Whether submissions are taken. */
    public boolean isOpen() {
        return open;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!open && isSubmission(request)) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, settings.retryAfter().toSeconds())));
            response.setHeader("Connection", "close");
            problems.write(request, response, new IntakeRejection(503, "shutting-down", "Gateway shutting down",
                    "the gateway is stopping (or not started yet) and takes no new submission; send it "
                            + "again after the Retry-After delay"));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isSubmission(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return "POST".equals(request.getMethod())
                && ("/api/v1/exchanges".equals(uri) || uri.matches("/api/v1/partners/[^/]+/files"));
    }

    /** Published before the lifecycles stop: this stop is the end of the gateway (not a pause of the context). */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == context) {
            closing = true;
        }
    }

    @Override
    public void start() {
        open = true;
    }

    @Override
    public void stop() {
        if (!open) {
            return;
        }
        open = false;
        if (!closing) {
            return; // stopped without closing (a paused context): intake waits for start() again
        }
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        log.info("Shutting down: intake closed (new submissions get 503), waiting {} before the web server stops",
                settings.intakeDrain());
        try {
            Thread.sleep(settings.intakeDrain().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return open;
    }

    /** First to stop (highest phase), before the web server's graceful shutdown. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
