package fr.spie.gateway.intake;

import fr.spie.gateway.privacy.SubjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The refusal of an envelope whose subject, valid for the schema, gives no key the gateway can name a person by: a
 * {@code departement-id} without issuer from a partner that does not issue it (it could be any département's), and
 * nothing else, or a first given name that is only punctuation. Accepted, its deliveries would be in the audit trail
 * under no pseudonym: no person's access report, and no auditor's search, could ever tell who received that data.
 * Pointers only, never values.
 */
final class UnidentifiedSubject {
    static final String PROBLEM = "unidentified-subject";

    private UnidentifiedSubject() {
    }

    /** @param keyed the subject as it is keyed (the sender's departement-ids given their issuer) */
    static IntakeRejection of(JsonNode keyed, UUID exchangeId) {
        List<IntakeRejection.FieldError> errors = new ArrayList<>();
        JsonNode identifiers = keyed == null ? null : keyed.path("identifiers");
        for (int i = 0; identifiers != null && identifiers.isArray() && i < identifiers.size(); i++) {
            if (SubjectKey.namesNoOne(identifiers.get(i))) {
                errors.add(new IntakeRejection.FieldError("/subject/identifiers/" + i + "/issuer",
                        "a departement-id names a person within its département only: give its issuer (e.g. cd-51)"));
            }
        }
        errors.add(new IntakeRejection.FieldError("/subject", "names no person: give the NIR, a partner identifier "
                + "{scheme, value} (a departement-id with its issuer), or birthName, givenNames and birthDate"));
        return new IntakeRejection(400, PROBLEM, "The subject names no person",
                "the subject gives no key the gateway can name the person by, so no one could be told who received "
                        + "this record: " + errors.get(0).pointer() + " " + errors.get(0).detail(), errors,
                exchangeId);
    }
}
