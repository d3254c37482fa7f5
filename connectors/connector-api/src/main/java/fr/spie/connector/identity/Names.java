package fr.spie.connector.identity;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Matching keys for person names: accents removed (NFD, combining marks dropped; Œ/Æ/ß expanded), upper case,
 * hyphens, apostrophes and other punctuation turned into spaces, runs of spaces collapsed, trimmed.
 * {@code "Marie-Hélène d'Aubigné "} → {@code "MARIE HELENE D AUBIGNE"}.
 *
 * <p>A key is for comparing, never for display or for sending to a partner.
 */
public final class Names {

    private Names() {
    }

    /** The matching key of a name; "" for null or blank. */
    public static String key(String name) {
        if (name == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(decomposed.length());
        boolean pendingSpace = false;
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            String expanded = expand(c);
            if (expanded != null) {
                if (pendingSpace && sb.length() > 0) {
                    sb.append(' ');
                }
                pendingSpace = false;
                sb.append(expanded);
            } else if (Character.isLetterOrDigit(c)) {
                if (pendingSpace && sb.length() > 0) {
                    sb.append(' ');
                }
                pendingSpace = false;
                sb.append(c);
            } else {
                // spaces, hyphens, apostrophes (' ’ ʼ), dots, commas...: word separators
                pendingSpace = true;
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    /** Whether two names have the same matching key (and are not blank). */
    public static boolean sameName(String a, String b) {
        String ka = key(a);
        return !ka.isEmpty() && ka.equals(key(b));
    }

    private static String expand(char c) {
        switch (c) {
            case 'Œ': return "OE";
            case 'œ': return "OE";
            case 'Æ': return "AE";
            case 'æ': return "AE";
            case 'ß': return "SS";
            case 'Ø': return "O";
            case 'ø': return "O";
            case 'Ł': return "L";
            case 'ł': return "L";
            case 'Đ': return "D";
            case 'đ': return "D";
            default: return null;
        }
    }
}
