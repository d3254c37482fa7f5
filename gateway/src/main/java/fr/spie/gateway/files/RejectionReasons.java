package fr.spie.gateway.files;

import fr.spie.gateway.intake.IntakeRejection;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Why the intake refused a record: the problem type, its detail and the JSON Pointers, with each violation's
 * message only when it does not repeat the submitted value (a file report never holds personal data).
 */
final class RejectionReasons {
    private RejectionReasons() {
    }

    static String reason(IntakeRejection r, JsonNode envelope) {
        StringBuilder sb = new StringBuilder(r.problem());
        if (!"schema-violation".equals(r.problem()) && r.getMessage() != null) {
            sb.append(": ").append(r.getMessage());
        }
        if (!r.errors().isEmpty()) {
            sb.append(r.errors().stream().map(e -> {
                JsonNode value = valueAt(envelope, e.pointer());
                boolean echoes = value.isValueNode() && !value.asString().isEmpty()
                        && e.detail() != null && e.detail().contains(value.asString());
                return e.pointer() + (echoes || e.detail() == null ? "" : " " + e.detail());
            }).collect(Collectors.joining("; ", " at ", "")));
        }
        return sb.toString();
    }

    private static JsonNode valueAt(JsonNode envelope, String pointer) {
        try {
            return envelope.at(pointer);
        } catch (IllegalArgumentException e) {
            return tools.jackson.databind.node.MissingNode.getInstance();
        }
    }
}
