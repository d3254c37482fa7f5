package fr.spie.gateway.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the audit trail. Holds no personal data: the person as a keyed pseudonym, the content as a digest.
 *
 * @param sequence         position in the trail (assigned when appended; 0 before)
 * @param recordedAt       when it happened
 * @param type             what happened
 * @param exchangeId       the exchange, when known
 * @param actor            who caused it: a partner id, an operator, "gateway" or "anonymous"
 * @param sourcePartner    the partner that sent the exchange
 * @param recipient        the recipient concerned, for routing and delivery events
 * @param recordType       SPIE record type
 * @param routeId          the route that decided
 * @param purpose          purpose of processing
 * @param legalBasisType   GDPR art. 6 basis
 * @param configVersion    routing configuration version in force
 * @param payloadDigest    SHA-256 of the canonical payload
 * @param subjectPseudonym keyed pseudonym of the person
 * @param detail           reason or outcome, no personal data
 */
public record AuditEvent(long sequence, Instant recordedAt, AuditEventType type, UUID exchangeId, String actor,
                         String sourcePartner, String recipient, String recordType, String routeId, String purpose,
                         String legalBasisType, String configVersion, String payloadDigest, String subjectPseudonym,
                         String detail) {

    /** Starts an event for an exchange; fill the rest with the with* methods. */
    public static AuditEvent of(AuditEventType type, UUID exchangeId, String actor) {
        return new AuditEvent(0, Instant.now(), type, exchangeId, actor, null, null, null, null, null, null, null,
                null, null, null);
    }

    public AuditEvent withExchange(String sourcePartner, String recordType, String purpose, String legalBasisType,
                                   String payloadDigest, String subjectPseudonym, String configVersion) {
        return new AuditEvent(sequence, recordedAt, type, exchangeId, actor, sourcePartner, recipient, recordType,
                routeId, purpose, legalBasisType, configVersion, payloadDigest, subjectPseudonym, detail);
    }

    public AuditEvent withRecipient(String recipient, String routeId) {
        return new AuditEvent(sequence, recordedAt, type, exchangeId, actor, sourcePartner, recipient, recordType,
                routeId, purpose, legalBasisType, configVersion, payloadDigest, subjectPseudonym, detail);
    }

    public AuditEvent withDetail(String detail) {
        String bounded = detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 997) + "...";
        return new AuditEvent(sequence, recordedAt, type, exchangeId, actor, sourcePartner, recipient, recordType,
                routeId, purpose, legalBasisType, configVersion, payloadDigest, subjectPseudonym, bounded);
    }

    public AuditEvent withConfigVersion(String configVersion) {
        return new AuditEvent(sequence, recordedAt, type, exchangeId, actor, sourcePartner, recipient, recordType,
                routeId, purpose, legalBasisType, configVersion, payloadDigest, subjectPseudonym, detail);
    }
}
