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

    /**
     * xsd:boolean: 1/true and 0/false; null when the element is absent or empty. Any other value is rejected, never
     * read as unknown: a flag such as TOPPERSDRODEVORSA left out would say "not known" where CNAF said something.
     */
    static Boolean bool(String v, String what) throws Reject {
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "1", "true" -> Boolean.TRUE;
            case "0", "false" -> Boolean.FALSE;
            default -> throw new Reject(what + " is " + quoted(v) + ", not a boolean (1, 0, true or false)");
        };
    }

    /** A short code value between quotes, or its length when it is too long to be a code. */
    static String quoted(String v) {
        return v.length() <= 8 ? "'" + v + "'" : "a value of " + v.length() + " characters";
    }
}
