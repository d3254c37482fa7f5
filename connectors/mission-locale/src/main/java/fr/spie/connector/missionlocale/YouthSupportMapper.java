package fr.spie.connector.missionlocale;

import static fr.spie.connector.missionlocale.DossierFields.dateField;
import static fr.spie.connector.missionlocale.DossierFields.text;

import fr.spie.connector.RecordRejection;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The SPIE {@code youth-support} of an i-milo dossier: accompagnementCEJ true → CEJ, false with a dateDebut → PACEA
 * (start, planned and actual end dates, first support), the situations ({@link SituationMapper}) and the
 * structureRattachement. A problem is a rejection naming the field ({@code line N /accompagnementCEJ/dateDebut}).
 */
final class YouthSupportMapper {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String STRUCTURE_CODE = "^[0-9A-Za-z][0-9A-Za-z -]{0,31}$";

    private final SituationMapper situations;

    YouthSupportMapper(ReadCounters counts) {
        this.situations = new SituationMapper(counts);
    }

    /**
     * The dossier's youth-support payload; null when the dossier has no accompaniment to report, or when it has
     * problems, which are then added to {@code problems}.
     */
    ObjectNode youthSupport(ObjectNode d, String location, List<RecordRejection> problems) {
        JsonNode ac = d.get("accompagnementCEJ");
        if (ac == null || !ac.isObject()) {
            return null;
        }
        boolean cej = ac.path("accompagnementCEJ").asBoolean(false);
        String start = text(ac, "dateDebut");
        if (!cej && start == null) {
            return null; // no accompaniment to report
        }
        ObjectNode ys = NODES.objectNode();
        ys.put("programme", cej ? "CEJ" : "PACEA");
        dateField(ac, "dateDebut", ys, "startDate", location + " /accompagnementCEJ/dateDebut", true, problems);
        dateField(ac, "dateFinPrevue", ys, "plannedEndDate", location + " /accompagnementCEJ/dateFinPrevue", false, problems);
        dateField(ac, "dateFinReelle", ys, "actualEndDate", location + " /accompagnementCEJ/dateFinReelle", false, problems);
        JsonNode first = ac.get("premierAccompagnement");
        if (first != null && first.isBoolean()) {
            ys.put("firstSupport", first.asBoolean());
        }
        JsonNode list = d.get("situations");
        if (list != null && list.isArray() && !list.isEmpty()) {
            situations.map(list, ys.putArray("situations"), location, problems);
        }
        ys.set("structure", structure(d.get("structureRattachement"), location, problems));
        return problems.isEmpty() ? ys : null;
    }

    /** structureRattachement → structure{kind: mission-locale, name = nomOfficiel or nomUsuel, code}. */
    private static ObjectNode structure(JsonNode sr, String location, List<RecordRejection> problems) {
        ObjectNode structure = NODES.objectNode().put("kind", "mission-locale");
        if (sr != null && sr.isObject()) {
            String name = text(sr, "nomOfficiel") != null ? text(sr, "nomOfficiel") : text(sr, "nomUsuel");
            if (name != null && name.length() <= 500) {
                structure.put("name", name);
            }
            String code = text(sr, "codeStructure");
            if (code != null && code.matches(STRUCTURE_CODE)) {
                structure.put("code", code);
            }
        }
        if (structure.size() == 1) {
            problems.add(new RecordRejection(location + " /structureRattachement",
                    "youth-support not emitted: structureRattachement has no codeStructure nor nom"));
        }
        return structure;
    }
}
