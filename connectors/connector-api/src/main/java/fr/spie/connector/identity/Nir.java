package fr.spie.connector.identity;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A NIR (numéro d'inscription au répertoire, "numéro de sécurité sociale"), 13 characters or 15 with its key.
 *
 * <p>Normalisation: spaces removed, upper-cased. Shape: sex(1) year(2) month(2) département(2: digits, or 2A/2B for
 * Corsica) commune(3) order(3) [key(2)]. The key is {@code 97 - (n mod 97)} where n is the 13 first characters read
 * as a number, Corsica's 2A and 2B replaced by 19 and 18 (INSEE rule).
 *
 * <p>Never put a NIR value in a log, an exception message or a rejection reason: messages of this class say what is
 * wrong, not the value.
 */
public final class Nir {

    /** Same pattern as {@code common.schema.json#/$defs/nir} (a personal NIR: sex 1/2, month 01-12 or 20-99). */
    private static final Pattern SPIE_SCHEMA = Pattern.compile(
            "^[12][0-9]{2}(0[1-9]|1[0-2]|[2-9][0-9])(2[AB]|[0-9]{2})[0-9]{6}([0-9]{2})?$");

    private final String value;

    private Nir(String value) {
        this.value = value;
    }

    /**
     * Parses and normalises a NIR.
     *
     * @throws IllegalArgumentException when it is not 13 or 15 characters of the NIR shape (the message never
     *                                  contains the value)
     */
    public static Nir parse(String raw) {
        Objects.requireNonNull(raw, "raw");
        StringBuilder sb = new StringBuilder(15);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!Character.isWhitespace(c)) {
                sb.append(Character.toUpperCase(c));
            }
        }
        String s = sb.toString();
        if (s.length() != 13 && s.length() != 15) {
            throw new IllegalArgumentException("NIR must have 13 or 15 characters, got " + s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean corsica = (i == 6) && (c == 'A' || c == 'B') && s.charAt(5) == '2';
            if (!(c >= '0' && c <= '9') && !corsica) {
                throw new IllegalArgumentException("NIR has an unexpected character at position " + (i + 1)
                        + " (digits only, 2A/2B allowed as département)");
            }
        }
        return new Nir(s);
    }

    /** The normalised value (13 or 15 characters). */
    public String value() {
        return value;
    }

    /** The 13 first characters, the part to match persons on. */
    public String first13() {
        return value.substring(0, 13);
    }

    /** Whether the NIR carries its 2-digit key (15 characters). */
    public boolean hasKey() {
        return value.length() == 15;
    }

    /** The key computed from the 13 first characters: 97 - (n mod 97), 2A → 19 and 2B → 18. */
    public int key() {
        return computeKey(first13());
    }

    /** True when the NIR has 15 characters and its last two are the computed key; false for a 13-character NIR. */
    public boolean hasValidKey() {
        return hasKey() && Integer.parseInt(value.substring(13)) == key();
    }

    /** The 15-character form (the key appended when absent). */
    public String withKey() {
        return hasKey() ? value : value + String.format("%02d", key());
    }

    /**
     * Whether the SPIE exchange schema accepts it ({@code common.schema.json#/$defs/nir}): a personal NIR, sex 1 or 2.
     * Temporary numbers (NIA, sex digit 7/8) or other forms are not carried by the schema.
     */
    public boolean conformsToSpieSchema() {
        return SPIE_SCHEMA.matcher(value).matches();
    }

    static int computeKey(String first13) {
        String digits = first13;
        if (first13.charAt(5) == '2' && (first13.charAt(6) == 'A' || first13.charAt(6) == 'B')) {
            digits = first13.substring(0, 5) + (first13.charAt(6) == 'A' ? "19" : "18") + first13.substring(7);
        }
        long n = Long.parseLong(digits);
        return (int) (97 - (n % 97));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nir other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Masked: a NIR is sensitive and must not end up in logs. */
    @Override
    public String toString() {
        return "Nir[" + value.charAt(0) + "************" + (hasKey() ? "**" : "") + "]";
    }
}
