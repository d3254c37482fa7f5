package fr.spie.connector.missionlocale;

import fr.spie.connector.RecordRejection;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reading the scalar fields of an i-milo dossier: trimmed text and {@code yyyy-MM-dd} dates. */
final class DossierFields {

    private DossierFields() {
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

    /**
     * The date of {@code yyyy-MM-dd}, or of an ISO date-time ({@code 2025-01-06T10:00:00+01:00}: the date as written,
     * the time and offset checked but not used); null when it is neither.
     */
    static LocalDate date(String s) {
        if (s == null) {
            return null;
        }
        try {
            return s.length() > 10 && s.charAt(10) == 'T' ? DateTimeFormatter.ISO_DATE_TIME.parse(s, LocalDate::from)
                    : LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Copies the date {@code field} of {@code from} to {@code target} of {@code to}; a missing (when required) or
     * invalid date is a youth-support problem at {@code where} instead.
     */
    static void dateField(JsonNode from, String field, ObjectNode to, String target, String where, boolean required,
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
}
