package fr.spie.gateway.consent;

import fr.spie.gateway.config.LegalBasis;
import fr.spie.gateway.config.PartnerKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A consent receipt (ISO/IEC TS 27560 / Kantara consent receipt, the fields the gateway needs). Plain Java.
 *
 * @param id                the consent's id
 * @param subject           the person, as the keyed pseudonym of the strongest key of the subject it was given with
 * @param controllers       the controllers (partner ids) the person consents to
 * @param recipients        who may receive the data: partner ids or partner kinds (e.g. association)
 * @param purposes          purposes of processing (kebab-case codes, as in routes)
 * @param dataCategories    record types, optionally restricted to some of their fields
 * @param legalBasis        the legal basis recorded with the receipt (mandatory; normally consent, GDPR art. 6(1)(a))
 * @param collectedBy       the partner and the professional who collected it
 * @param collectionMethod  how it was collected (e.g. signed-form, oral-recorded, online-form)
 * @param evidenceReference where the proof is kept (a reference in the collector's system, never the proof itself)
 * @param noticeVersion     the version of the information notice the person was given
 * @param givenAt           when it was given
 * @param validUntil        when it ends, or null
 * @param withdrawnAt       when it was withdrawn, or null
 * @param withdrawnBy       who recorded the withdrawal (partner id or operator), or null
 * @param events            its history, oldest first
 */
public record Consent(UUID id, String subject, List<String> controllers, List<String> recipients,
                      List<String> purposes, List<DataCategory> dataCategories, LegalBasis legalBasis,
                      CollectedBy collectedBy, String collectionMethod, String evidenceReference, String noticeVersion,
                      Instant givenAt, Instant validUntil, Instant withdrawnAt, String withdrawnBy,
                      List<Event> events) {
    public Consent {
        controllers = List.copyOf(controllers);
        recipients = List.copyOf(recipients);
        purposes = List.copyOf(purposes);
        dataCategories = List.copyOf(dataCategories);
        events = List.copyOf(events);
    }

    /** A record type, and the fields of it the consent covers (JSON Pointers; empty: the whole record). */
    public record DataCategory(String recordType, List<String> fields) {
        public DataCategory {
            fields = fields == null ? List.of() : List.copyOf(fields);
        }
    }

    /** @param partner the partner id; @param professional the professional's id in that partner's system */
    public record CollectedBy(String partner, String professional) {
    }

    /** One step of the consent's life: GIVEN, WITHDRAWN. */
    public record Event(String type, Instant at, String actor, String detail) {
    }

    /**
     * Whether the consent names this recipient: by its partner id, or by its kind (under any name of the kind, e.g.
     * pole-emploi for France Travail).
     *
     * @param kind the recipient's kind, null when unknown
     */
    public boolean namesRecipient(String recipient, PartnerKind kind) {
        return recipients.contains(recipient) || (kind != null && recipients.stream().anyMatch(kind::isNamed));
    }

    public Consent withdrawn(Instant at, String by, String reason) {
        List<Event> history = new java.util.ArrayList<>(events);
        history.add(new Event("WITHDRAWN", at, by, reason));
        return new Consent(id, subject, controllers, recipients, purposes, dataCategories, legalBasis, collectedBy,
                collectionMethod, evidenceReference, noticeVersion, givenAt, validUntil, at, by, history);
    }
}
