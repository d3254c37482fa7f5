package fr.spie.connector.francetravail;

import java.util.regex.Pattern;

/**
 * France Travail's own error text (codeRetour, message), made fit for a reason that reaches a delivery's lastError,
 * the audit trail or a pull's problem detail: France Travail may echo what it was sent, so a NIR-shaped number (13 or
 * 15 characters, spaced or not, 2A/2B included) becomes {@code [NIR]} and an opaque run of 32 or more characters (a
 * jeton usager, a token) becomes {@code [...]}; the result is cut at {@code max} characters.
 */
final class PartnerErrorText {

    private static final Pattern NIR = Pattern.compile(
            "(?<![0-9A-Za-z])[12](?:[ .]?[0-9]){4}[ .]?(?:2[ .]?[ABab]|[0-9][ .]?[0-9])(?:[ .]?[0-9]){6}"
                    + "(?:[ .]?[0-9][ .]?[0-9])?(?![0-9])");
    private static final Pattern OPAQUE = Pattern.compile("[^\\s\"',;()\\[\\]{}]{32,}");

    private PartnerErrorText() {
    }

    static String of(String text, int max) {
        String s = NIR.matcher(text).replaceAll("[NIR]");
        s = OPAQUE.matcher(s).replaceAll("[...]");
        return FranceTravailDiagnosticMapper.truncate(s, max);
    }
}
