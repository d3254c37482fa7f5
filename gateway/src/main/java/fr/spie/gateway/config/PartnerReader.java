package fr.spie.gateway.config;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static fr.spie.gateway.config.GatewayConfigLoader.text;

/**
 * Reads the partners of {@code partners.yaml}: unique ids, kind, name, token hashes, authentication, delivery, file
 * channel and pull; remembers every declared id (even of a partner with other problems) for the routes.
 */
final class PartnerReader {
    private final CheckedDocument doc;
    private final TokenHashReader tokens;
    private final TransportSettingsReader transports;
    private final DeliveryReader deliveries;
    private final FileChannelReader fileChannels;
    /** Declared partner ids (even of partners with other problems) → whether they declare a delivery. */
    private final Map<String, Boolean> declared = new LinkedHashMap<>();
    /** Declared partner ids with a delivery → the name of its transport (spie-json when not written). */
    private final Map<String, String> deliveryTransports = new LinkedHashMap<>();
    /** The partners left out for a problem, by their id, kind and name only (nothing they could be used with). */
    private final List<Partner> leftOut = new ArrayList<>();
    private boolean readable;

    /** @param doc partners.yaml, null when absent or unreadable */
    PartnerReader(CheckedDocument doc, TokenHashReader tokens) {
        this.doc = doc;
        this.tokens = tokens;
        this.transports = new TransportSettingsReader(doc);
        this.deliveries = new DeliveryReader(doc, transports);
        this.fileChannels = new FileChannelReader(doc);
    }

    /** The valid partners; the problems of the others are reported. */
    List<Partner> partners() {
        List<Partner> partners = new ArrayList<>();
        JsonNode list = doc == null ? null : doc.root().get("partners");
        if (list == null || !list.isArray()) {
            return partners;
        }
        readable = true;
        DuplicateCheck ids = new DuplicateCheck(doc, "partner id");
        PartnerAuthReader auth = new PartnerAuthReader(doc.yaml(), doc::flagged, doc::report);
        Map<String, String> outboxes = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String at = YamlDocument.child("/partners", i);
            if (!node.isObject()) {
                continue;
            }
            String id = text(node, "id");
            boolean valid = id != null && !doc.flagged(at + "/id");
            if (id != null) {
                if (ids.isFirst(id, at, "id")) {
                    declared.put(id, node.has("delivery"));
                    String transport = text(node.path("delivery"), "transport");
                    if (node.has("delivery") && (transport == null || TransportSettings.NAMES.contains(transport))) {
                        deliveryTransports.put(id, transport == null ? TransportSettings.SPIE_JSON : transport);
                    }
                } else {
                    valid = false;
                }
            }
            PartnerKind kind = null;
            try {
                kind = text(node, "kind") == null ? null : PartnerKind.fromConfigName(text(node, "kind"));
            } catch (IllegalArgumentException e) {
                doc.report(at + "/kind", e.getMessage());
            }
            String name = text(node, "name");
            Set<String> partnerTokens = tokens.tokens(doc, node.path("auth").get("tokenSha256"),
                    at + "/auth/tokenSha256", "partner '" + id + "'");
            Set<AuthMethod> methods = auth.methods(node.path("auth"), at + "/auth");
            PartnerAuthReader.Result certificate = auth.certificate(id, node.path("auth"), at + "/auth", methods);
            valid &= methods != null && certificate.valid();
            Delivery delivery = null;
            if (node.has("delivery")) {
                delivery = deliveries.delivery(node.get("delivery"), at + "/delivery");
                valid &= delivery != null;
                valid &= outboxOfItsOwn(id, delivery, outboxes, at + "/delivery/departementFile/outbox");
            }
            FileChannel files = null;
            if (node.has("files")) {
                files = fileChannels.files(node.get("files"), at + "/files");
                valid &= files != null;
            }
            PartnerPull pull = null;
            if (node.has("pull")) {
                pull = pull(node.get("pull"), at + "/pull");
                valid &= pull != null;
            }
            if (valid && kind != null && name != null) {
                partners.add(new Partner(id, kind, name, partnerTokens, delivery, files, methods,
                        certificate.certificate(), pull, node.path("personReports").asBoolean(false)));
            } else if (id != null && !doc.flagged(at + "/id") && kind != null && name != null
                    && !doc.flagged(at + "/name") && leftOut.stream().noneMatch(p -> p.id().equals(id))
                    && partners.stream().noneMatch(p -> p.id().equals(id))) {
                leftOut.add(new Partner(id, kind, name, Set.of(), null));
            }
        }
        return partners;
    }

    /**
     * A departement-file outbox is the folder one partner reads: a second partner with the same folder (as written)
     * would read the first's records, and a record routed to both would be written once when the file name holds
     * {@code {exchangeId}} but neither {@code {key}} nor {@code {partner}} (the second taken for a redelivery).
     */
    private boolean outboxOfItsOwn(String id, Delivery delivery, Map<String, String> outboxes, String at) {
        if (delivery == null || !(delivery.transport() instanceof TransportSettings.DepartementFile file)) {
            return true;
        }
        String folder = java.nio.file.Path.of(file.outbox()).normalize().toString();
        String owner = outboxes.putIfAbsent(folder, id);
        if (owner == null) {
            return true;
        }
        doc.report(at, GatewayConfigLoader.readable(at) + ": '" + file.outbox() + "' is the outbox of partner '" + owner
                + "' too: each partner needs a folder of its own (it would read the other's records)");
        return false;
    }

    /**
     * The partners {@link #partners()} left out for a problem (reported), as their id, kind and name only: no
     * credential, no delivery. For reading what the configuration names, never for running a gateway.
     */
    List<Partner> leftOutByName() {
        return leftOut;
    }

    /** Declared partner ids (even of partners with other problems) → whether they declare a delivery. */
    Map<String, Boolean> declared() {
        return declared;
    }

    /**
     * Declared partner ids with a delivery (even of partners with other problems) → the name of their transport; a
     * partner whose transport name is unknown (reported) is left out.
     */
    Map<String, String> deliveryTransports() {
        return deliveryTransports;
    }

    /** Whether partners.yaml has a list of partners: only then is a route's unknown partner reported. */
    boolean readable() {
        return readable;
    }

    /** How the gateway reads the partner's APIs; shape, record types and legal basis are checked by the schema. */
    private PartnerPull pull(JsonNode node, String at) {
        if (!node.isObject() || doc.flagged(at)) {
            return null;
        }
        JsonNode api = node.get("franceTravailApi");
        String blockAt = at + "/franceTravailApi";
        if (api == null || !api.isObject() || doc.flagged(blockAt)) {
            return null;
        }
        TransportSettings settings = transports.franceTravailApi(api, blockAt);
        String purpose = text(node, "purpose");
        JsonNode basis = node.path("legalBasis");
        String basisType = text(basis, "type");
        String reference = text(basis, "reference");
        Set<String> types = new LinkedHashSet<>();
        node.path("recordTypes").forEach(t -> types.add(t.asString()));
        if (!(settings instanceof TransportSettings.FranceTravailApi ft) || purpose == null || basisType == null
                || reference == null || types.isEmpty() || !PartnerPull.RECORD_TYPES.containsAll(types)
                || !LegalBasis.TYPES.contains(basisType)) {
            return null;
        }
        return new PartnerPull(ft, types, purpose, new LegalBasis(basisType, reference));
    }
}
