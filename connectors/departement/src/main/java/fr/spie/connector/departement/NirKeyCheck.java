package fr.spie.connector.departement;

import fr.spie.connector.departement.FileMapping.FieldMapping;
import fr.spie.connector.identity.Nir;
import tools.jackson.databind.JsonNode;

/**
 * The key check of a NIR read into {@code /nir} (of the person or of the subject). A NIR of 15 characters carries its
 * key, {@code 97 - (13 first characters mod 97)}: a wrong key means the number was mistyped, and since persons are
 * matched on the 13 first characters (FORMATS.md §10, "RDV-I computes/validates the key"), a mistyped NIR would be
 * matched to someone else. Such a value is invalid like any other (the field's {@code onInvalid} applies), as the CAF
 * connector rejects a flux person whose NIR has a wrong key. A 13-character NIR has no key to check.
 */
final class NirKeyCheck {

    private static final String NIR_POINTER = "/nir";

    private NirKeyCheck() {
    }

    /** {@code result}, or an invalid result when the field reads a NIR whose key is wrong. */
    static FieldValues.Result check(FieldMapping field, FieldValues.Result result) {
        if (result.invalid() != null || !NIR_POINTER.equals(field.targetPointer())) {
            return result;
        }
        JsonNode value = result.value();
        if (value == null || !value.isString()) {
            return result;
        }
        Nir nir;
        try {
            nir = Nir.parse(value.asString());
        } catch (IllegalArgumentException notANir) {
            return result; // the field's pattern says whether it is a NIR at all
        }
        if (nir.hasKey() && !nir.hasValidKey()) {
            return FieldValues.Result.bad("a NIR of 15 characters whose key (the last 2) does not match the 13 first:"
                    + " mistyped, never matched to anyone");
        }
        return result;
    }
}
