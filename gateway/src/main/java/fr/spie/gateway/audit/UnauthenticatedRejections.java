package fr.spie.gateway.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Audits the refusals of callers without a credential (a 401 on a submission, a refused webhook) so that whoever can
 * reach the gateway cannot grow the audit trail, kept for good, at the rate of their requests: per window
 * ({@code spie.audit.rejections.*}), the first refusals of each kind from each client are audited one by one, the
 * others are counted ({@code spie.audit.rejections.suppressed}) and written as one summary event of the same type
 * when the window closes ("N more ... suppressed between t1 and t2"), and at shutdown, so every refusal is accounted
 * for. Refusals of authenticated callers do not come here: they are audited one by one. The client's address is
 * used in memory only, never written or logged.
 */
@Component
@EnableConfigurationProperties(RejectionAuditSettings.class)
public class UnauthenticatedRejections implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(UnauthenticatedRejections.class);

    private final AuditTrail audit;
    private final RejectionAuditSettings settings;
    private final MeterRegistry registry;
    private final RejectionWindows windows;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spie-rejection-windows");
        t.setDaemon(true);
        return t;
    });

    public UnauthenticatedRejections(AuditTrail audit, RejectionAuditSettings settings, MeterRegistry registry) {
        this.audit = audit;
        this.settings = settings;
        this.registry = registry;
        this.windows = new RejectionWindows(settings);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        long every = settings.window().toMillis();
        scheduler.scheduleAtFixedRate(this::closeWindowSafely, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Audits the refusal, or only counts it when this kind of refusal from this client was already audited
     * {@code spie.audit.rejections.per-key-limit} times in the window.
     *
     * @param event  the refusal's audit event (its detail, without personal data, is its kind)
     * @param client where the request came from (the client's address): used in memory only
     * @return whether it was audited as itself
     */
    public boolean record(AuditEvent event, String client) {
        if (windows.admit(event, client == null ? "" : client, Instant.now())) {
            audit.append(event);
            return true;
        }
        Counter.builder("spie.audit.rejections.suppressed")
                .description("refusals of callers without a credential counted in a summary event instead of "
                        + "audited one by one (spie.audit.rejections.*)")
                .tag("type", event.type().name())
                .register(registry).increment();
        return false;
    }

    /** Closes the window: one summary event per kind and client whose refusals were counted; a new window begins. */
    public void closeWindow() {
        write(windows.close());
    }

    private void closeWindowSafely() {
        try {
            closeWindow();
        } catch (RuntimeException e) {
            log.warn("summaries of suppressed refusals not written, will try again: {}", e.toString());
        }
    }

    /** Writes the summaries; those that could not be written are counted again in the current window. */
    private void write(List<RejectionWindows.Suppressed> closed) {
        if (closed.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<AuditEvent> summaries = new ArrayList<>(closed.size());
        for (RejectionWindows.Suppressed s : closed) {
            summaries.add(windows.summaryOf(s, now));
        }
        try {
            audit.appendAll(summaries);
        } catch (RuntimeException e) {
            closed.forEach(windows::reopen);
            throw e;
        }
        long total = closed.stream().mapToLong(RejectionWindows.Suppressed::count).sum();
        log.info("{} refusals of callers without a credential were counted in {} summary audit events instead of "
                + "audited one by one (spie.audit.rejections)", total, summaries.size());
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
        try {
            write(windows.closeForGood());
        } catch (RuntimeException e) {
            log.warn("summaries of suppressed refusals not written at shutdown ({} refusals counted since the last "
                    + "summary are not in the audit trail): {}", windows.closeForGood().stream()
                    .mapToLong(RejectionWindows.Suppressed::count).sum(), e.toString());
        }
    }
}
