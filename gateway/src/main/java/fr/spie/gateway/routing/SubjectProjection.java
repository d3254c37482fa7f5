package fr.spie.gateway.routing;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps in an envelope's {@code subject} only the fields a recipient receives ({@code delivery.subjectFields} of the
 * partner: e.g. no {@code nir} for an organisation that is not authorised to process the NIR). Plain Java.
 */
final class SubjectProjection {
    private SubjectProjection() {
    }

    /** Removes from {@code envelope.subject} every field not in {@code fields}; null fields: the subject is kept. */
    static void apply(ObjectNode envelope, List<String> fields) {
        JsonNode subject = envelope.get("subject");
        if (fields == null || !(subject instanceof ObjectNode object)) {
            return;
        }
        object.retain(fields);
    }
}
