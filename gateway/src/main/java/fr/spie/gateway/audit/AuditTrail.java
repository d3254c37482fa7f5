package fr.spie.gateway.audit;

import fr.spie.gateway.observability.ExchangeMetrics;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Appends events to the audit trail. Callers that change exchange state append within the same database transaction,
 * so the trail and the state never disagree. Counted exchanges ({@code spie.exchanges}) are counted here, on commit.
 */
@Component
public class AuditTrail {
    private static final String INSERT = "INSERT INTO audit_event (recorded_at, event_type, exchange_id, actor, "
            + "source_partner, recipient, record_type, route_id, purpose, legal_basis_type, config_version, "
            + "payload_digest, subject_pseudonym, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final JdbcTemplate jdbc;
    private final ExchangeMetrics metrics;

    public AuditTrail(JdbcTemplate jdbc, ExchangeMetrics metrics) {
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    public void append(AuditEvent event) {
        appendAll(List.of(event));
    }

    public void appendAll(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, events, events.size(), (ps, e) -> {
            ps.setTimestamp(1, Timestamp.from(e.recordedAt()));
            ps.setString(2, e.type().name());
            ps.setObject(3, e.exchangeId(), Types.OTHER);
            ps.setString(4, e.actor());
            ps.setString(5, e.sourcePartner());
            ps.setString(6, e.recipient());
            ps.setString(7, e.recordType());
            ps.setString(8, e.routeId());
            ps.setString(9, e.purpose());
            ps.setString(10, e.legalBasisType());
            ps.setString(11, e.configVersion());
            ps.setString(12, e.payloadDigest());
            ps.setString(13, e.subjectPseudonym());
            ps.setString(14, e.detail());
        });
        metrics.countAfterCommit(events);
    }
}
