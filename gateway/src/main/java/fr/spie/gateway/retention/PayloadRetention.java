package fr.spie.gateway.retention;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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
 * Deletes the envelope copies (with the bytes of received files, {@code ReceivedFileRetention}, the only place
 * payloads live in clear) once every delivery of their exchange is
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

    /**
     * Deletes the envelope copies whose retention is over at {@code now}; returns how many. Reads the copies stored
     * before the shortest retention, oldest first, a page at a time, each page after the last one read (index
     * {@code exchange_payload_stored_at}); the retention of each exchange comes with it, so a run costs one statement
     * per page, however many copies are not due yet.
     */
    public int purge(Instant now) {
        RouteRetentions retentions = new RouteRetentions(config.current(), defaultRetention);
        Timestamp cutOff = Timestamp.from(now.minus(retentions.shortest()));
        int deleted = 0;
        Candidate last = null;
        while (true) {
            List<Candidate> candidates = page(retentions, cutOff, last);
            if (candidates.isEmpty()) {
                return deleted;
            }
            List<Candidate> due = new ArrayList<>();
            for (Candidate c : candidates) {
                if (!c.settledAt().plus(c.retention()).isAfter(now)) {
                    due.add(c);
                }
            }
            deleted += delete(due, now);
            if (candidates.size() < BATCH) {
                return deleted;
            }
            last = candidates.get(candidates.size() - 1);
        }
    }

    /**
     * The next page of copies stored at or before {@code cutOff} whose exchange has no delivery still in progress,
     * after {@code after} in (stored_at, exchange_id) order, each with when it was settled: when the last delivery
     * reached its end (never before the copy was stored), so that a dead letter of an old exchange can still be
     * replayed for the retention; and the longest retention of the routes that carried it.
     */
    private List<Candidate> page(RouteRetentions retentions, Timestamp cutOff, Candidate after) {
        List<Object> args = new ArrayList<>(retentions.arguments());
        args.add(cutOff);
        String continuation = "";
        if (after != null) {
            continuation = "AND (p.stored_at > ? OR (p.stored_at = ? AND p.exchange_id > ?)) ";
            args.add(after.storedAt());
            args.add(after.storedAt());
            args.add(after.exchangeId());
        }
        args.add(BATCH);
        return jdbc.query("SELECT p.exchange_id, p.stored_at, "
                        + "(SELECT MAX(d.updated_at) FROM delivery d WHERE d.exchange_id = p.exchange_id), "
                        + "(SELECT MAX(" + retentions.millisExpression("d.route_id") + ") FROM delivery d "
                        + "WHERE d.exchange_id = p.exchange_id) "
                        + "FROM exchange_payload p "
                        + "WHERE p.stored_at <= ? " + continuation
                        + "AND NOT EXISTS (SELECT 1 FROM delivery d "
                        + "WHERE d.exchange_id = p.exchange_id AND d.status IN ('PENDING', 'FAILED')) "
                        + "ORDER BY p.stored_at, p.exchange_id LIMIT ?",
                (rs, i) -> {
                    OffsetDateTime storedAt = rs.getObject(2, OffsetDateTime.class);
                    long retentionMillis = rs.getLong(4);
                    Duration retention = rs.wasNull() ? defaultRetention : Duration.ofMillis(retentionMillis);
                    return new Candidate(UUID.fromString(rs.getString(1)), storedAt,
                            settledAt(storedAt.toInstant(), rs.getTimestamp(3)), retention);
                },
                args.toArray());
    }

    /** When the exchange's deliveries were all settled: the last change of any of them, or when it was stored. */
    private static Instant settledAt(Instant storedAt, Timestamp lastDeliveryChange) {
        return lastDeliveryChange == null || lastDeliveryChange.toInstant().isBefore(storedAt) ? storedAt
                : lastDeliveryChange.toInstant();
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

    private record Candidate(UUID exchangeId, OffsetDateTime storedAt, Instant settledAt, Duration retention) {
    }
}
