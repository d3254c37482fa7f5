package fr.spie.connector.francetravail;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of one data line of the extract, read by column name: {@code NULL} and empty mean absent, values are
 * trimmed, and each typed read rejects the line ({@link LineRejected}) with the column's name when the value is wrong.
 */
final class ExtractRow {

    private static final Pattern DATE = Pattern.compile(
            "^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,9})?)?)?$");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final ExtractHeader header;
    private final List<String> values;

    private ExtractRow(ExtractHeader header, List<String> values) {
        this.header = header;
        this.values = values;
    }

    /** Splits the line; rejects it when a quoted field is not closed or the field count differs from the header's. */
    static ExtractRow split(ExtractHeader header, String line) throws LineRejected {
        List<String> values;
        try {
            values = SemicolonLine.split(line);
        } catch (IllegalArgumentException e) {
            throw new LineRejected(e.getMessage());
        }
        if (values.size() != header.columns().size()) {
            throw new LineRejected("has " + values.size() + " fields, the header has " + header.columns().size());
        }
        return new ExtractRow(header, values);
    }

    /** Runs of white space (line breaks, tabs included) as one space. */
    static String collapseSpaces(String v) {
        return SPACES.matcher(v).replaceAll(" ");
    }

    /** Trimmed value, or null when the column is absent, empty or {@code NULL}. */
    String opt(String column) {
        Integer i = header.index().get(column);
        if (i == null) {
            return null;
        }
        String v = values.get(i).trim();
        return v.isEmpty() || v.equalsIgnoreCase("NULL") ? null : v;
    }

    String req(String column) throws LineRejected {
        String v = opt(column);
        if (v == null) {
            throw new LineRejected("missing mandatory value in column " + column);
        }
        return v;
    }

    /** The date part of {@code YYYY-MM-DD[ HH:MM[:SS[.f]]]}, from 1900 on. */
    LocalDate date(String column, boolean required) throws LineRejected {
        String v = required ? req(column) : opt(column);
        if (v == null) {
            return null;
        }
        Matcher m = DATE.matcher(v);
        if (!m.matches()) {
            throw new LineRejected("column " + column + ": not a date (expected YYYY-MM-DD[ HH:MM:SS.f])");
        }
        try {
            LocalDate d = LocalDate.parse(m.group(1));
            if (d.getYear() < 1900) {
                throw new LineRejected("column " + column + ": date before 1900");
            }
            return d;
        } catch (DateTimeException e) {
            throw new LineRejected("column " + column + ": invalid calendar date");
        }
    }

    /** A person's name, spaces collapsed, at most 100 characters (longer rejects the line). */
    String name(String column, boolean required) throws LineRejected {
        String v = required ? req(column) : opt(column);
        if (v == null) {
            return null;
        }
        v = collapseSpaces(v);
        if (v.length() > 100) {
            throw new LineRejected("column " + column + ": longer than 100 characters");
        }
        return v;
    }

    /**
     * The value of a code list for the column's code, looked up by {@link FtCodes#codeKey}; an unknown code rejects the
     * line, saying what was {@code expected}.
     */
    String code(String column, Map<String, String> codes, String expected) throws LineRejected {
        String v = opt(column);
        if (v == null) {
            return null;
        }
        String value = codes.get(FtCodes.codeKey(v));
        if (value == null) {
            throw new LineRejected("column " + column + ": unknown code \"" + FtCodes.codeKey(v) + "\" (expected " + expected + ")");
        }
        return value;
    }

    /** O/OUI → true, N/NON → false (see {@link FtCodes#yesNo}); another value rejects the line. */
    Boolean yesNo(String column) throws LineRejected {
        String v = opt(column);
        if (v == null) {
            return null;
        }
        Optional<Boolean> yes = FtCodes.yesNo(v);
        if (yes.isEmpty()) {
            throw new LineRejected("column " + column + ": unknown value \"" + FtCodes.codeKey(v) + "\" (expected O/N/OUI/NON)");
        }
        return yes.get();
    }

    /** A free label, spaces collapsed, cut at 500 characters. */
    String label(String column) {
        String v = opt(column);
        if (v == null) {
            return null;
        }
        v = collapseSpaces(v);
        return v.length() > 500 ? v.substring(0, 500) : v;
    }
}
