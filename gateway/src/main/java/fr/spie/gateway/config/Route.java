package fr.spie.gateway.config;

import java.util.List;
import java.util.Set;

/**
 * Which records go from which partners to which recipients, for what purpose and on which legal basis.
 *
 * @param id          stable identifier, recorded in the audit trail
 * @param description what the flow is for, in words an auditor understands
 * @param recordTypes SPIE record types the route carries
 * @param from        partner ids that may send them
 * @param to          recipient partner ids, each with a delivery endpoint
 * @param purpose     the purpose of processing (kebab-case code, e.g. rsa-orientation)
 * @param legalBasis  GDPR art. 6 basis and its reference
 */
public record Route(String id, String description, Set<String> recordTypes, Set<String> from, List<String> to,
                    String purpose, LegalBasis legalBasis) {
    public Route {
        recordTypes = Set.copyOf(recordTypes);
        from = Set.copyOf(from);
        to = List.copyOf(to);
    }
}
