package fr.spie.schema;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;

/** RFC 6901 JSON Pointers: escaping a property name, and where a validator {@link Error} points in the instance. */
final class JsonPointers {

    private JsonPointers() {
    }

    /** A property name as one pointer segment ({@code ~} and {@code /} escaped); {@code ""} for null. */
    static String escape(String property) {
        return property == null ? "" : property.replace("~", "~0").replace("/", "~1");
    }

    /** The error's instance location as a pointer ({@code ""} = root). */
    static String of(Error error) {
        if (error.getInstanceLocation() == null) {
            return "";
        }
        String location = error.getInstanceLocation().toString();
        return location.equals("/") ? "" : location;
    }

    /**
     * The instance the failed {@code anyOf} applied to: the error's instance location minus the instance levels
     * descended below the last {@code anyOf} of its evaluation path.
     */
    static String ofAnyOf(Error error) {
        String pointer = of(error);
        NodePath evaluation = error.getEvaluationPath();
        if (evaluation == null) {
            return pointer;
        }
        int count = evaluation.getNameCount();
        int start = -1;
        for (int i = count - 1; i >= 0; i--) {
            if ("anyOf".equals(evaluation.getName(i))) {
                start = i + 2; // skip "anyOf" and the alternative's index
                break;
            }
        }
        if (start < 0) {
            return pointer;
        }
        int depth = 0;
        for (int i = start; i < count; i++) {
            String segment = evaluation.getName(i);
            switch (segment) {
                case "properties", "patternProperties", "prefixItems" -> {
                    depth++;
                    i++; // skip the property name / index
                }
                case "items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contains" -> depth++;
                default -> { }
            }
        }
        String result = pointer;
        for (int d = 0; d < depth && !result.isEmpty(); d++) {
            result = result.substring(0, result.lastIndexOf('/'));
        }
        return result;
    }
}
