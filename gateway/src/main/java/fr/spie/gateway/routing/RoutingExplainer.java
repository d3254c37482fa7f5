package fr.spie.gateway.routing;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.Route;
import fr.spie.gateway.consent.ConsentLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Explains what the gateway would do with an envelope, without sending anything: per candidate recipient, the route,
 * the decision with the rule that made it, the released fields and the projected payload. Used by the admin API
 * (with the consent registry) and by the offline CLI (without: consent is "not checked offline"). Plain Java.
 */
public final class RoutingExplainer {
    private final RoutingPolicy policy = new RoutingPolicy();

    /**
     * @param configVersion the configuration version the explanation applies
     * @param notes         what the explanation could not check or why nothing is routed
     * @param recipients    one entry per candidate recipient
     */
    public record Explanation(String configVersion, List<String> notes, List<RecipientExplanation> recipients) {
    }

    /**
     * @param releasedFields the JSON Pointers released, or null for the whole payload
     * @param subjectFields  the subject's fields the recipient receives ({@code delivery.subjectFields}), or null for
     *                       the whole subject
     */
    public record RecipientExplanation(String recipient, String routeId, String decision, String rule, String reason,
                                       UUID consentId, List<String> releasedFields, JsonNode projectedPayload,
                                       List<String> subjectFields) {
    }

    /**
     * @param subjectPseudonym the person's pseudonym, or null (offline: no pseudonym key)
     * @param consents         the consent registry, or null (offline)
     */
    public Explanation explain(GatewayConfig config, JsonNode envelope, String subjectPseudonym,
                               ConsentLookup consents, Instant now) {
        List<String> notes = new ArrayList<>();
        String source = envelope.path("source").asString("");
        String recordType = envelope.path("recordType").asString("");
        if (GatewayConfigLoader.CONSENT_RECORD_TYPE.equals(recordType)) {
            notes.add("consent records are not routed: the gateway registers them in its consent registry "
                    + "(audit CONSENT_GIVEN), no recipient receives them");
            return new Explanation(config.version(), notes, List.of());
        }
        if (consents == null) {
            notes.add("consent not checked offline: the consent registry is only available in the running gateway "
                    + "(POST /api/v1/admin/routing/explain); routes that need consent are shown as deliver with "
                    + "rule " + RoutingDecision.CONSENT_NOT_CHECKED);
        }
        if (!policy.maySend(config, source, recordType)) {
            notes.add("no route carries " + recordType + " records from partner '" + source
                    + "': the gateway would refuse the envelope (403 record-type-not-allowed)");
        }
        RoutingPolicy.Request request = new RoutingPolicy.Request(source, recordType,
                envelope.path("purpose").asString(""), envelope.path("legalBasis").path("type").asString(""),
                subjectPseudonym);
        Map<String, Route> routes = new LinkedHashMap<>();
        config.routes().forEach(r -> routes.put(r.id(), r));
        List<RecipientExplanation> out = new ArrayList<>();
        for (RoutingDecision d : policy.decide(config, request, consents, now)) {
            List<String> fields = routes.get(d.routeId()).releaseFor(d.recipient()).orElse(null);
            JsonNode projected = d.deliver() ? project(envelope.path("payload"), fields) : null;
            List<String> subjectFields = config.subjectFieldsOf(d.recipient());
            out.add(new RecipientExplanation(d.recipient(), d.routeId(), d.deliver() ? "deliver" : "blocked",
                    d.rule(), d.reason(), d.consentId(), fields, projected, subjectFields));
        }
        return new Explanation(config.version(), notes, out);
    }

    static JsonNode project(JsonNode payload, List<String> fields) {
        return fields == null ? payload.deepCopy() : new PayloadProjection(fields).project(payload);
    }
}
