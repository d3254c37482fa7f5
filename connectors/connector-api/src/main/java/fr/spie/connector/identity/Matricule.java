package fr.spie.connector.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * A CAF/MSA allocataire number ("matricule", "numéro allocataire").
 *
 * <p>CNAF flux (VRSB0801 MATRICULE, {@code xsd:integer totalDigits=15}) carry a 15-digit form; départements'
 * systems, RDV-Insertion and the Carnet de bord use the 7-digit form: {@code 205599000000000 ↔ 2055990}. The rule
 * (FORMATS.md §1.3/§10): a 15-digit flux form whose last 8 digits are zeros is the 7-digit number followed by
 * {@code 00000000}; a short number is left-padded with zeros to 7 digits. Because MATRICULE is an XML integer, the
 * flux may drop leading zeros ({@code 34614500000000} for {@code 034614500000000 ↔ 0346145}): long forms are
 * left-padded to 15 digits first.
 *
 * <p>A 15-digit form that does not end with 8 zeros (e.g. MSA numbers such as {@code 922021077501688}) has no short
 * form: {@link #normalised()} is then the 15-digit form.
 */
public final class Matricule {

    private static final String EIGHT_ZEROS = "00000000";

    private final String raw;
    private final String fluxForm;
    private final String shortForm;

    private Matricule(String raw, String fluxForm, String shortForm) {
        this.raw = raw;
        this.fluxForm = fluxForm;
        this.shortForm = shortForm;
    }

    /**
     * @throws IllegalArgumentException when it is empty, not digits, or longer than 15 digits
     */
    public static Matricule parse(String raw) {
        Objects.requireNonNull(raw, "raw");
        String digits = raw.replace(" ", "").trim();
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("matricule is empty");
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("matricule must contain digits only");
            }
        }
        if (digits.length() > 15) {
            throw new IllegalArgumentException("matricule has more than 15 digits (" + digits.length() + ")");
        }
        if (digits.length() <= 7) {
            String s = leftPad(digits, 7);
            return new Matricule(raw, s + EIGHT_ZEROS, s);
        }
        String flux = leftPad(digits, 15);
        String s = flux.endsWith(EIGHT_ZEROS) ? flux.substring(0, 7) : null;
        return new Matricule(raw, flux, s);
    }

    /** The value as received. */
    public String raw() {
        return raw;
    }

    /** The 15-digit form used in CNAF flux. */
    public String fluxForm() {
        return fluxForm;
    }

    /** The 7-digit form used by départements, when the number has one. */
    public Optional<String> shortForm() {
        return Optional.ofNullable(shortForm);
    }

    /** The matching form: the 7-digit form when there is one, else the 15-digit form. */
    public String normalised() {
        return shortForm != null ? shortForm : fluxForm;
    }

    /** Same allocataire number, whatever form each was received in. */
    public boolean sameNumberAs(Matricule other) {
        return other != null && other.fluxForm.equals(fluxForm);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matricule other && other.fluxForm.equals(fluxForm);
    }

    @Override
    public int hashCode() {
        return fluxForm.hashCode();
    }

    @Override
    public String toString() {
        return "Matricule[" + normalised() + "]";
    }

    private static String leftPad(String s, int n) {
        return s.length() >= n ? s : "0".repeat(n - s.length()) + s;
    }
}
