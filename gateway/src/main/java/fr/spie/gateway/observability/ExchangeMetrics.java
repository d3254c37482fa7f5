package fr.spie.gateway.observability;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.consent.WithdrawalNotices;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.schema.SpieSchemas;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Counts exchanges by what happened to them, from the audit events (the single place every outcome goes through):
 * {@code spie.exchanges{event, partner, recipient, record_type}}, and times deliveries:
 * {@code spie.delivery.latency{recipient}} (received to delivered) and {@code spie.delivery.attempt{recipient,
 * outcome}} (one attempt). Events are counted once their transaction commits. Tag values come from the configuration
 * (partner ids) and the schema (record types) only; anything else is counted as {@code other} (or {@code none}
 * when absent), so that a caller cannot grow the number of series.
 */
@Component
public class ExchangeMetrics {
    /** The counted events, by the tag value they get. */
    private static final Map<AuditEventType, String> COUNTED = Map.of(
            AuditEventType.RECEIVED, "received",
            AuditEventType.REJECTED, "rejected",
            AuditEventType.ROUTED, "routed",
            AuditEventType.BLOCKED, "blocked",
            AuditEventType.DELIVERED, "delivered",
            AuditEventType.DEAD_LETTERED, "dead_lettered");

    private final MeterRegistry registry;
    private final RoutingConfigHolder config;
    private final Set<String> recordTypes;

    public ExchangeMetrics(MeterRegistry registry, RoutingConfigHolder config, SpieSchemas schemas) {
        this.registry = registry;
        this.config = config;
        this.recordTypes = schemas.recordTypes();
    }

    /** Counts the events once the current transaction (if any) commits; at once otherwise. */
    public void countAfterCommit(List<AuditEvent> events) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    count(events);
                }
            });
        } else {
            count(events);
        }
    }

    void count(List<AuditEvent> events) {
        for (AuditEvent e : events) {
            String event = COUNTED.get(e.type());
            if (event == null) {
                continue;
            }
            Counter.builder("spie.exchanges")
                    .description("exchanges by what happened to them (audit events)")
                    .tag("event", event)
                    // a refusal has no source yet: the partner is the caller (when it is a configured partner)
                    .tag("partner", partner(e.sourcePartner() != null ? e.sourcePartner() : e.actor()))
                    .tag("recipient", partner(e.recipient()))
                    .tag("record_type", recordType(e.recordType()))
                    .register(registry).increment();
        }
    }

    /** A delivery was acknowledged: time from reception to delivery, per recipient. */
    public void delivered(String recipient, Instant receivedAt) {
        if (receivedAt == null) {
            return;
        }
        Timer.builder("spie.delivery.latency")
                .description("from reception of the exchange to its acknowledgement by the recipient")
                .tag("recipient", partner(recipient))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofHours(6))
                .register(registry)
                .record(Duration.between(receivedAt, Instant.now()).abs());
    }

    /** One delivery attempt took this long; outcome delivered or failed. */
    public void attempt(String recipient, boolean delivered, long nanos) {
        Timer.builder("spie.delivery.attempt")
                .description("one delivery attempt (transport call) by recipient and outcome")
                .tag("recipient", partner(recipient))
                .tag("outcome", delivered ? "delivered" : "failed")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    private String partner(String id) {
        if (id == null || id.isBlank()) {
            return "none";
        }
        return config.current().partner(id).isPresent() || "gateway".equals(id) ? id : "other";
    }

    private String recordType(String type) {
        if (type == null || type.isBlank()) {
            return "none";
        }
        return recordTypes.contains(type) || WithdrawalNotices.NOTICE_TYPE.equals(type) ? type : "other";
    }
}
