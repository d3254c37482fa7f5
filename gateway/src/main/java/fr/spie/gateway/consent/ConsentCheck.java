package fr.spie.gateway.consent;

import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.PartnerKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Whether one of a person's consents covers a release: the sender among the controllers the person consented to (a
 * consent to the département sharing its records does not let another organisation share its own), recipient (id
 * or kind), every required purpose, the record
 * type and, when the consent names fields, every released field (array indexes ignored, as in route
 * release pointers: {@code /needs/0/theme} is the theme of every need); then given, not expired, not withdrawn. When no
 * consent covers it, the reason is the one of the consent that came closest (e.g. "withdrawn" rather than "other
 * recipient"). Plain Java.
 */
public final class ConsentCheck {
    /** Rules, from the least to the most specific. */
    public static final String MISSING = "consent-missing";
    public static final String CONTROLLER = "consent-controller";
    public static final String RECIPIENT = "consent-recipient";
    public static final String PURPOSE = "consent-purpose";
    public static final String CATEGORY = "consent-category";
    public static final String FIELDS = "consent-fields";
    public static final String NOT_YET_VALID = "consent-not-yet-valid";
    public static final String EXPIRED = "consent-expired";
    public static final String WITHDRAWN = "consent-withdrawn";
    public static final String GRANTED = "consent-granted";

    private ConsentCheck() {
    }

    /**
     * @param granted   a consent covers the release
     * @param rule      one of the constants of this class
     * @param reason    in words an admin understands, no personal data
     * @param consentId the consent that grants it, or the one that came closest; null when there is none
     */
    public record Outcome(boolean granted, String rule, String reason, UUID consentId) {
    }

    /**
     * What a release asks of a consent. {@code releasedFields} empty means the whole record.
     *
     * @param sender the partner whose record is released, which must be one of the consent's controllers
     */
    public record Release(String sender, String recipient, PartnerKind recipientKind, List<String> purposes,
                          String recordType, Optional<List<String>> releasedFields) {
    }

    public static Outcome check(List<Consent> consents, Release release, Instant now) {
        if (consents == null || consents.isEmpty()) {
            return new Outcome(false, MISSING, "no consent of the person is recorded", null);
        }
        Outcome best = null;
        int bestRank = -1;
        for (Consent consent : consents) {
            Outcome outcome = checkOne(consent, release, now);
            if (outcome.granted()) {
                return outcome;
            }
            int rank = rank(outcome.rule());
            if (rank > bestRank) {
                best = outcome;
                bestRank = rank;
            }
        }
        return best;
    }

    private static int rank(String rule) {
        return List.of(MISSING, CONTROLLER, RECIPIENT, PURPOSE, CATEGORY, FIELDS, NOT_YET_VALID, EXPIRED, WITHDRAWN).indexOf(rule);
    }

    static Outcome checkOne(Consent c, Release r, Instant now) {
        String name = "consent " + c.id();
        if (!c.controllers().contains(r.sender())) {
            return refused(CONTROLLER, name + " was given to " + c.controllers() + ", not to the sender '"
                    + r.sender() + "'", c);
        }
        if (!c.namesRecipient(r.recipient(), r.recipientKind())) {
            return refused(RECIPIENT, name + " does not name recipient '" + r.recipient() + "'"
                    + (r.recipientKind() == null ? "" : " nor its kind '" + r.recipientKind().configName() + "'")
                    + " (it names " + c.recipients() + ")", c);
        }
        for (String purpose : r.purposes()) {
            if (!c.purposes().contains(purpose)) {
                return refused(PURPOSE, name + " does not cover purpose '" + purpose + "' (it covers "
                        + c.purposes() + ")", c);
            }
        }
        // a receipt may list a record type more than once: together they cover the union of their fields
        List<Consent.DataCategory> categories = c.dataCategories().stream()
                .filter(d -> d.recordType().equals(r.recordType())).toList();
        if (categories.isEmpty()) {
            return refused(CATEGORY, name + " does not cover " + r.recordType() + " records (it covers "
                    + c.dataCategories().stream().map(Consent.DataCategory::recordType).toList() + ")", c);
        }
        boolean wholeRecord = categories.stream().anyMatch(d -> d.fields().isEmpty());
        // compared the way release pointers are: indexes removed; a field made only of indexes names no field
        List<String> consented = categories.stream().flatMap(d -> d.fields().stream())
                .map(GatewayConfigLoader::normalisePointer).filter(f -> !f.isEmpty()).distinct().toList();
        if (!wholeRecord) {
            if (r.releasedFields().isEmpty()) {
                return refused(FIELDS, name + " covers only " + consented + " of " + r.recordType()
                        + " records, the route releases the whole record", c);
            }
            for (String field : r.releasedFields().get()) {
                if (consented.stream().noneMatch(f -> field.equals(f) || field.startsWith(f + "/"))) {
                    return refused(FIELDS, name + " covers only " + consented + " of " + r.recordType()
                            + " records, the route also releases " + field, c);
                }
            }
        }
        if (c.givenAt() != null && now.isBefore(c.givenAt())) {
            return refused(NOT_YET_VALID, name + " is given from " + c.givenAt(), c);
        }
        if (c.validUntil() != null && !now.isBefore(c.validUntil())) {
            return refused(EXPIRED, name + " expired at " + c.validUntil(), c);
        }
        if (c.withdrawnAt() != null && !now.isBefore(c.withdrawnAt())) {
            return refused(WITHDRAWN, name + " was withdrawn at " + c.withdrawnAt() + " (recorded by "
                    + c.withdrawnBy() + ")", c);
        }
        return new Outcome(true, GRANTED, name + " (given " + c.givenAt() + " by the person, collected by "
                + (c.collectedBy() == null ? "?" : c.collectedBy().partner()) + ") covers it", c.id());
    }

    private static Outcome refused(String rule, String reason, Consent c) {
        return new Outcome(false, rule, reason, c.id());
    }
}
