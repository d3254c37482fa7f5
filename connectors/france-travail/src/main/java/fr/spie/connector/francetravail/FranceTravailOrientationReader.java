package fr.spie.connector.francetravail;

import static fr.spie.connector.francetravail.FranceTravailDiagnosticMapper.text;
import static fr.spie.connector.francetravail.FranceTravailDiagnosticMapper.truncate;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * France Travail lectureOrientation response (array, element 0 = current orientation) → SPIE {@code orientation}
 * payload. Pure function, thread-safe.
 */
public final class FranceTravailOrientationReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Set<String> PATHS = Set.of("PED", "PSO", "PSP");

    /** etat_decision / statut / etat → SPIE orientation status. */
    static final Map<String, String> STATUS = Map.ofEntries(
            Map.entry("VALIDEE", "decided"), Map.entry("VALIDE", "decided"), Map.entry("ACCEPTEE", "decided"),
            Map.entry("DECIDEE", "decided"), Map.entry("ORIENTE", "decided"), Map.entry("ORIENTEE", "decided"),
            Map.entry("EN_ATTENTE", "pending"), Map.entry("EN_COURS", "pending"), Map.entry("A_VALIDER", "pending"),
            Map.entry("PROPOSEE", "pending"), Map.entry("NON_ORIENTE", "pending"),
            Map.entry("REFUSEE", "contested"), Map.entry("CONTESTEE", "contested"),
            Map.entry("ANNULEE", "cancelled"), Map.entry("ANNULE", "cancelled"));

    private final String partnerId;

    public FranceTravailOrientationReader(String partnerId) {
        this.partnerId = partnerId;
    }

    /**
     * @return the current orientation, or empty when the array is empty
     * @throws IllegalArgumentException when parcours/etat are outside the known code lists
     */
    public Optional<ObjectNode> map(JsonNode response) {
        JsonNode o = response;
        if (response != null && response.isArray()) {
            if (response.isEmpty()) {
                return Optional.empty();
            }
            o = response.get(0);
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("lectureOrientation: expected an array of objects");
        }
        String parcours = text(o, "parcours");
        if (parcours == null || !PATHS.contains(FtCodes.codeKey(parcours))) {
            throw new IllegalArgumentException("lectureOrientation: unknown parcours \"" + parcours + "\" (expected PED, PSO or PSP)");
        }
        JsonNode decision = o.path("decision");
        String etat = firstNonNull(text(decision, "etat_decision"), text(o, "statut"), text(o, "etat"));
        LocalDate decisionDate = firstDate(text(decision, "date_decision"), text(o, "date_entree_parcours"),
                text(o, "date_creation"));
        String status;
        if (etat == null) {
            status = text(decision, "date_decision") != null ? "decided" : "pending";
        } else {
            status = STATUS.get(FtCodes.codeKey(etat).replace(' ', '_'));
            if (status == null) {
                throw new IllegalArgumentException("lectureOrientation: unknown etat \"" + etat + "\"");
            }
        }
        if ("decided".equals(status) && decisionDate == null) {
            throw new IllegalArgumentException("lectureOrientation: decided orientation without a date");
        }

        ObjectNode out = NODES.objectNode();
        out.put("path", FtCodes.codeKey(parcours));
        out.put("status", status);
        if (decisionDate != null) {
            out.put("decisionDate", decisionDate.toString());
        }
        String origine = text(o, "origine");
        if (origine != null) {
            String key = FtCodes.codeKey(origine);
            out.put("origin", key.startsWith("INSCRIPTION_AUTO") ? "automatic-registration"
                    : key.contains("REORIENTATION") ? "reorientation" : "other");
            out.put("originCode", truncate(origine, 64));
        }
        String kind = FtCodes.organisationKind(text(o, "organisme"));
        out.set("referentOrganisation", organisation(kind, null));
        String structure = text(o.path("structure"), "libelle_structure");
        if (structure != null) {
            out.set("referentStructure", organisation(kind, structure));
        }
        String decidedByCode = text(decision, "organisme_decision");
        if (decidedByCode != null) {
            out.set("decidedBy", organisation(FtCodes.organisationKind(decidedByCode),
                    text(decision.path("structure"), "libelle_structure")));
        }
        String reason = firstNonNull(text(decision, "commentaire_refus"), text(decision, "motif_refus"),
                text(o, "motif_sortie_parcours"));
        if (reason != null) {
            out.put("reason", truncate(reason, 500));
        }
        return Optional.of(out);
    }

    private ObjectNode organisation(String kind, String name) {
        ObjectNode org = NODES.objectNode();
        if (partnerId != null && "france-travail".equals(kind)) {
            org.put("partnerId", partnerId);
        }
        org.put("kind", kind);
        if (name != null) {
            org.put("name", truncate(name, 500));
        } else if ("france-travail".equals(kind)) {
            org.put("name", "France Travail");
        }
        return org;
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static LocalDate firstDate(String... values) {
        for (String v : values) {
            if (v == null) {
                continue;
            }
            try {
                // an instant (2023-05-12T12:54:39.000+00:00) is dated in Paris; a local date-time or a date as written
                return OffsetDateTime.parse(v).atZoneSameInstant(PARIS).toLocalDate();
            } catch (DateTimeParseException e) {
                try {
                    return v.length() > 10 ? LocalDateTime.parse(v).toLocalDate() : LocalDate.parse(v);
                } catch (DateTimeParseException e2) {
                    throw new IllegalArgumentException("lectureOrientation: not a date: \"" + v + "\"");
                }
            }
        }
        return null;
    }
}
