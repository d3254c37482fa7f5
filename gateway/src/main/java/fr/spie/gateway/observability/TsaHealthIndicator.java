package fr.spie.gateway.observability;

import fr.spie.gateway.audit.LedgerTsa;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code tsa} health: UP when tree heads are being timestamped (or timestamping is off), {@link #DEGRADED} while
 * the TSA is unreachable (the backlog of untimestamped heads grows, nothing else waits). DEGRADED answers HTTP 200 and
 * is in no probe group: a TSA outage never makes the gateway unready or DOWN.
 */
public final class TsaHealthIndicator implements HealthIndicator {
    /** The gateway works but a non-essential dependency does not. */
    public static final Status DEGRADED = new Status("DEGRADED", "tree heads are not being timestamped");

    private final LedgerTsa tsa;

    public TsaHealthIndicator(LedgerTsa tsa) {
        this.tsa = tsa;
    }

    @Override
    public Health health() {
        Map<String, Object> details = tsa.healthDetails();
        Object status = details.get("status");
        Health.Builder builder = "down".equals(status) ? Health.status(DEGRADED) : Health.up();
        details.forEach((k, v) -> {
            if (v != null) {
                builder.withDetail(k, v);
            }
        });
        return builder.build();
    }
}
