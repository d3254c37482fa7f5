package fr.spie.connector.missionlocale;

import static fr.spie.connector.missionlocale.DossierFields.dateField;
import static fr.spie.connector.missionlocale.DossierFields.text;

import fr.spie.connector.RecordRejection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The situations of an i-milo dossier → youth-support situations{category, state, endDate, romeCode}, with the code
 * lists of categorieSituation and etat (case-insensitive). An unknown category or state is a rejection naming the
 * field ({@code line N /situations/0/categorieSituation}); ROME = codeRomeMetierExerce, else codeRomeMetierPrepare,
 * else codeRomePremierMetier, invalid codes dropped (counted).
 */
final class SituationMapper {

    static final Map<String, String> CATEGORIES = orderedMap(
            "Emploi", "employment",
            "Contrat en Alternance", "apprenticeship",
            "Formation", "training",
            "Immersion en entreprise", "immersion",
            "Pmsmp", "pmsmp",
            "Contrat de volontariat - bénévolat", "volunteering",
            "Scolarité", "schooling",
            "Demandeur d'emploi", "jobseeker");
    static final Map<String, String> STATES = orderedMap("PREVU", "planned", "EN_COURS", "ongoing", "TERMINE", "finished");

    private static final String ROME = "^[A-N][0-9]{4}$";
    /** Where the ROME code is taken from, first valid one wins. */
    private static final List<String> ROME_FIELDS = List.of("codeRomeMetierExerce", "codeRomeMetierPrepare", "codeRomePremierMetier");

    private final ReadCounters counts;

    SituationMapper(ReadCounters counts) {
        this.counts = counts;
    }

    /** Adds each situation of the non-empty array {@code situations} to {@code out}, or its problem to {@code problems}. */
    void map(JsonNode situations, ArrayNode out, String location, List<RecordRejection> problems) {
        for (int i = 0; i < situations.size(); i++) {
            JsonNode s = situations.get(i);
            String where = location + " /situations/" + i;
            String cat = lookup(CATEGORIES, text(s, "categorieSituation"));
            String state = lookup(STATES, text(s, "etat"));
            if (cat == null) {
                problems.add(new RecordRejection(where + "/categorieSituation",
                        "youth-support not emitted: unknown situation category, expected one of " + CATEGORIES.keySet()));
                continue;
            }
            if (state == null) {
                problems.add(new RecordRejection(where + "/etat",
                        "youth-support not emitted: unknown situation state, expected one of " + STATES.keySet()));
                continue;
            }
            ObjectNode o = out.addObject().put("category", cat).put("state", state);
            dateField(s, "dateFin", o, "endDate", where + "/dateFin", false, problems);
            for (String rome : ROME_FIELDS) {
                String code = text(s, rome);
                if (code != null) {
                    if (code.strip().toUpperCase(Locale.ROOT).matches(ROME)) {
                        o.put("romeCode", code.strip().toUpperCase(Locale.ROOT));
                        break;
                    }
                    counts.dropped++;
                }
            }
        }
    }

    /** The SPIE code of {@code value} in {@code codes} (keys compared ignoring case), null when unknown. */
    static String lookup(Map<String, String> codes, String value) {
        if (value == null) {
            return null;
        }
        for (Map.Entry<String, String> e : codes.entrySet()) {
            if (e.getKey().equalsIgnoreCase(value.strip())) {
                return e.getValue();
            }
        }
        return null;
    }

    static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
