package fr.spie.gateway.audit;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.privacy.SubjectKey;
import fr.spie.gateway.report.UnusablePersonKeys;
import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an auditor's person query ({@code nir}, or {@code identifierScheme} + {@code identifierValue} (+
 * {@code identifierIssuer}, which a CAF or MSA matricule or a département id needs to name one person), or
 * {@code birthName}, {@code givenName}, {@code birthDate}, {@code sex}) into the keyed pseudonyms the audit trail
 * holds: it builds the same subject object an envelope carries and takes its keys as a person's own report does
 * ({@link SubjectKey#searchKeysOf}: the names and birth date with and without sex, with both sexes when none is
 * given, since an exchange may carry them either way), so the normalisation is exactly the one intake applies and
 * an auditor's selection holds what the person's report lists. The values are used in memory only, never logged or
 * stored.
 */
public record PersonFilter(String nir, String identifierScheme, String identifierValue, String identifierIssuer,
                           String birthName, String givenName, String birthDate, String sex) {

    /** True when any person parameter is present. */
    public boolean present() {
        for (String v : new String[] {nir, identifierScheme, identifierValue, identifierIssuer, birthName, givenName,
                birthDate, sex}) {
            if (v != null && !v.isBlank()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The person's pseudonyms (one for a NIR or an identifier, up to three for a France Travail id in the cases the
     * channels write it; two or three for names and birth date), or null when
     * no person parameter is given; 400 when they name no usable key.
     */
    public List<String> pseudonyms(Pseudonymizer pseudonymizer) {
        if (!present()) {
            return null;
        }
        ObjectNode subject = JsonNodeFactory.instance.objectNode();
        if (has(nir)) {
            // refused as the person's report refuses it: a mistyped NIR is someone else's, and one that is no NIR
            // finds nothing, which the auditor would take for "nobody received this person's data"
            String problem = UnusablePersonKeys.nirProblem(nir);
            if (problem != null) {
                throw bad("nir " + problem);
            }
            subject.put("nir", nir);
        } else if (has(identifierScheme) || has(identifierValue) || has(identifierIssuer)) {
            if (!has(identifierScheme) || !has(identifierValue)) {
                throw bad("identifierScheme and identifierValue go together (identifierIssuer with them)");
            }
            ObjectNode identifier = subject.putArray("identifiers").addObject().put("scheme", identifierScheme)
                    .put("value", identifierValue);
            if (has(identifierIssuer)) {
                identifier.put("issuer", identifierIssuer);
            }
            if (SubjectKey.namesNoOne(identifier)) {
                throw bad("a departement-id names a person within its département only: give identifierIssuer "
                        + "(the département's partner id, e.g. cd-51)");
            }
            // a CAF/MSA matricule names a household: its members' exchanges are keyed with their given name and
            // birth date (SubjectKey), which the auditor gives to select one member
            if (has(givenName) && has(birthDate)) {
                subject.putArray("givenNames").add(givenName);
                subject.put("birthDate", birthDate);
            }
        } else {
            if (!has(birthName) || !has(birthDate)) {
                throw bad("a person is named by nir, by identifierScheme + identifierValue, or by birthName + "
                        + "birthDate (+ givenName, sex)");
            }
            subject.put("birthName", birthName);
            subject.put("birthDate", birthDate);
            if (has(givenName)) {
                subject.putArray("givenNames").add(givenName);
            }
            if (has(sex)) {
                subject.put("sex", sex);
            }
        }
        List<String> keys = SubjectKey.searchKeysOf(subject);
        if (keys.isEmpty()) {
            throw bad("these parameters name no person");
        }
        return keys.stream().map(pseudonymizer::pseudonym).toList();
    }

    private static boolean has(String v) {
        return v != null && !v.isBlank();
    }

    private static IntakeRejection bad(String what) {
        return new IntakeRejection(400, "invalid-parameter", "Invalid query parameter", "person: " + what,
                List.of(new IntakeRejection.FieldError("person", what)), null);
    }
}
