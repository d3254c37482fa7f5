package fr.spie.schema;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The JSON Pointers each record type's schema defines, collected once from the bundled schema documents (following
 * {@code $ref}, {@code properties}, {@code items}, {@code allOf}/{@code anyOf}/{@code oneOf}, {@code then}/{@code else});
 * arrays are transparent, so pointers carry no index.
 */
final class PointerCatalogue {

    private final Map<String, Set<String>> definedPointers;

    PointerCatalogue(BundledSchemaFiles files, List<String> recordTypes) {
        Map<String, Set<String>> pointers = new HashMap<>();
        for (String type : recordTypes) {
            Set<String> defined = new HashSet<>();
            String id = BundledSchemaFiles.idOf(type);
            collectPointers(files, files.document(id), id, "", defined, 0);
            pointers.put(type, Set.copyOf(defined));
        }
        this.definedPointers = Map.copyOf(pointers);
    }

    /** See {@link SpieSchemas#definesPointer(String, String)}. */
    boolean defines(String recordType, String jsonPointer) {
        Set<String> defined = recordType == null ? null : definedPointers.get(recordType);
        if (defined == null || jsonPointer == null) {
            return false;
        }
        if (jsonPointer.isEmpty()) {
            return true;
        }
        if (!jsonPointer.startsWith("/")) {
            return false;
        }
        StringBuilder normalised = new StringBuilder();
        for (String segment : jsonPointer.substring(1).split("/", -1)) {
            if (segment.isEmpty()) {
                return false;
            }
            if (!segment.chars().allMatch(Character::isDigit)) {
                normalised.append('/').append(segment);
            }
        }
        return defined.contains(normalised.toString());
    }

    private static void collectPointers(BundledSchemaFiles files, JsonNode schema, String docId, String prefix,
            Set<String> out, int depth) {
        if (schema == null || !schema.isObject() || depth > 40) {
            return;
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isString()) {
            String r = ref.asString();
            int hash = r.indexOf('#');
            String docPart = hash < 0 ? r : r.substring(0, hash);
            String fragment = hash < 0 ? "" : r.substring(hash + 1);
            String targetId = docPart.isEmpty() ? docId : java.net.URI.create(docId).resolve(docPart).toString();
            JsonNode doc = files.document(targetId);
            if (doc == null) {
                throw new IllegalStateException("unresolvable $ref " + r + " in " + docId);
            }
            collectPointers(files, doc.at(fragment), targetId, prefix, out, depth + 1);
        }
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.isObject()) {
            for (Map.Entry<String, JsonNode> p : properties.properties()) {
                String pointer = prefix + "/" + JsonPointers.escape(p.getKey());
                out.add(pointer);
                collectPointers(files, p.getValue(), docId, pointer, out, depth + 1);
            }
        }
        collectPointers(files, schema.get("items"), docId, prefix, out, depth + 1);
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode list = schema.get(combinator);
            if (list != null && list.isArray()) {
                for (JsonNode sub : list) {
                    collectPointers(files, sub, docId, prefix, out, depth + 1);
                }
            }
        }
        collectPointers(files, schema.get("then"), docId, prefix, out, depth + 1);
        collectPointers(files, schema.get("else"), docId, prefix, out, depth + 1);
    }
}
