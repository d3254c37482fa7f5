package fr.spie.gateway.consent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Who has actually received data about a consent's person on a route, as the audit trail records it: the
 * recipients of a {@code DELIVERED} event of that route about any key the consent's subject carried, for a record
 * the consent covers (its controllers as senders, its record types). A withdrawal
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

    /**
     * Those of {@code candidates} that received data about the person of {@code consent} on {@code routeId} that
     * this consent could have released: a record from one of its controllers, of one of its record types. A route
     * may carry several senders' or record types' records, each released under its own consent (ConsentCheck:
     * consent-controller, consent-record-type); what a recipient received under another consent of the person does
     * not make it a recipient of this one's data.
     */
    public Set<String> amongst(Consent consent, String routeId, Collection<String> candidates) {
        List<String> recordTypes = consent.dataCategories().stream().map(Consent.DataCategory::recordType)
                .distinct().toList();
        if (candidates.isEmpty() || consent.controllers().isEmpty() || recordTypes.isEmpty()) {
            return Set.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(consent.id());
        args.add(routeId);
        args.addAll(consent.controllers());
        args.addAll(recordTypes);
        List<String> received = jdbc.queryForList("SELECT DISTINCT a.recipient FROM consent_subject s "
                        + "JOIN audit_event a ON a.subject_pseudonym = s.subject_pseudonym "
                        + "WHERE s.consent_id = ? AND a.route_id = ? AND a.event_type = 'DELIVERED' "
                        + "AND a.source_partner IN (" + placeholders(consent.controllers().size()) + ") "
                        + "AND a.record_type IN (" + placeholders(recordTypes.size()) + ")",
                String.class, args.toArray());
        Set<String> disclosed = new TreeSet<>(received);
        disclosed.retainAll(candidates);
        return disclosed;
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
