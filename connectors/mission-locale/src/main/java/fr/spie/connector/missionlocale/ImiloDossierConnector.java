package fr.spie.connector.missionlocale;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.UnreadableInputException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads i-milo dossiers ({@code DossierMiloDto} of {@code GET /sue/dossiers/{idDossier}}): one JSON object, a JSON
 * array of them, or JSON Lines (several top-level objects). Streams with Jackson's parser: one dossier in memory at a
 * time.
 *
 * <p>Each dossier gives a {@code person} (nomNaissance, nomUsage, prenom, dateNaissance, mail, adresse; identifiers
 * imilo-dossier-id = idDossier, imilo-jeune-id = idJeune, france-travail-id = numeroDE) and, when the dossier has an
 * accompaniment with a start date, a {@code youth-support} (accompagnementCEJ true: CEJ; false with a dateDebut:
 * PACEA, the contractual framework of mission locale support; situations and structureRattachement). Change key
 * {@code milo:<idDossier>}; location {@code line N} (JSON Lines / single object) or {@code [i] line N} (array).
 *
 * <p>A dossier without idDossier, names or a valid birth date is rejected as a whole. A problem limited to the
 * accompaniment (unknown situation category or state, CEJ without start date, no structure) rejects only the
 * youth-support part, at a location naming the field ({@code line N /situations/0/categorieSituation}); the person is
 * still emitted. Invalid e-mail, postal code or ROME code are dropped (counted in the facts). Broken JSON makes the
 * input unreadable.
 */
public final class ImiloDossierConnector implements InboundConnector {

    public static final String FORMAT = "imilo-dossier-json";

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

    /** Trailing tokens are the next dossiers: the parser is read one dossier at a time. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String EMAIL = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";
    private static final String ROME = "^[A-N][0-9]{4}$";
    private static final String STRUCTURE_CODE = "^[0-9A-Za-z][0-9A-Za-z -]{0,31}$";

    @Override
    public String format() {
        return FORMAT;
    }

    private static final class Counters {
        long dossiers;
        long records;
        long rejected;
        long dropped;
        long withoutSupport;
    }

    @Override
    public ReadSummary read(InputStream input, RecordSink sink) throws UnreadableInputException {
        Counters n = new Counters();
        String shape = "object";
        JsonParser p = null;
        try {
            p = JSON.createParser(input);
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new UnreadableInputException("empty input: no i-milo dossier", "line 1");
            }
            if (t == JsonToken.START_ARRAY) {
                shape = "array";
                int i = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new UnreadableInputException("truncated JSON array", "line " + p.currentLocation().getLineNr());
                    }
                    String location = "[" + i++ + "] line " + p.currentTokenLocation().getLineNr();
                    element(p, t, location, sink, n);
                }
                if (p.nextToken() != null) {
                    throw new UnreadableInputException("content after the JSON array", "line " + p.currentTokenLocation().getLineNr());
                }
            } else {
                int values = 0;
                while (t != null) {
                    values++;
                    element(p, t, "line " + p.currentTokenLocation().getLineNr(), sink, n);
                    t = p.nextToken();
                }
                shape = values > 1 ? "json-lines" : "object";
            }
        } catch (JacksonException e) {
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new UnreadableInputException("not valid JSON: " + e.getOriginalMessage().replaceAll("\\(.*", "").strip(),
                    line < 0 ? null : "line " + line, e);
        } finally {
            if (p != null) {
                p.close();
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("shape", shape);
        facts.put("droppedValues", Long.toString(n.dropped));
        facts.put("dossiersWithoutSupport", Long.toString(n.withoutSupport));
        return new ReadSummary(n.dossiers, n.records, n.rejected, facts);
    }

    private void element(JsonParser p, JsonToken t, String location, RecordSink sink, Counters n) {
        n.dossiers++;
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            n.rejected++;
            sink.reject(new RecordRejection(location, "not a JSON object (an i-milo dossier is an object)"));
            return;
        }
        JsonNode dossier = JSON.readTree(p);
        map((ObjectNode) dossier, location, sink, n);
    }

    private void map(ObjectNode d, String location, RecordSink sink, Counters n) {
        List<String> errors = new ArrayList<>();
        String idDossier = text(d, "idDossier");
        if (idDossier == null) {
            errors.add("idDossier is missing");
        } else if (idDossier.length() > 64) {
            errors.add("idDossier is longer than 64 characters");
        }
        ObjectNode person = NODES.objectNode();
        String birthName = text(d, "nomNaissance");
        if (birthName == null) {
            errors.add("nomNaissance is missing");
        } else if (birthName.length() > 100) {
            errors.add("nomNaissance is longer than 100 characters");
        } else {
            person.put("birthName", birthName);
        }
        String usageName = text(d, "nomUsage");
        if (usageName != null && usageName.length() <= 100) {
            person.put("usageName", usageName);
        }
        String prenom = text(d, "prenom");
        if (prenom == null) {
            errors.add("prenom is missing");
        } else if (prenom.length() > 100) {
            errors.add("prenom is longer than 100 characters");
        } else {
            person.putArray("givenNames").add(prenom);
        }
        String birth = text(d, "dateNaissance");
        LocalDate birthDate = date(birth);
        if (birth == null) {
            errors.add("dateNaissance is missing");
        } else if (birthDate == null) {
            errors.add("dateNaissance is not a date (yyyy-MM-dd)");
        } else {
            person.put("birthDate", birthDate.toString());
        }
        if (!errors.isEmpty()) {
            n.rejected++;
            sink.reject(new RecordRejection(location, String.join("; ", errors)));
            return;
        }
        ObjectNode contact = NODES.objectNode();
        String mail = text(d, "mail");
        if (mail != null) {
            if (mail.matches(EMAIL) && mail.length() <= 254) {
                contact.put("email", mail);
            } else {
                n.dropped++;
            }
        }
        ObjectNode address = address(d.get("adresse"), n);
        if (address != null) {
            contact.set("address", address);
        }
        if (!contact.isEmpty()) {
            person.set("contact", contact);
        }
        ArrayNode ids = person.putArray("identifiers");
        ids.addObject().put("scheme", "imilo-dossier-id").put("value", idDossier);
        String idJeune = text(d, "idJeune");
        if (idJeune != null && idJeune.length() <= 64) {
            ids.addObject().put("scheme", "imilo-jeune-id").put("value", idJeune);
        }
        String numeroDE = text(d, "numeroDE");
        if (numeroDE != null) {
            String ft = numeroDE.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
            if (ft.matches("^[0-9A-Z]{1,64}$")) {
                ids.addObject().put("scheme", "france-travail-id").put("value", ft);
            } else {
                n.dropped++;
            }
        }
        ObjectNode subject = NODES.objectNode();
        for (String key : List.of("birthName", "usageName", "givenNames", "birthDate", "identifiers")) {
            if (person.has(key)) {
                subject.set(key, person.get(key).deepCopy());
            }
        }
        String changeKey = "milo:" + idDossier;
        n.records++;
        sink.accept(new SpieRecord("person", subject, person, location, changeKey));

        List<RecordRejection> partial = new ArrayList<>();
        ObjectNode support = youthSupport(d, location, partial, n);
        if (!partial.isEmpty()) {
            n.rejected += partial.size();
            partial.forEach(sink::reject);
        } else if (support == null) {
            n.withoutSupport++;
        } else {
            n.records++;
            sink.accept(new SpieRecord("youth-support", subject.deepCopy(), support, location, changeKey));
        }
    }

    private ObjectNode youthSupport(ObjectNode d, String location, List<RecordRejection> problems, Counters n) {
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
        JsonNode situations = d.get("situations");
        if (situations != null && situations.isArray() && !situations.isEmpty()) {
            ArrayNode out = ys.putArray("situations");
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
                for (String rome : List.of("codeRomeMetierExerce", "codeRomeMetierPrepare", "codeRomePremierMetier")) {
                    String code = text(s, rome);
                    if (code != null) {
                        if (code.strip().toUpperCase(Locale.ROOT).matches(ROME)) {
                            o.put("romeCode", code.strip().toUpperCase(Locale.ROOT));
                            break;
                        }
                        n.dropped++;
                    }
                }
            }
        }
        JsonNode sr = d.get("structureRattachement");
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
        ys.set("structure", structure);
        return problems.isEmpty() ? ys : null;
    }

    private static void dateField(JsonNode from, String field, ObjectNode to, String target, String where, boolean required,
                                  List<RecordRejection> problems) {
        String v = text(from, field);
        if (v == null) {
            if (required) {
                problems.add(new RecordRejection(where, "youth-support not emitted: " + field + " is missing"));
            }
            return;
        }
        LocalDate d = date(v);
        if (d == null) {
            problems.add(new RecordRejection(where, "youth-support not emitted: " + field + " is not a date (yyyy-MM-dd)"));
            return;
        }
        to.put(target, d.toString());
    }

    private ObjectNode address(JsonNode a, Counters n) {
        if (a == null || !a.isObject()) {
            return null;
        }
        ObjectNode out = NODES.objectNode();
        String street = String.join(" ", nonNull(text(a, "numero"), text(a, "libelleVoie")));
        String line = String.join(", ", nonNull(street.isEmpty() ? null : street, text(a, "complement")));
        if (!line.isEmpty() && line.length() <= 300) {
            out.put("line", line);
        }
        String cp = text(a, "codePostal");
        if (cp != null) {
            if (cp.matches("^[0-9]{5}$")) {
                out.put("postalCode", cp);
            } else {
                n.dropped++;
            }
        }
        String commune = text(a, "commune");
        if (commune != null && commune.length() <= 100) {
            out.put("communeName", commune);
        }
        return out.isEmpty() ? null : out;
    }

    private static List<String> nonNull(String... values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** Trimmed text of a scalar field, null when absent, null or blank. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || !v.isValueNode()) {
            return null;
        }
        String s = v.asString().strip();
        return s.isEmpty() ? null : s;
    }

    static LocalDate date(String s) {
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s.length() > 10 && s.charAt(10) == 'T' ? s.substring(0, 10) : s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

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
        return java.util.Collections.unmodifiableMap(m);
    }
}
