package fr.spie.connector.missionlocale;

import fr.spie.connector.OutboundMapper;
import fr.spie.connector.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * SPIE records to the i-milo API (format {@code imilo-api}), behind the Gravitee gateway of i-milo.
 *
 * <ul>
 *   <li>{@code appointment} → a {@code RendezVousMiloDto}-like body for resource
 *       {@code operateurs/dossiers/{idDossier}/rdv}: dateHeureDebut, dateHeureFin (start + durationMinutes), objet,
 *       conseiller, idDossier, commentaire, lieu, type, statut. Dates are written {@code yyyy-MM-dd HH:mm:ss}, a local
 *       time of the mission locale's time zone, as i-milo does (its referential of structures gives each mission
 *       locale a zone: Europe/Paris, or Indian/Reunion, America/Martinique... overseas; the CEJ app reads i-milo's
 *       times in that zone): Europe/Paris unless the transport gives another. Status: booked → Planifié, done → Présent, absent → Absent,
 *       cancelled → Annulé, moved → Reporté ("Non précisé" is never sent: SPIE appointments always have a status).
 *       i-milo's known API only reads an rdv ({@code GET operateurs/dossiers/{idDossier}/rdv/{idRdv}}): this resource's
 *       POST is the gateway's proposal and no update of an rdv exists, so the appointment's {@code id} is not mapped
 *       (i-milo's rdv id is its own).</li>
 *   <li>{@code orientation} → a JSON orientation body for resource {@code sue/dossiers/{idDossier}/orientation}
 *       (i-milo publishes no orientation endpoint: this is the body the gateway proposes; field names follow
 *       i-milo's French camelCase).</li>
 * </ul>
 * The i-milo dossier id is taken from the subject's {@code imilo-dossier-id} identifier; without it the record cannot
 * be expressed ({@link IllegalArgumentException}).
 *
 * <p><b>Credentials.</b> i-milo requires the API-key header {@value #API_KEY_HEADER} (one key per use case) on every
 * call. This mapper never carries it: the message headers only <em>name</em> it, as {@value #REQUIRED_CREDENTIAL_HEADER}
 * = {@value #API_KEY_HEADER}, and the transport, which holds the secret, adds {@code X-Gravitee-Api-Key: <key>} when
 * it sends the message (and refuses to send if it has no key for that header). No header of a message is named
 * {@value #API_KEY_HEADER} and no header value is a secret.
 */
public final class ImiloOutboundMapper implements OutboundMapper {

    public static final String FORMAT = "imilo-api";
    /** The API-key header i-milo (Gravitee) requires; its value is added by the transport, never by this mapper. */
    public static final String API_KEY_HEADER = "X-Gravitee-Api-Key";
    /** Message header naming the credential header the transport must add (value {@value #API_KEY_HEADER}). */
    public static final String REQUIRED_CREDENTIAL_HEADER = "X-Spie-Required-Credential-Header";

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final DateTimeFormatter IMILO_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final Map<String, String> STATUSES =
            Map.of("booked", "Planifié", "done", "Présent", "absent", "Absent", "cancelled", "Annulé", "moved", "Reporté");
    static final Map<String, String> MODALITIES =
            Map.of("physical", "Entretien individuel", "phone", "Entretien téléphonique", "video", "Entretien à distance");
    static final Map<String, String> REASONS = Map.of("orientation", "Orientation", "first-follow-up", "Suivi",
            "follow-up", "Suivi",
            "contract-signature", "Signature de contrat", "diagnostic", "Diagnostic", "information", "Information", "other", "Autre");
    static final Map<String, String> STATUS_ORIENTATION =
            Map.of("pending", "EN_ATTENTE", "decided", "DECIDEE", "contested", "CONTESTEE", "cancelled", "ANNULEE");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ZoneId zone;

    /** Dates in Europe/Paris local time (metropolitan missions locales). */
    public ImiloOutboundMapper() {
        this(PARIS);
    }

    /** @param zone the mission locale's time zone, in which i-milo reads the local times it is sent */
    public ImiloOutboundMapper(ZoneId zone) {
        this.zone = java.util.Objects.requireNonNull(zone, "zone");
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Set<String> recordTypes() {
        return Set.of("appointment", "orientation");
    }

    @Override
    public OutboundMessage map(String recordType, JsonNode subject, JsonNode payload) {
        if (recordType == null || !recordTypes().contains(recordType)) {
            throw new IllegalArgumentException("i-milo takes " + recordTypes() + ", not " + recordType);
        }
        String idDossier = idDossier(subject);
        ObjectNode body = recordType.equals("appointment") ? appointment(idDossier, payload, zone)
                : orientation(idDossier, payload);
        String resource = recordType.equals("appointment")
                ? "operateurs/dossiers/" + idDossier + "/rdv"
                : "sue/dossiers/" + idDossier + "/orientation";
        return new OutboundMessage("application/json", JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8),
                Map.of(REQUIRED_CREDENTIAL_HEADER, API_KEY_HEADER, "Accept", "application/json"), resource);
    }

    static String idDossier(JsonNode subject) {
        JsonNode ids = subject == null ? null : subject.get("identifiers");
        if (ids != null && ids.isArray()) {
            for (JsonNode id : ids) {
                if ("imilo-dossier-id".equals(id.path("scheme").asString())) {
                    String v = id.path("value").asString();
                    if (v.matches("[0-9A-Za-z_-]{1,64}")) {
                        return v;
                    }
                    throw new IllegalArgumentException("the subject's imilo-dossier-id is not a plain identifier");
                }
            }
        }
        throw new IllegalArgumentException("the subject has no imilo-dossier-id identifier: i-milo cannot place the record");
    }

    private static ObjectNode appointment(String idDossier, JsonNode a, ZoneId zone) {
        OffsetDateTime start;
        try {
            start = OffsetDateTime.parse(a.path("startAt").asString());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("appointment: startAt is not an RFC 3339 date-time");
        }
        String status = STATUSES.get(a.path("status").asString());
        if (status == null) {
            throw new IllegalArgumentException("appointment: status must be one of " + STATUSES.keySet());
        }
        ObjectNode o = NODES.objectNode();
        o.put("dateHeureDebut", IMILO_DATE_TIME.format(start.atZoneSameInstant(zone)));
        if (a.hasNonNull("durationMinutes")) {
            o.put("dateHeureFin", IMILO_DATE_TIME.format(start.plusMinutes(a.get("durationMinutes").asLong()).atZoneSameInstant(zone)));
        } else {
            o.putNull("dateHeureFin");
        }
        String objet = a.hasNonNull("reasonLabel") ? a.get("reasonLabel").asString()
                : REASONS.getOrDefault(a.path("reason").asString(), "Rendez-vous");
        o.put("objet", objet);
        o.put("conseiller", professional(a.get("professional")));
        o.put("idDossier", idDossier);
        o.putNull("commentaire");
        JsonNode org = a.get("organisation");
        o.put("lieu", org != null && org.hasNonNull("name") ? org.get("name").asString() : null);
        o.put("type", MODALITIES.getOrDefault(a.path("modality").asString(), "Entretien individuel"));
        o.put("statut", status);
        return o;
    }

    private static ObjectNode orientation(String idDossier, JsonNode p) {
        String path = p.path("path").asString();
        if (!Set.of("PED", "PSO", "PSP").contains(path)) {
            throw new IllegalArgumentException("orientation: path must be PED, PSO or PSP");
        }
        ObjectNode o = NODES.objectNode();
        o.put("idDossier", idDossier);
        o.put("parcours", path);
        o.put("statut", STATUS_ORIENTATION.getOrDefault(p.path("status").asString(), "NON_PRECISE"));
        o.put("dateDecision", p.hasNonNull("decisionDate") ? p.get("decisionDate").asString() : null);
        o.put("origine", p.hasNonNull("originCode") ? p.get("originCode").asString()
                : p.hasNonNull("origin") ? p.get("origin").asString() : null);
        o.set("organismeReferent", organisation(p.get("referentOrganisation")));
        o.set("structureReferente", organisation(p.get("referentStructure")));
        o.put("motif", p.hasNonNull("reason") ? p.get("reason").asString() : null);
        return o;
    }

    private static JsonNode organisation(JsonNode org) {
        if (org == null || !org.isObject()) {
            return NODES.nullNode();
        }
        ObjectNode o = NODES.objectNode();
        o.put("type", org.path("kind").asString());
        o.put("nom", org.hasNonNull("name") ? org.get("name").asString() : null);
        o.put("code", org.hasNonNull("code") ? org.get("code").asString() : null);
        return o;
    }

    private static String professional(JsonNode p) {
        if (p == null || !p.isObject()) {
            return null;
        }
        String name = (p.path("givenName").asString("") + " " + p.path("familyName").asString("")).strip();
        if (!name.isEmpty()) {
            return name;
        }
        return p.hasNonNull("email") ? p.get("email").asString() : p.hasNonNull("id") ? p.get("id").asString() : null;
    }
}
