package fr.spie.gateway.routing;

import fr.spie.gateway.config.GatewayConfigLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Data minimisation: keeps only the fields of a payload that an allow-list of JSON Pointers names. Arrays are
 * transparent ({@code /suspensions/reasonCode} keeps the reasonCode of every suspension; indexes in pointers are
 * ignored); a pointer keeps its whole value (object, array or scalar). Objects and array elements left with nothing
 * are dropped, so the output never holds a field the allow-list does not name — not even an empty container
 * outside it. Plain Java.
 */
public final class PayloadProjection {
    /**
     * A person's NIR and the flag saying whether it is certified (schema 1.1): released together, so that a recipient
     * is never given an uncertified NIR as if it were certified.
     */
    static final String NIR = "/nir";
    static final String NIR_CERTIFIED = "/nirCertified";

    private final Node root = new Node();

    /** @param pointers JSON Pointers (RFC 6901); "" releases the whole payload; {@code /nir} releases {@code /nirCertified} too */
    public PayloadProjection(List<String> pointers) {
        List<String> released = new ArrayList<>(pointers);
        if (pointers.stream().map(GatewayConfigLoader::normalisePointer).anyMatch(NIR::equals)) {
            released.add(NIR_CERTIFIED);
        }
        for (String pointer : released) {
            if (pointer.isEmpty()) {
                root.whole = true;
                continue;
            }
            String normalised = GatewayConfigLoader.normalisePointer(pointer);
            if (normalised.isEmpty()) {
                continue; // only array indexes: names no field, releases nothing
            }
            Node node = root;
            for (String segment : normalised.substring(1).split("/")) {
                if (segment.isEmpty()) {
                    continue;
                }
                String name = segment.replace("~1", "/").replace("~0", "~");
                node = node.children.computeIfAbsent(name, k -> new Node());
            }
            node.whole = true;
        }
    }

    /** The projected payload: always an object (empty when nothing is released). */
    public ObjectNode project(JsonNode payload) {
        JsonNode projected = payload == null ? null : project(payload, root);
        return projected instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
    }

    /** The payload's fields at these pointers; null when nothing of {@code value} is released. */
    private static JsonNode project(JsonNode value, Node allowed) {
        if (allowed.whole) {
            return value.deepCopy();
        }
        if (value.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                Node child = allowed.children.get(field.getKey());
                if (child != null) {
                    JsonNode kept = project(field.getValue(), child);
                    if (kept != null) {
                        out.set(field.getKey(), kept);
                    }
                }
            }
            return out.isEmpty() ? null : out;
        }
        if (value.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : value) {
                JsonNode kept = project(element, allowed);
                if (kept != null) {
                    out.add(kept);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return null; // a scalar where the allow-list names fields below it: nothing of it is released
    }

    /** The JSON Pointers (indexes removed) of every leaf value in {@code node}; for tests and explanations. */
    public static List<String> leafPaths(JsonNode node) {
        List<String> out = new ArrayList<>();
        leaves(node, "", out);
        return out;
    }

    private static void leaves(JsonNode node, String prefix, List<String> out) {
        if (node.isObject() && !node.isEmpty()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                leaves(field.getValue(), prefix + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), out);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode element : node) {
                leaves(element, prefix, out);
            }
        } else {
            out.add(prefix);
        }
    }

    private static final class Node {
        boolean whole;
        final Map<String, Node> children = new LinkedHashMap<>();
    }
}
