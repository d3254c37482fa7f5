package fr.spie.gateway.outbound;

import fr.spie.gateway.delivery.DeliveryFailure;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parts of a SPIE envelope a partner transport maps: record type, subject, payload. A withdrawal notice (a
 * gateway document with {@code noticeType}, not a record) has none: it is refused saying so.
 */
record OutboundEnvelope(String recordType, ObjectNode subject, ObjectNode payload) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** @throws DeliveryFailure (not retryable) when the envelope cannot be read: it will not get better */
    static OutboundEnvelope parse(String envelope) {
        try {
            JsonNode root = JSON.readTree(envelope);
            if (root != null && root.has("noticeType")) {
                // routes.yaml refuses notifyWithdrawal towards these transports; a notice queued before the
                // recipient's transport changed still lands here
                throw new DeliveryFailure("a consent withdrawal notice is not a SPIE record: only transport spie-json"
                        + " carries withdrawal notices, this recipient's transport does not", false);
            }
            if (root != null && root.path("recordType").isString() && root.path("subject").isObject()
                    && root.path("payload").isObject()) {
                return new OutboundEnvelope(root.get("recordType").asString(), (ObjectNode) root.get("subject"),
                        (ObjectNode) root.get("payload"));
            }
        } catch (JacksonException e) {
            // reported below
        }
        throw new DeliveryFailure("the envelope has no recordType, subject or payload to map", false);
    }
}
