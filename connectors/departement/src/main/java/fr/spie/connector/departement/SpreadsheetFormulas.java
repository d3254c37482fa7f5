package fr.spie.connector.departement;

import java.util.regex.Pattern;

/**
 * CSV injection (OWASP "CSV Injection"): a cell a spreadsheet would run as a formula when a département agent opens
 * the export, neutralised with a leading {@code '} (the spreadsheet then shows the text, runs nothing). A cell is one
 * when it starts with {@code =}, {@code @}, a tab or a carriage return, or with {@code +} or {@code -} unless the whole
 * value is a number or a phone number ({@code +33612345678}, {@code +33 6 12 34 56 78}, {@code -12,50}): those have
 * no letter, no function, no reference, and are written as they are.
 */
final class SpreadsheetFormulas {
    /** A sign, a digit, then digits and the separators of numbers and phone numbers only. */
    private static final Pattern SIGNED_NUMBER = Pattern.compile("[+-][0-9][0-9 .,-]*");

    private SpreadsheetFormulas() {
    }

    /** Whether a spreadsheet opening the CSV would read {@code cell} as a formula. */
    static boolean readAsFormula(String cell) {
        if (cell.isEmpty()) {
            return false;
        }
        char first = cell.charAt(0);
        if (first == '=' || first == '@' || first == '\t' || first == '\r') {
            return true;
        }
        return (first == '+' || first == '-') && cell.length() > 1 && !SIGNED_NUMBER.matcher(cell).matches();
    }

    /** The cell, with a leading {@code '} when a spreadsheet would read it as a formula. */
    static String neutralise(String cell) {
        return readAsFormula(cell) ? "'" + cell : cell;
    }
}
