package fr.spie.connector.francetravail;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * France Travail "diagnostic argumenté" (besoinsParDiagnosticIndividuDtos + contraintesIndividusDto) → SPIE
 * {@code diagnostic} payload. Pure function, thread-safe.
 *
 * <ul>
 *   <li>besoins (codes 1-21) → needs.employment / needs.training; per theme the strongest value wins:
 *       BESOIN → need, else POINT_FORT → strength, else NON_EXPLORE → not-explored. Unknown besoin codes are skipped.</li>
 *   <li>contraintes (23 mobilité, 24 familiales, 25 santé, 26 lecture/écriture/calcul, 27 logement, 28 financières,
 *       29 administratives/juridiques) → constraints[] with status OUI → present, NON/CLOTUREE → absent,
 *       NON_ABORDEE → not-discussed; each situation valued OUI is one more "present" constraint (code
 *       {@code <contrainte>-<situation>}). OUI also sets needs.&lt;theme&gt; = need, NON_ABORDEE = not-explored.</li>
 *   <li>date = latest dateMiseAJour / dateDeModification / contrainte date, as a Europe/Paris calendar date.</li>
 *   <li>professionalProject only when a DTO carries a ROME code (codeRome): FT sends only an encrypted job id and a
 *       job name otherwise.</li>
 * </ul>
 */
public final class FranceTravailDiagnosticMapper {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final Map<String, String> BESOIN_THEME = Map.ofEntries(
            Map.entry("1", "employment"), Map.entry("2", "employment"), Map.entry("3", "employment"),
            Map.entry("4", "employment"), Map.entry("5", "training"), Map.entry("6", "training"),
            Map.entry("8", "employment"), Map.entry("9", "employment"), Map.entry("10", "employment"),
            Map.entry("11", "employment"), Map.entry("12", "employment"), Map.entry("13", "employment"),
            Map.entry("14", "employment"), Map.entry("15", "employment"), Map.entry("16", "employment"),
            Map.entry("17", "employment"), Map.entry("18", "employment"), Map.entry("19", "employment"),
            Map.entry("20", "employment"), Map.entry("21", "employment"));

    static final Map<String, String> CONTRAINTE_THEME = Map.of(
            "23", "mobility", "24", "family", "25", "health", "26", "language",
            "27", "housing", "28", "finances", "29", "administrative");

    static final Map<String, String> NEED_VALUE = Map.of(
            "NON_EXPLORE", "not-explored", "BESOIN", "need", "POINT_FORT", "strength");

    static final Map<String, String> CONSTRAINT_STATUS = Map.of(
            "OUI", "present", "NON", "absent", "CLOTUREE", "absent", "NON_ABORDEE", "not-discussed");

    private final String partnerId;

    /** @param partnerId gateway partner id of the France Travail endpoint, put on authorOrganisation; or null */
    public FranceTravailDiagnosticMapper(String partnerId) {
        this.partnerId = partnerId;
    }

    /**
     * @return the SPIE diagnostic payload, or empty when France Travail has neither besoins nor contraintes
     * @throws IllegalArgumentException when a value is outside France Travail's code lists or no date is given
     */
    public Optional<ObjectNode> map(JsonNode ft) {
        if (ft == null || !ft.isObject()) {
            throw new IllegalArgumentException("diagnostic: expected a JSON object");
        }
        ObjectNode needs = NODES.objectNode();
        ArrayNode constraints = NODES.arrayNode();
        OffsetDateTime latest = null;
        String romeCode = null;
        String romeLabel = null;

        for (JsonNode dto : ft.path("besoinsParDiagnosticIndividuDtos")) {
            latest = later(latest, dto.path("dateMiseAJour"));
            String rome = text(dto, "codeRome");
            if (rome != null && FtCodes.ROME.matcher(rome).matches()
                    && (romeCode == null || dto.path("estPrioritaire").asBoolean(false))) {
                romeCode = rome;
                romeLabel = text(dto, "nomMetier");
            }
            for (JsonNode besoin : dto.path("besoins")) {
                String theme = BESOIN_THEME.get(text(besoin, "code"));
                String valeur = text(besoin, "valeur");
                String value = valeur == null ? null : NEED_VALUE.get(valeur);
                if (valeur != null && value == null) {
                    throw new IllegalArgumentException("diagnostic: unknown besoin valeur \"" + valeur + "\"");
                }
                if (theme == null || value == null) {
                    continue;
                }
                String current = needs.path(theme).asString(null);
                if (rank(value) > rank(current)) {
                    needs.put(theme, value);
                }
            }
        }

        JsonNode contraintesDto = ft.path("contraintesIndividusDto");
        latest = later(latest, contraintesDto.path("dateDeModification"));
        for (JsonNode c : contraintesDto.path("contraintes")) {
            latest = later(latest, c.path("date"));
            String code = text(c, "code");
            String theme = CONTRAINTE_THEME.get(code);
            if (theme == null) {
                continue;
            }
            String valeur = text(c, "valeur");
            String status = valeur == null ? "not-discussed" : CONSTRAINT_STATUS.get(valeur);
            if (status == null) {
                throw new IllegalArgumentException("diagnostic: unknown contrainte valeur \"" + valeur + "\"");
            }
            constraints.add(constraint(theme, code, text(c, "libelle"), status));
            if ("present".equals(status)) {
                needs.put(theme, "need");
            } else if ("not-discussed".equals(status) && !needs.has(theme)) {
                needs.put(theme, "not-explored");
            }
            for (JsonNode s : c.path("situations")) {
                if ("OUI".equals(text(s, "valeur")) && text(s, "code") != null) {
                    constraints.add(constraint(theme, code + "-" + text(s, "code"), text(s, "libelle"), "present"));
                }
            }
        }

        if (needs.isEmpty() && constraints.isEmpty()) {
            return Optional.empty();
        }
        if (latest == null) {
            throw new IllegalArgumentException("diagnostic: no dateMiseAJour / dateDeModification to date it");
        }
        ObjectNode out = NODES.objectNode();
        out.put("date", latest.atZoneSameInstant(PARIS).toLocalDate().toString());
        ObjectNode org = out.putObject("authorOrganisation");
        if (partnerId != null) {
            org.put("partnerId", partnerId);
        }
        org.put("kind", "france-travail");
        org.put("name", "France Travail");
        String conseiller = text(contraintesDto, "conseiller");
        if (conseiller != null && conseiller.length() <= 64) {
            out.putObject("author").put("id", conseiller);
        }
        if (needs.isEmpty()) {
            // constraints only with unknown themes cannot happen (skipped above); keep minProperties 1
            needs.put("employment", "not-explored");
        }
        out.set("needs", needs);
        if (!constraints.isEmpty()) {
            out.set("constraints", constraints);
        }
        if (romeCode != null) {
            ObjectNode project = out.putObject("professionalProject");
            project.put("romeCode", romeCode);
            if (romeLabel != null) {
                project.put("label", truncate(romeLabel, 500));
            }
        }
        return Optional.of(out);
    }

    private static ObjectNode constraint(String theme, String code, String label, String status) {
        ObjectNode n = NODES.objectNode();
        n.put("theme", theme);
        if (code != null && code.length() <= 32) {
            n.put("code", code);
        }
        if (label != null) {
            n.put("label", truncate(label.trim(), 500));
        }
        n.put("status", status);
        return n;
    }

    private static int rank(String needValue) {
        if (needValue == null) {
            return -1;
        }
        return switch (needValue) {
            case "need" -> 2;
            case "strength" -> 1;
            default -> 0;
        };
    }

    private static OffsetDateTime later(OffsetDateTime current, JsonNode value) {
        if (value == null || !value.isString() || value.asString().isBlank()) {
            return current;
        }
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(value.asString());
        } catch (DateTimeParseException e) {
            try {
                t = LocalDate.parse(value.asString()).atStartOfDay(PARIS).toOffsetDateTime();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("diagnostic: not a date-time: \"" + value.asString() + "\"");
            }
        }
        return current == null || t.isAfter(current) ? t : current;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.asString().trim();
        return s.isEmpty() ? null : s;
    }

    static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
