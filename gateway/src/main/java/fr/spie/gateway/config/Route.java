package fr.spie.gateway.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which records go from which partners to which recipients, for what purpose and on which legal basis.
 *
 * @param id               stable identifier, recorded in the audit trail
 * @param description      what the flow is for, in words an auditor understands
 * @param recordTypes      SPIE record types the route carries
 * @param from             partner ids that may send them
 * @param to               recipient partner ids, each with a delivery endpoint
 * @param purpose          the purpose of processing (kebab-case code, e.g. rsa-orientation)
 * @param legalBasis       GDPR art. 6 basis and its reference
 * @param consent          the person's consent the route needs, or null when it needs none (always set when the legal
 *                         basis is consent)
 * @param release          per recipient, the payload fields it receives (JSON Pointers, array indexes removed); a
 *                         recipient absent from the map receives the whole payload
 * @param notifyWithdrawal whether the recipients get a notice when the person withdraws a consent the route rests on
 */
public record Route(String id, String description, Set<String> recordTypes, Set<String> from, List<String> to,
                    String purpose, LegalBasis legalBasis, ConsentRequirement consent,
                    Map<String, List<String>> release, boolean notifyWithdrawal, java.time.Duration retention) {
    public Route {
        recordTypes = Set.copyOf(recordTypes);
        from = Set.copyOf(from);
        to = List.copyOf(to);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        (release == null ? Map.<String, List<String>>of() : release).forEach((k, v) -> copy.put(k, List.copyOf(v)));
        release = java.util.Collections.unmodifiableMap(copy);
        if (consent == null && legalBasis != null && "consent".equals(legalBasis.type())) {
            consent = new ConsentRequirement(List.of(purpose));
        }
    }

    /** A route whose envelope copies are kept for the gateway's default retention. */
    public Route(String id, String description, Set<String> recordTypes, Set<String> from, List<String> to,
                 String purpose, LegalBasis legalBasis, ConsentRequirement consent,
                 Map<String, List<String>> release, boolean notifyWithdrawal) {
        this(id, description, recordTypes, from, to, purpose, legalBasis, consent, release, notifyWithdrawal, null);
    }

    /** A route without consent requirement (unless its basis is consent), minimisation or withdrawal notice. */
    public Route(String id, String description, Set<String> recordTypes, Set<String> from, List<String> to,
                 String purpose, LegalBasis legalBasis) {
        this(id, description, recordTypes, from, to, purpose, legalBasis, null, Map.of(), false, null);
    }

    /** The fields released to this recipient, or empty when it receives the whole payload. */
    public Optional<List<String>> releaseFor(String recipient) {
        return Optional.ofNullable(release.get(recipient));
    }

    /**
     * The person's consent a route needs.
     *
     * @param purposes the purposes the consent must cover (all of them); by default the route's purpose
     */
    public record ConsentRequirement(List<String> purposes) {
        public ConsentRequirement {
            purposes = List.copyOf(purposes);
        }
    }
}
