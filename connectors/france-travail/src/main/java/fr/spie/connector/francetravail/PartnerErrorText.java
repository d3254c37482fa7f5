package fr.spie.connector.francetravail;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What of France Travail's own error answer (codeRetour / code, message) may reach a delivery's lastError, the audit
 * trail, the log or a pull's problem detail: its error code only, and only when it looks like one of France Travail's
 * codes (a letter or a few followed by digits: S002, R001, T500; or words joined by underscores: ID_NON_RECONNU,
 * invalid_client). Its free text (message, libelle, error_description) is never kept: France Travail may echo what it
 * was sent, a name, a birth date or an address that no masking can tell from ordinary words.
 */
final class PartnerErrorText {

    private static final Pattern CODE = Pattern.compile("[A-Za-z]{1,4}[0-9]{1,5}|[A-Za-z]{1,20}(?:_[A-Za-z]{1,20}){1,5}");

    private PartnerErrorText() {
    }

    /** France Travail's error code when it has the shape of one; empty otherwise (a value echoed in its place). */
    static Optional<String> code(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.strip();
        return CODE.matcher(c).matches() ? Optional.of(c) : Optional.empty();
    }
}
