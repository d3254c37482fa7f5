package fr.spie.gateway.retention;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.consent.ConsentRegistry;
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
 * Deletes the subject of a consent as it was given (the person's identity in clear, kept for the withdrawal notices)
 * once the consent has ended — withdrawn, or past its {@code validUntil} — for {@code spie.retention.consent-subjects}.
 * The consent itself stays (its receipt names the person by pseudonym only, and is still found by the person's keys);
 * a withdrawal recorded after that, of a consent that had already expired, notifies its recipients by consent id
 * only. Each deletion is audited CONSENT_SUBJECT_DELETED. Run by {@link RetentionJob} on the leader.
 */
@Component
public class ConsentSubjectRetention {
    static final String KEY = "spie.retention.consent-subjects";
    private static final Logger log = LoggerFactory.getLogger(ConsentSubjectRetention.class);
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AuditTrail audit;
    private final Duration retention;

    public ConsentSubjectRetention(JdbcTemplate jdbc, TransactionTemplate tx, AuditTrail audit,
                                   @Value("${" + KEY + ":P90D}") Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException(KEY + " must not be negative (0s keeps them for ever), got "
                    + retention);
        }
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.retention = retention;
    }

    /** Deletes the subjects of the consents ended for the retention at {@code now}; returns how many. */
    public int purge(Instant now) {
        if (retention.isZero()) {
            return 0;
        }
        Timestamp cutOff = Timestamp.from(now.minus(retention));
        int deleted = 0;
        List<Ended> due;
        do {
            due = jdbc.query("SELECT consent_id, subject_pseudonym FROM consent WHERE subject_json IS NOT NULL "
                            + "AND (withdrawn_at <= ? OR valid_until <= ?) ORDER BY consent_id LIMIT ?",
                    (rs, i) -> new Ended(rs.getObject(1, UUID.class), rs.getString(2).trim()), cutOff, cutOff, BATCH);
            deleted += delete(due);
        } while (due.size() == BATCH);
        if (deleted > 0) {
            log.info("consent retention: the subjects of {} ended consent(s) deleted", deleted);
        }
        return deleted;
    }

    private int delete(List<Ended> due) {
        if (due.isEmpty()) {
            return 0;
        }
        return tx.execute(status -> {
            List<AuditEvent> events = new ArrayList<>();
            for (Ended c : due) {
                if (jdbc.update("UPDATE consent SET subject_json = NULL WHERE consent_id = ? "
                        + "AND subject_json IS NOT NULL", c.consentId()) == 1) {
                    events.add(AuditEvent.of(AuditEventType.CONSENT_SUBJECT_DELETED, null, "gateway")
                            .withExchange(null, ConsentRegistry.RECORD_TYPE, null, null, null, c.subjectPseudonym(),
                                    null)
                            .withDetail("consent " + c.consentId() + ": the subject as given deleted, retention "
                                    + retention + " after the consent ended"));
                }
            }
            audit.appendAll(events);
            return events.size();
        });
    }

    private record Ended(UUID consentId, String subjectPseudonym) {
    }
}
