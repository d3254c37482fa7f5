package fr.spie.gateway.report;

import fr.spie.gateway.intake.IntakeRejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The person keys of a report request that can name nobody, because no accepted envelope carries a key of that shape:
 * searched, they find nothing, and the report would tell the person that nobody received their data.
 */
public final class UnusablePersonKeys {
    /** The SPIE schema's NIR (common.schema.json): 13 characters, or 15 with the key; 2A/2B for Corsica. */
    private static final Pattern NIR = Pattern.compile(
            "^[12][0-9]{2}(0[1-9]|1[0-2]|[2-9][0-9])(2[AB]|[0-9]{2})[0-9]{6}([0-9]{2})?$");

    private UnusablePersonKeys() {
    }

    /**
     * The keys given in a shape no accepted envelope has (the SPIE schema's subject): a NIR that is not 13 or 15
     * characters of the NIR's form, a partner identifier without its scheme or its value. Pointers only, never values.
     */
    public static List<IntakeRejection.FieldError> of(JsonNode subject) {
        List<IntakeRejection.FieldError> errors = new ArrayList<>();
        if (subject == null || !subject.isObject()) {
            return errors;
        }
        JsonNode nir = subject.path("nir");
        if (!nir.isMissingNode() && !(nir.isString()
                && NIR.matcher(nir.asString().replace(" ", "").toUpperCase(Locale.ROOT)).matches())) {
            errors.add(new IntakeRejection.FieldError("/nir", "is not a NIR (13 characters, or 15 with the key)"));
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
        }
        return errors;
    }
}
