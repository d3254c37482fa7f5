package fr.spie.gateway.report;

import fr.spie.connector.identity.Nir;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.privacy.SubjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The person keys of a report request that can name nobody, because no accepted envelope carries a key of that shape:
 * searched, they find nothing, and the report would tell the person that nobody received their data.
 */
public final class UnusablePersonKeys {
    private UnusablePersonKeys() {
    }

    /**
     * The keys given in a shape no accepted envelope has (the SPIE schema's subject), or that would name someone
     * else: a NIR that is not 13 or 15 characters of the NIR's form, or whose key does not match (a typo), a partner
     * identifier without its scheme or its value, a departement-id without
     * its issuer (it is the key of no exchange: {@link SubjectKey#namesNoOne}). Pointers only, never values.
     */
    public static List<IntakeRejection.FieldError> of(JsonNode subject) {
        List<IntakeRejection.FieldError> errors = new ArrayList<>();
        if (subject == null || !subject.isObject()) {
            return errors;
        }
        JsonNode nir = subject.path("nir");
        if (!nir.isMissingNode()) {
            String problem = nir.isString() ? nirProblem(nir.asString()) : NOT_A_NIR;
            if (problem != null) {
                errors.add(new IntakeRejection.FieldError("/nir", problem));
            }
        }
        JsonNode identifiers = subject.path("identifiers");
        for (int i = 0; identifiers.isArray() && i < identifiers.size(); i++) {
            for (String field : new String[] {"scheme", "value"}) {
                JsonNode value = identifiers.get(i).path(field);
                if (!value.isString() || value.asString().isBlank()) {
                    errors.add(new IntakeRejection.FieldError("/identifiers/" + i + "/" + field,
                            "is required (a partner identifier is its scheme and its value)"));
                }
            }
            if (SubjectKey.namesNoOne(identifiers.get(i))) {
                errors.add(new IntakeRejection.FieldError("/identifiers/" + i + "/issuer",
                        "a departement-id needs its issuer: it names a person within its département only "
                                + "(e.g. departement-id@cd-51:123)"));
            }
        }
        return errors;
    }

    private static final String NOT_A_NIR = "is not a NIR (13 characters, or 15 with the key)";

    /**
     * Why a NIR given to find a person can name nobody, or null when it can: not of the SPIE schema's form (no
     * accepted envelope carries it: searched, it finds nothing, and the answer would say that nobody received the
     * person's data), or given with a key that does not match (a mistyped NIR is another person's: searched by its 13
     * characters, it finds whoever has them; the key is there to catch the typo, and the pull refuses it too).
     */
    public static String nirProblem(String text) {
        if (!isSchemaNir(text)) {
            return NOT_A_NIR;
        }
        return keyMatches(text) ? null
                : "its key (the last 2 characters) does not match its first 13: a mistyped NIR would name someone else";
    }

    /** Whether a NIR of the schema's form given with its key (15 characters) has the key of its 13 first. */
    private static boolean keyMatches(String text) {
        Nir nir = Nir.parse(text.replace(" ", "").toUpperCase(Locale.ROOT));
        return !nir.hasKey() || nir.hasValidKey();
    }

    /**
     * Whether the text, spaces removed and upper-cased as the person key does it, is a NIR of the SPIE schema's form
     * ({@link Nir#conformsToSpieSchema}). Other white space is not removed by the key, so it makes the NIR unusable.
     */
    private static boolean isSchemaNir(String text) {
        String compact = text.replace(" ", "").toUpperCase(Locale.ROOT);
        try {
            Nir nir = Nir.parse(compact);
            return nir.value().equals(compact) && nir.conformsToSpieSchema();
        } catch (IllegalArgumentException notANir) {
            return false;
        }
    }
}
