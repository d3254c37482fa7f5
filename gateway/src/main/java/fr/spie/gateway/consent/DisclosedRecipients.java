package fr.spie.gateway.consent;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Who has actually received data about a consent's person on a route, as the audit trail records it: the
 * recipients of a {@code DELIVERED} event of that route about any key the consent's subject carried. A withdrawal
 * notice goes to them only (GDPR art. 19: the recipients to whom the data were disclosed); sending the person's
 * identity to a recipient that never received it would itself disclose it. The audit trail is read rather than the
 * deliveries because it outlives the exchanges' retention.
 */
@Repository
public class DisclosedRecipients {
    private final JdbcTemplate jdbc;

    public DisclosedRecipients(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Those of {@code candidates} that received data about the person of {@code consentId} on {@code routeId}. */
    public Set<String> amongst(UUID consentId, String routeId, Collection<String> candidates) {
        if (candidates.isEmpty()) {
            return Set.of();
        }
        List<String> received = jdbc.queryForList("SELECT DISTINCT a.recipient FROM consent_subject s "
                        + "JOIN audit_event a ON a.subject_pseudonym = s.subject_pseudonym "
                        + "WHERE s.consent_id = ? AND a.route_id = ? AND a.event_type = 'DELIVERED'",
                String.class, consentId, routeId);
        Set<String> disclosed = new TreeSet<>(received);
        disclosed.retainAll(candidates);
        return disclosed;
    }
}
