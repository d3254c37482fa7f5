package fr.spie.gateway.retention;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Route;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes the envelope copies (the only place payloads live in clear) once every delivery of their exchange is
 * settled and the retention of the exchange's routes, counted from that settlement, is over — the longest of them, or {@code spie.retention.payload}
 * for a route that sets none. The exchange, its deliveries, its payload digest and its audit events stay, so no
 * ledger entry or proof changes; a PAYLOAD_DELETED event records each deletion. Run by {@link RetentionJob}.
 */
@Component
public class PayloadRetention {
    private static final Logger log = LoggerFactory.getLogger(PayloadRetention.class);
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AuditTrail audit;
    private final RoutingConfigHolder config;
    private final Duration defaultRetention;

    public PayloadRetention(JdbcTemplate jdbc, TransactionTemplate tx, AuditTrail audit, RoutingConfigHolder config,
                            @Value("${spie.retention.payload:P90D}") Duration defaultRetention) {
        if (defaultRetention.isNegative()) {
            // a copy would be deleted as soon as it is settled, and a dead letter could not be replayed
            throw new IllegalArgumentException("spie.retention.payload must not be negative, got " + defaultRetention);
        }
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.config = config;
        this.defaultRetention = defaultRetention;
    }

    /** Deletes the envelope copies whose retention is over at {@code now}; returns how many. */
    public int purge(Instant now) {
        GatewayConfig current = config.current();
        Duration shortest = current.routes().stream().map(Route::retention).filter(r -> r != null)
                .reduce(defaultRetention, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        int deleted = 0;
        long afterSeq = -1;
        while (true) {
            // settled when the last delivery reached its end (never before the copy was stored): the retention
            // counts from then, so that a dead letter of an old exchange can still be replayed for the retention
            List<Candidate> candidates = jdbc.query("SELECT p.exchange_id, p.stored_at, "
                            + "(SELECT MAX(d.updated_at) FROM delivery d WHERE d.exchange_id = p.exchange_id) "
                            + "FROM exchange_payload p "
                            + "WHERE p.stored_at <= ? AND NOT EXISTS (SELECT 1 FROM delivery d "
                            + "WHERE d.exchange_id = p.exchange_id AND d.status IN ('PENDING', 'FAILED')) "
                            + "ORDER BY p.stored_at, p.exchange_id LIMIT ? OFFSET ?",
                    (rs, i) -> new Candidate(UUID.fromString(rs.getString(1)),
                            settledAt(rs.getTimestamp(2).toInstant(), rs.getTimestamp(3))),
                    Timestamp.from(now.minus(shortest)), BATCH, afterSeq < 0 ? 0 : afterSeq);
            if (candidates.isEmpty()) {
                return deleted;
            }
            List<Candidate> due = new ArrayList<>();
            for (Candidate c : candidates) {
                Duration retention = retentionOf(current, c.exchangeId());
                if (!c.settledAt().plus(retention).isAfter(now)) {
                    due.add(c.withRetention(retention));
                }
            }
            deleted += delete(due, now);
            if (candidates.size() < BATCH) {
                return deleted;
            }
            afterSeq = (afterSeq < 0 ? 0 : afterSeq) + candidates.size() - due.size();
        }
    }

    /** When the exchange's deliveries were all settled: the last change of any of them, or when it was stored. */
    private static Instant settledAt(Instant storedAt, Timestamp lastDeliveryChange) {
        return lastDeliveryChange == null || lastDeliveryChange.toInstant().isBefore(storedAt) ? storedAt
                : lastDeliveryChange.toInstant();
    }

    /** The longest retention of the routes that carried the exchange. */
    private Duration retentionOf(GatewayConfig current, UUID exchangeId) {
        Duration longest = null;
        for (String routeId : jdbc.queryForList("SELECT DISTINCT route_id FROM delivery WHERE exchange_id = ?",
                String.class, exchangeId)) {
            Duration r = current.routes().stream().filter(route -> route.id().equals(routeId)).findFirst()
                    .map(Route::retention).orElse(null);
            Duration effective = r == null ? defaultRetention : r;
            longest = longest == null || effective.compareTo(longest) > 0 ? effective : longest;
        }
        return longest == null ? defaultRetention : longest;
    }

    private int delete(List<Candidate> due, Instant now) {
        if (due.isEmpty()) {
            return 0;
        }
        return tx.execute(status -> {
            List<AuditEvent> events = new ArrayList<>();
            int n = 0;
            for (Candidate c : due) {
                if (stillDue(c, now)
                        && jdbc.update("DELETE FROM exchange_payload WHERE exchange_id = ?", c.exchangeId()) == 1) {
                    n++;
                    var e = jdbc.queryForMap("SELECT source_partner, record_type, purpose, legal_basis_type, "
                            + "payload_digest, subject_pseudonym, config_version FROM exchange WHERE exchange_id = ?",
                            c.exchangeId());
                    events.add(AuditEvent.of(AuditEventType.PAYLOAD_DELETED, c.exchangeId(), "gateway")
                            .withExchange((String) e.get("source_partner"), (String) e.get("record_type"),
                                    (String) e.get("purpose"), (String) e.get("legal_basis_type"),
                                    trim(e.get("payload_digest")), trim(e.get("subject_pseudonym")),
                                    trim(e.get("config_version")))
                            .withDetail("envelope copy deleted: retention " + c.retention() + " over"));
                }
            }
            audit.appendAll(events);
            if (n > 0) {
                log.info("payload retention: {} envelope copies deleted", n);
            }
            return n;
        });
    }

    /**
     * Whether the copy is still due once locked: a dead letter replayed since it was picked is pending again (or
     * settled later), and keeps its copy. The replay takes the same lock before it queues the delivery again.
     */
    private boolean stillDue(Candidate c, Instant now) {
        List<Instant> storedAt = jdbc.query("SELECT stored_at FROM exchange_payload WHERE exchange_id = ? FOR UPDATE",
                (rs, i) -> rs.getTimestamp(1).toInstant(), c.exchangeId());
        if (storedAt.isEmpty()) {
            return false;
        }
        return Boolean.TRUE.equals(jdbc.query("SELECT COUNT(CASE WHEN status IN ('PENDING', 'FAILED') THEN 1 END), "
                        + "MAX(updated_at) FROM delivery WHERE exchange_id = ?",
                rs -> {
                    rs.next();
                    return rs.getLong(1) == 0
                            && !settledAt(storedAt.get(0), rs.getTimestamp(2)).plus(c.retention()).isAfter(now);
                }, c.exchangeId()));
    }

    private static String trim(Object fixedWidth) {
        return fixedWidth == null ? null : fixedWidth.toString().trim();
    }

    private record Candidate(UUID exchangeId, Instant settledAt, Duration retention) {
        Candidate(UUID exchangeId, Instant settledAt) {
            this(exchangeId, settledAt, null);
        }

        Candidate withRetention(Duration r) {
            return new Candidate(exchangeId, settledAt, r);
        }
    }
}
