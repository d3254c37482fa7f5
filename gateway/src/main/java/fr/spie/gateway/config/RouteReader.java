package fr.spie.gateway.config;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

import static fr.spie.gateway.config.GatewayConfigLoader.CONSENT_RECORD_TYPE;
import static fr.spie.gateway.config.GatewayConfigLoader.PARTNERS_FILE;
import static fr.spie.gateway.config.GatewayConfigLoader.normalisePointer;
import static fr.spie.gateway.config.GatewayConfigLoader.sorted;
import static fr.spie.gateway.config.GatewayConfigLoader.text;

/**
 * Reads the routes of {@code routes.yaml}: unique ids, known record types, senders and recipients that are declared
 * partners (recipients with a delivery, never the sender), legal basis, consent requirement, release allow-lists,
 * withdrawal notices (only to recipients whose transport carries them) and retention.
 */
final class RouteReader {
    private static final Route.ConsentRequirement NO_CONSENT = new Route.ConsentRequirement(List.of());
    private static final Route.ConsentRequirement INVALID_CONSENT = new Route.ConsentRequirement(List.of());

    private final CheckedDocument doc;
    private final Set<String> knownRecordTypes;
    private final BiPredicate<String, String> pointerCheck;
    private final Map<String, Boolean> declaredPartners;
    private final Map<String, String> deliveryTransports;
    private final boolean partnersReadable;

    /**
     * @param doc              routes.yaml, null when absent or unreadable
     * @param pointerCheck     whether a JSON Pointer names a field of a record type's schema
     * @param declaredPartners declared partner ids → whether they declare a delivery
     * @param deliveryTransports declared partner ids with a delivery → the name of its transport
     * @param partnersReadable whether partners.yaml lists partners: only then is an unknown partner reported
     */
    RouteReader(CheckedDocument doc, Set<String> knownRecordTypes, BiPredicate<String, String> pointerCheck,
                Map<String, Boolean> declaredPartners, Map<String, String> deliveryTransports,
                boolean partnersReadable) {
        this.doc = doc;
        this.knownRecordTypes = knownRecordTypes;
        this.pointerCheck = pointerCheck;
        this.declaredPartners = declaredPartners;
        this.deliveryTransports = deliveryTransports;
        this.partnersReadable = partnersReadable;
    }

    /** The valid routes; the problems of the others are reported. */
    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        JsonNode list = doc == null ? null : doc.root().get("routes");
        if (list == null || !list.isArray()) {
            return routes;
        }
        DuplicateCheck ids = new DuplicateCheck(doc, "route id");
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String at = YamlDocument.child("/routes", i);
            if (!node.isObject()) {
                continue;
            }
            String id = text(node, "id");
            String label = "route '" + (id == null ? "#" + (i + 1) : id) + "'";
            boolean valid = id != null && ids.isFirst(id, at, "id");
            Set<String> recordTypes = new LinkedHashSet<>();
            JsonNode types = node.get("recordTypes");
            if (types != null && types.isArray()) {
                for (int t = 0; t < types.size(); t++) {
                    String type = types.get(t).isString() ? types.get(t).asString() : null;
                    String pointer = YamlDocument.child(at + "/recordTypes", t);
                    if (type != null && !knownRecordTypes.contains(type)) {
                        doc.report(pointer, label + ": unknown record type '" + type + "' (known: "
                                + String.join(", ", sorted(knownRecordTypes)) + ")");
                        valid = false;
                    } else if (type != null) {
                        recordTypes.add(type);
                    }
                }
            }
            List<String> from = partnerRefs(node, at, "from", label);
            List<String> to = partnerRefs(node, at, "to", label);
            valid &= from != null && to != null && !from.contains(null) && !to.contains(null);
            for (int t = 0; to != null && from != null && t < to.size(); t++) {
                String recipient = to.get(t);
                String pointer = refPointer(node, at, "to", t);
                if (recipient == null || !declaredPartners.containsKey(recipient)) {
                    continue;
                }
                if (from.contains(recipient)) {
                    doc.report(pointer, label + ": partner '" + recipient
                            + "' is in both 'from' and 'to': a partner cannot route to itself");
                    valid = false;
                } else if (!declaredPartners.get(recipient)) {
                    doc.report(pointer, label + ": recipient '" + recipient + "' has no 'delivery' in "
                            + PARTNERS_FILE + " (add delivery.url to partner '" + recipient + "')");
                    valid = false;
                }
            }
            String purpose = text(node, "purpose");
            String description = text(node, "description");
            JsonNode basis = node.path("legalBasis");
            String basisType = text(basis, "type");
            String reference = text(basis, "reference");
            if (basisType != null && !LegalBasis.TYPES.contains(basisType)) {
                doc.report(at + "/legalBasis/type", label + ": unknown legal basis '" + basisType + "' (one of: "
                        + String.join(", ", sorted(LegalBasis.TYPES)) + ")");
                valid = false;
            }
            if (recordTypes.contains(CONSENT_RECORD_TYPE)) {
                doc.report(at + "/recordTypes", label + ": consent records are registered by the gateway "
                        + "itself (consent registry), they are not routed: remove '" + CONSENT_RECORD_TYPE + "'");
                valid = false;
            }
            Route.ConsentRequirement consent = consentRequirement(node, at, label, basisType, purpose);
            valid &= consent != INVALID_CONSENT;
            Map<String, List<String>> release = release(node, at, label, recordTypes, to);
            valid &= release != null;
            boolean notifyWithdrawal = node.path("notifyWithdrawal").asBoolean(false);
            if (notifyWithdrawal && consent != NO_CONSENT && consent != INVALID_CONSENT && to != null) {
                valid &= noticesCanBeCarried(at, label, to);
            }
            Duration retention = doc.duration(node, at, "retention", null);
            valid &= node.get("retention") == null || retention != null;
            if (valid && from != null && to != null && purpose != null && description != null
                    && basisType != null && reference != null && !recordTypes.isEmpty()) {
                routes.add(new Route(id, description, recordTypes, new LinkedHashSet<>(from), to, purpose,
                        new LegalBasis(basisType, reference), consent == NO_CONSENT ? null : consent, release,
                        notifyWithdrawal, retention));
            }
        }
        return routes;
    }

    /** The route's consent requirement, {@link #NO_CONSENT}, or {@link #INVALID_CONSENT} (reported). */
    private Route.ConsentRequirement consentRequirement(JsonNode route, String at, String label, String basisType,
                                                        String purpose) {
        JsonNode node = route.get("consent");
        boolean basisIsConsent = "consent".equals(basisType);
        if (node == null || !node.isObject()) {
            return basisIsConsent && purpose != null ? new Route.ConsentRequirement(List.of(purpose)) : NO_CONSENT;
        }
        if (doc.flagged(at + "/consent")) {
            return INVALID_CONSENT;
        }
        boolean required = node.path("required").asBoolean(false);
        if (!required && basisIsConsent) {
            doc.report(at + "/consent/required", label + ": a route whose legal basis is consent always needs "
                    + "the person's consent (consent.required cannot be false)");
            return INVALID_CONSENT;
        }
        if (!required) {
            return NO_CONSENT;
        }
        List<String> purposes = new ArrayList<>();
        node.path("purposes").forEach(p -> purposes.add(p.asString()));
        if (purposes.isEmpty() && purpose != null) {
            purposes.add(purpose);
        }
        if (basisIsConsent && purpose != null && !purposes.contains(purpose)) {
            // the records are processed for the route's purpose: on a consent basis, the consent must cover it
            doc.report(at + "/consent/purposes", label + ": a route whose legal basis is consent needs the person's "
                    + "consent to its own purpose: consent.purposes must include the route's purpose '" + purpose
                    + "' (it lists " + purposes + ")");
            return INVALID_CONSENT;
        }
        return new Route.ConsentRequirement(purposes);
    }

    /**
     * The route's allow-lists per recipient (array indexes removed from pointers), null when invalid (reported).
     * A pointer must be defined by the schema of at least one of the route's record types.
     */
    private Map<String, List<String>> release(JsonNode route, String at, String label, Set<String> recordTypes,
                                              List<String> to) {
        JsonNode node = route.get("release");
        Map<String, List<String>> release = new LinkedHashMap<>();
        if (node == null || !node.isObject()) {
            return release;
        }
        if (doc.flagged(at + "/release")) {
            return null;
        }
        boolean valid = true;
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String recipient = entry.getKey();
            String recipientAt = YamlDocument.child(at + "/release", recipient);
            if (to != null && !to.contains(recipient)) {
                doc.report(recipientAt, label + ": release names '" + recipient + "', which is not a recipient "
                        + "of the route (to: " + String.join(", ", to.stream().map(String::valueOf).toList()) + ")");
                valid = false;
                continue;
            }
            List<String> pointers = new ArrayList<>();
            for (int i = 0; i < entry.getValue().size(); i++) {
                String pointer = entry.getValue().get(i).asString();
                String pointerAt = YamlDocument.child(recipientAt, i);
                if (doc.flagged(pointerAt)) {
                    valid = false;
                    continue;
                }
                boolean defined = recordTypes.stream().anyMatch(t -> pointerCheck.test(t, pointer));
                if (!defined) {
                    doc.report(pointerAt, label + ": release pointer '" + pointer + "' for '" + recipient
                            + "' is not a field of the schema of " + String.join(" or ", recordTypes));
                    valid = false;
                } else {
                    pointers.add(normalisePointer(pointer));
                }
            }
            if (valid && !keepsAppointmentIds(recipient, recordTypes, pointers)) {
                doc.report(recipientAt, label + ": release for '" + recipient + "' leaves out /id, which the "
                        + TransportSettings.FRANCE_TRAVAIL_API + " transport needs to update an appointment it "
                        + "created (docs/transports.md): without it every change of an appointment would create "
                        + "another one at France Travail. Add /id to the list");
                valid = false;
            }
            release.put(recipient, pointers);
        }
        return valid ? release : null;
    }

    /**
     * Whether a release list keeps the appointment's {@code /id} where the recipient's transport needs it: France
     * Travail's appointments are updated by the id the gateway keeps for the source's appointment id.
     */
    private boolean keepsAppointmentIds(String recipient, Set<String> recordTypes, List<String> pointers) {
        return !recordTypes.contains("appointment")
                || !TransportSettings.FRANCE_TRAVAIL_API.equals(deliveryTransports.get(recipient))
                || pointers.contains("") || pointers.contains("/id");
    }

    /**
     * Whether every recipient can receive withdrawal notices: they are SPIE JSON documents, which only transport
     * spie-json delivers (the partner transports map SPIE records to their system's format); reported otherwise.
     */
    private boolean noticesCanBeCarried(String at, String label, List<String> to) {
        List<String> cannot = new ArrayList<>();
        for (String recipient : to) {
            String transport = recipient == null ? null : deliveryTransports.get(recipient);
            if (transport != null && !TransportSettings.SPIE_JSON.equals(transport)) {
                cannot.add("'" + recipient + "' (transport " + transport + ")");
            }
        }
        if (cannot.isEmpty()) {
            return true;
        }
        doc.report(at + "/notifyWithdrawal", label + ": notifyWithdrawal: " + (cannot.size() == 1 ? "recipient "
                : "recipients ") + String.join(", ", cannot) + " cannot receive withdrawal notices: only transport "
                + TransportSettings.SPIE_JSON + " carries them. Notify " + (cannot.size() == 1 ? "this recipient"
                : "these recipients") + " another way and give the others a route of their own with notifyWithdrawal,"
                + " or remove notifyWithdrawal");
        return false;
    }

    /**
     * The partner ids of 'from' or 'to' (one id or a list), null where an item is not an id or names an undeclared
     * partner (reported here); null if the key is unusable altogether.
     */
    private List<String> partnerRefs(JsonNode route, String at, String key, String label) {
        JsonNode node = route.get(key);
        if (node == null || doc.flagged(at + "/" + key)) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        if (node.isString()) {
            ids.add(node.asString());
        } else if (node.isArray()) {
            node.forEach(n -> ids.add(n.isString() ? n.asString() : null));
        } else {
            return null;
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id != null && partnersReadable && !declaredPartners.containsKey(id)) {
                doc.report(refPointer(route, at, key, i), label + ": '" + key + "' names unknown partner '"
                        + id + "'");
                ids.set(i, null);
            }
        }
        return ids;
    }

    private static String refPointer(JsonNode route, String at, String key, int index) {
        return route.get(key).isArray() ? at + "/" + key + "/" + index : at + "/" + key;
    }
}
