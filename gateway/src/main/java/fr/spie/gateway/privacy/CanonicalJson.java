package fr.spie.gateway.privacy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serialises JSON trees with sorted property names and no whitespace, so that the same content always gives the same
 * bytes (for digests and idempotency checks), whatever the sender's formatting or property order.
 */
public final class CanonicalJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    private CanonicalJson() {
    }

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    public static String digest(JsonNode node) {
        return Digests.sha256Hex(bytes(node));
    }
}
