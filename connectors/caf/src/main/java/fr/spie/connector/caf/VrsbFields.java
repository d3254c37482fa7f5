package fr.spie.connector.caf;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads and checks single VRSB0801 field values: names, dates, booleans and a person's RSA role. */
final class VrsbFields {

    static final int MAX_NAME = 100;

    private VrsbFields() {
    }

    /** ROLEPERS of the person's RSA Prestations block (NATPREST=RSA), else of the first Prestations block. */
    static String rsaRole(XmlNode p) {
        String first = null;
        for (XmlNode pr : p.children()) {
            if (!pr.name.equals("Prestations")) {
                continue;
            }
            String role = pr.text("ROLEPERS");
            if ("RSA".equals(pr.text("NATPREST"))) {
                return role;
            }
            if (first == null) {
                first = role;
            }
        }
        return first;
    }

    static String name(String value, String what, boolean required) throws Reject {
        if (value == null) {
            if (required) {
                throw new Reject(what + " is missing");
            }
            return null;
        }
        if (value.length() > MAX_NAME) {
            throw new Reject(what + " is longer than " + MAX_NAME + " characters");
        }
        return value;
    }

    static String date(String value, String what) throws Reject {
        try {
            // xsd:date may carry a time zone (2022-02-28Z, 2022-02-28+01:00): the calendar date is what counts
            return (value.length() > 10 ? DateTimeFormatter.ISO_DATE.parse(value, LocalDate::from)
                    : LocalDate.parse(value)).toString();
        } catch (DateTimeParseException e) {
            throw new Reject(what + " is not a date (YYYY-MM-DD)");
        }
    }

    /** xsd:boolean: 1/true and 0/false; anything else (or missing) is unknown. */
    static Boolean bool(String v) {
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "1", "true" -> Boolean.TRUE;
            case "0", "false" -> Boolean.FALSE;
            default -> null;
        };
    }
}
