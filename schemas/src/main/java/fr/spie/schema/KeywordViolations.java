package fr.spie.schema;

import com.networknt.schema.Error;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One validator error as a violation, by keyword: a missing required or a not allowed property is reported at the
 * property's own pointer, anything else at the offending value, with a readable English message.
 */
final class KeywordViolations {

    private static final String SUBJECT_ANY_OF = "common.schema.json#/$defs/subject/anyOf";
    private static final String SUBJECT_MESSAGE = "must identify the person with at least one of: nir, "
            + "a non-empty identifiers array, or birthName + givenNames + birthDate";
    private static final String ALTERNATIVES_MESSAGE = "must match at least one of the allowed alternatives";

    private KeywordViolations() {
    }

    /** The violation of {@code error}, its pointer prefixed by {@code prefix}. */
    static Violation of(Error error, String prefix) {
        String location = JsonPointers.of(error);
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        Object[] args = error.getArguments() == null ? new Object[0] : error.getArguments();
        JsonNode schemaNode = error.getSchemaNode();
        switch (keyword) {
            case "required": {
                return new Violation(prefix + location + "/" + JsonPointers.escape(error.getProperty()), "is required");
            }
            case "additionalProperties":
            case "unevaluatedProperties": {
                return new Violation(prefix + location + "/" + JsonPointers.escape(error.getProperty()),
                        "is not allowed: the schema does not define this property");
            }
            case "enum": {
                List<String> values = new ArrayList<>();
                if (schemaNode != null && schemaNode.isArray()) {
                    schemaNode.forEach(v -> values.add(v.isString() ? v.asString() : v.toString()));
                }
                return new Violation(prefix + location, "must be one of " + values);
            }
            case "const": {
                String value = schemaNode == null ? String.valueOf(args.length > 0 ? args[0] : "")
                        : schemaNode.isString() ? schemaNode.asString() : schemaNode.toString();
                return new Violation(prefix + location, "must be \"" + value + "\"");
            }
            case "format": {
                String format = schemaNode != null && schemaNode.isString() ? schemaNode.asString()
                        : String.valueOf(args.length > 0 ? args[0] : "");
                return new Violation(prefix + location, formatMessage(format));
            }
            case "pattern": {
                String pattern = schemaNode != null && schemaNode.isString() ? schemaNode.asString()
                        : String.valueOf(args.length > 0 ? args[0] : "");
                return new Violation(prefix + location, "must match the pattern " + pattern);
            }
            case "type": {
                String expected = schemaNode == null ? String.valueOf(args.length > 1 ? args[1] : "")
                        : schemaNode.isString() ? schemaNode.asString() : schemaNode.toString();
                String article = expected.matches("^[aeiou].*") ? "an " : "a ";
                return new Violation(prefix + location, "must be " + article + expected);
            }
            case "anyOf": {
                String schemaLocation = error.getSchemaLocation() == null ? "" : error.getSchemaLocation().toString();
                return new Violation(prefix + location, anyOfMessage(schemaLocation));
            }
            default:
                return new Violation(prefix + location, stripLocation(error.getMessage(), location));
        }
    }

    /** The message of a failed {@code anyOf} at {@code schemaLocation}: the subject's names what identifies a person. */
    static String anyOfMessage(String schemaLocation) {
        return schemaLocation.endsWith(SUBJECT_ANY_OF) ? SUBJECT_MESSAGE : ALTERNATIVES_MESSAGE;
    }

    private static String formatMessage(String format) {
        return switch (format) {
            case "date" -> "must be a valid date (YYYY-MM-DD)";
            case "date-time" -> "must be a valid date-time (RFC 3339, e.g. 2025-03-04T09:30:00+01:00)";
            case "uuid" -> "must be a valid UUID";
            case "email" -> "must be a valid email address";
            default -> "must be a valid " + format;
        };
    }

    private static String stripLocation(String message, String location) {
        if (message == null) {
            return "is invalid";
        }
        String prefix = location + ": ";
        if (message.startsWith(prefix)) {
            return message.substring(prefix.length());
        }
        if (message.startsWith(": ")) {
            return message.substring(2);
        }
        return message;
    }
}
