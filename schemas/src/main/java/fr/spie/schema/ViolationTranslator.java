package fr.spie.schema;

import com.networknt.schema.Error;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the validator's errors into violations, in the validator's order without duplicates: collapses the failed
 * alternatives of an {@code anyOf} into one violation, and drops a {@code pattern} violation when a {@code format}
 * violation was reported at the same place (e.g. exchangeId). Every other error becomes a {@link KeywordViolations}.
 */
final class ViolationTranslator {

    private ViolationTranslator() {
    }

    /** The violations of {@code errors}, pointers prefixed by {@code prefix} (e.g. {@code /payload}). */
    static List<Violation> translate(List<Error> errors, String prefix) {
        if (errors.isEmpty()) {
            return List.of();
        }
        Set<Violation> out = new LinkedHashSet<>();
        Set<String> formatPointers = new HashSet<>();
        Set<String> collapsed = new HashSet<>();
        for (Error error : errors) {
            if ("format".equals(error.getKeyword())) {
                formatPointers.add(prefix + JsonPointers.of(error));
            }
        }
        for (Error error : errors) {
            String schemaLocation = error.getSchemaLocation() == null ? "" : error.getSchemaLocation().toString();
            int anyOf = schemaLocation.lastIndexOf("/anyOf/");
            if (anyOf >= 0) {
                String pointer = prefix + JsonPointers.ofAnyOf(error);
                String anyOfLocation = schemaLocation.substring(0, anyOf + "/anyOf".length());
                if (collapsed.add(anyOfLocation + " @ " + pointer)) {
                    out.add(new Violation(pointer, KeywordViolations.anyOfMessage(anyOfLocation)));
                }
                continue;
            }
            Violation v = KeywordViolations.of(error, prefix);
            if ("pattern".equals(error.getKeyword()) && formatPointers.contains(v.pointer())) {
                continue;
            }
            out.add(v);
        }
        return List.copyOf(out);
    }
}
