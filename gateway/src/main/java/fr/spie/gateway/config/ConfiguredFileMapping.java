package fr.spie.gateway.config;

import fr.spie.connector.departement.FileMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * A départemental file mapping as a configuration gives it ({@code mapping}): the name of a built-in mapping, or an
 * inline definition; with the mapping it stands for.
 *
 * @param name    the built-in mapping's name, null for an inline one
 * @param inline  the inline definition, null for a built-in one
 * @param mapping the mapping
 */
record ConfiguredFileMapping(String name, Map<String, Object> inline, FileMapping mapping) {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<Map<String, Object>> MAP_TYPE = (Class) Map.class;

    /** @throws RuntimeException when the mapping is unknown or invalid, its message saying why */
    static ConfiguredFileMapping read(JsonNode node) {
        if (node.isString()) {
            return new ConfiguredFileMapping(node.asString(), null, FileMapping.builtin(node.asString()));
        }
        Map<String, Object> inline = MAPPER.treeToValue(node, MAP_TYPE);
        return new ConfiguredFileMapping(null, inline, FileMapping.fromMap(inline));
    }
}
