package fr.spie.connector.francetravail;

import static fr.spie.connector.francetravail.FranceTravailDiagnosticMapper.text;

import fr.spie.connector.OutboundMapper;
import fr.spie.connector.OutboundMessage;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * SPIE {@code orientation} / {@code appointment} → France Travail partner API bodies (format {@code france-travail-api}).
 * Pure functions, thread-safe. The jeton usager and the bearer token are added by the transport
 * ({@link FranceTravailApiClient}), never here.
 */
public final class FranceTravailApiOutboundMapper implements OutboundMapper {

    public static final String FORMAT = "france-travail-api";
    public static final String ORIENTATION_RESOURCE = "orientationusager/v1/orientation";
    public static final String RENDEZ_VOUS_RESOURCE = "rendez-vous-partenaire/v1/rendez-vous";

    static final Map<String, String> MODALITE = Map.of("physical", "PHYSIQUE", "phone", "TELEPHONE", "video", "VISIO");
    static final Map<String, String> STATUT = Map.of(
            "booked", "PRIS", "done", "EFFECTUE", "moved", "MODIFIE", "absent", "ABSENT", "cancelled", "ANNULE");
    /**
     * appointment reason → motif: ORI orientation, ACC accompagnement, AUT autre. ACC is the first appointment of an
     * RSA beneficiary's accompaniment only (the one whose delay France Travail follows; rdv-insertion, which sends the
     * same rendez-vous to France Travail, sends ACC for that appointment alone): every later follow-up, a contract's
     * signature and a diagnostic are AUT.
     */
    static final Map<String, String> MOTIF = Map.of(
            "orientation", "ORI", "first-follow-up", "ACC", "follow-up", "AUT", "contract-signature", "AUT",
            "diagnostic", "AUT", "information", "AUT", "other", "AUT");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FranceTravailApiConfig.Agent agent;

    public FranceTravailApiOutboundMapper() {
        this(FranceTravailApiConfig.Agent.BATCH);
    }

    public FranceTravailApiOutboundMapper(FranceTravailApiConfig.Agent agent) {
        this.agent = Objects.requireNonNull(agent, "agent");
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Set<String> recordTypes() {
        return Set.of("orientation", "appointment");
    }

    @Override
    public OutboundMessage map(String recordType, JsonNode subject, JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("payload must be a JSON object");
        }
        ObjectNode body;
        String resource;
        if ("orientation".equals(recordType)) {
            body = orientation(payload);
            resource = ORIENTATION_RESOURCE;
        } else if ("appointment".equals(recordType)) {
            body = rendezVous(payload);
            resource = RENDEZ_VOUS_RESOURCE;
        } else {
            throw new IllegalArgumentException("record type \"" + recordType + "\" is not sent to France Travail (only "
                    + recordTypes() + ")");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("pa-identifiant-agent", agent.identifiant());
        headers.put("pa-nom-agent", agent.nom());
        headers.put("pa-prenom-agent", agent.prenom());
        return new OutboundMessage("application/json", JSON.writeValueAsBytes(body), headers, resource);
    }

    /** {origine, parcours, organisme}: only decided orientations, with France Travail's origine code. */
    ObjectNode orientation(JsonNode p) {
        String status = text(p, "status");
        if (!"decided".equals(status)) {
            throw new IllegalArgumentException("orientation status is \"" + status
                    + "\": only decided orientations are sent to France Travail");
        }
        String path = text(p, "path");
        if (path == null || !Set.of("PED", "PSO", "PSP").contains(path)) {
            throw new IllegalArgumentException("orientation path \"" + path + "\" is not PED, PSO or PSP");
        }
        String origine = text(p, "originCode");
        if (origine == null) {
            throw new IllegalArgumentException("orientation has no originCode: France Travail needs its origine code"
                    + " (e.g. INSCRIPTION_AUTO_CAF)");
        }
        String kind = text(p.path("referentOrganisation"), "kind");
        String organisme = kind == null ? null : FtCodes.ORGANISME_BY_KIND.get(kind);
        if (organisme == null || "DCD".equals(organisme)) {
            throw new IllegalArgumentException("orientation referentOrganisation kind \"" + kind
                    + "\" has no France Travail organisme code (france-travail, departement, mission-locale, cap-emploi)");
        }
        ObjectNode body = NODES.objectNode();
        body.put("origine", origine);
        body.put("parcours", path);
        body.put("organisme", organisme);
        return body;
    }

    /** FORMATS.md §2.3 rendez-vous shape; initiateur PARTENAIRE, typeReception IND (SPIE appointments are individual). */
    ObjectNode rendezVous(JsonNode p) {
        String startAt = text(p, "startAt");
        if (startAt == null) {
            throw new IllegalArgumentException("appointment has no startAt");
        }
        try {
            OffsetDateTime.parse(startAt);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("appointment startAt is not a date-time with offset");
        }
        String modalite = MODALITE.get(text(p, "modality"));
        if (modalite == null) {
            throw new IllegalArgumentException("appointment modality \"" + text(p, "modality") + "\" has no France Travail modaliteContact");
        }
        String statut = STATUT.get(text(p, "status"));
        if (statut == null) {
            throw new IllegalArgumentException("appointment status \"" + text(p, "status") + "\" has no France Travail statut");
        }
        String reason = text(p, "reason");
        String motif = reason == null ? "AUT" : MOTIF.get(reason);
        if (motif == null) {
            throw new IllegalArgumentException("appointment reason \"" + reason + "\" has no France Travail motif");
        }
        JsonNode org = p.path("organisation");
        String kind = text(org, "kind");
        if (kind == null) {
            throw new IllegalArgumentException("appointment has no organisation kind");
        }
        ObjectNode body = NODES.objectNode();
        body.put("date", startAt);
        if (p.path("durationMinutes").isIntegralNumber()) {
            body.put("duree", p.get("durationMinutes").asInt());
        }
        body.put("initiateur", "PARTENAIRE");
        body.put("modaliteContact", modalite);
        body.put("motif", motif);
        ObjectNode organisme = body.putObject("organisme");
        organisme.put("code", FtCodes.ORGANISME_BY_KIND.getOrDefault(kind, "IND"));
        String orgCode = text(org, "code");
        if (orgCode != null && "france-travail".equals(kind)) {
            organisme.put("idStructure", orgCode); // SAFIR
        }
        String orgName = text(org, "name");
        if (orgName != null) {
            organisme.put("libelleStructure", orgName);
        }
        JsonNode pro = p.path("professional");
        if (pro.isObject()) {
            if (text(pro, "email") != null) {
                organisme.put("emailContact", text(pro, "email"));
            }
            if (text(pro, "phone") != null) {
                organisme.put("telephoneContact", text(pro, "phone"));
            }
        }
        body.put("statut", statut);
        String label = text(p, "reasonLabel");
        if (label != null) {
            body.put("theme", label);
        }
        body.put("typeReception", "IND");
        if (pro.isObject() && (text(pro, "familyName") != null || text(pro, "givenName") != null || text(pro, "email") != null)) {
            ObjectNode who = body.putObject("interlocuteur");
            putIfNotNull(who, "email", text(pro, "email"));
            putIfNotNull(who, "nom", text(pro, "familyName"));
            putIfNotNull(who, "prenom", text(pro, "givenName"));
        }
        return body;
    }

    private static void putIfNotNull(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
