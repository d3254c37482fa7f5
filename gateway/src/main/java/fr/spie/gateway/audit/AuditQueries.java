package fr.spie.gateway.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads the audit trail for auditors. */
@Component
public class AuditQueries {
    private final JdbcTemplate jdbc;

    public AuditQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Events matching every given filter (null filters are ignored), in trail order, starting after {@code afterSeq}.
     */
    public List<AuditEvent> find(AuditFilter filter, long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_event WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(afterSeq);
        filter.appendConditions(sql, args);
        sql.append(" ORDER BY seq LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), AuditQueries::map, args.toArray());
    }

    /** Events of one type about any of these pseudonyms (the keys of one person), in trail order. */
    public List<AuditEvent> aboutPerson(java.util.Collection<String> pseudonyms, AuditEventType type, int limit) {
        if (pseudonyms.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", java.util.Collections.nCopies(pseudonyms.size(), "?"));
        List<Object> args = new ArrayList<>(pseudonyms);
        args.add(type.name());
        args.add(limit);
        return jdbc.query("SELECT * FROM audit_event WHERE subject_pseudonym IN (" + marks + ") AND event_type = ? "
                + "ORDER BY seq LIMIT ?", AuditQueries::map, args.toArray());
    }

    private static AuditEvent map(ResultSet rs, int row) throws SQLException {
        Object exchange = rs.getObject("exchange_id");
        return new AuditEvent(rs.getLong("seq"), rs.getTimestamp("recorded_at").toInstant(),
                AuditEventType.valueOf(rs.getString("event_type")),
                exchange == null ? null : UUID.fromString(exchange.toString()), rs.getString("actor"),
                rs.getString("source_partner"), rs.getString("recipient"), rs.getString("record_type"),
                rs.getString("route_id"), rs.getString("purpose"), rs.getString("legal_basis_type"),
                trim(rs.getString("config_version")), trim(rs.getString("payload_digest")),
                trim(rs.getString("subject_pseudonym")), rs.getString("detail"));
    }

    private static String trim(String fixedWidth) {
        return fixedWidth == null ? null : fixedWidth.trim();
    }

    /**
     * Filters of an audit query; any may be null.
     *
     * @param subjectPseudonyms the keys of one person: events about any of them
     */
    public record AuditFilter(UUID exchangeId, String partner, List<String> subjectPseudonyms,
                              AuditEventType eventType, String purpose, Instant from, Instant to) {

        /** Appends " AND ..." conditions for the filters that are set, and their arguments. */
        void appendConditions(StringBuilder sql, List<Object> args) {
            if (exchangeId() != null) {
                sql.append(" AND exchange_id = ?");
                args.add(exchangeId());
            }
            if (partner() != null) {
                sql.append(" AND (source_partner = ? OR recipient = ?)");
                args.add(partner());
                args.add(partner());
            }
            if (subjectPseudonyms() != null && !subjectPseudonyms().isEmpty()) {
                sql.append(" AND subject_pseudonym IN (")
                        .append(String.join(",", java.util.Collections.nCopies(subjectPseudonyms().size(), "?")))
                        .append(')');
                args.addAll(subjectPseudonyms());
            }
            if (eventType() != null) {
                sql.append(" AND event_type = ?");
                args.add(eventType().name());
            }
            if (purpose() != null) {
                sql.append(" AND purpose = ?");
                args.add(purpose());
            }
            if (from() != null) {
                sql.append(" AND recorded_at >= ?");
                args.add(Timestamp.from(from()));
            }
            if (to() != null) {
                sql.append(" AND recorded_at < ?");
                args.add(Timestamp.from(to()));
            }
        }
    }
}
