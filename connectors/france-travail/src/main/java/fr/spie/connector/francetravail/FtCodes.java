package fr.spie.connector.francetravail;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** France Travail code lists and the small normalisations this connector needs (kept local on purpose). */
final class FtCodes {

    static final Pattern ROME = Pattern.compile("^[A-N][0-9]{4}$");
    static final Pattern COMMUNE = Pattern.compile("^(2[AB]|[0-9]{2})[0-9]{3}$");
    static final Pattern COUNTRY = Pattern.compile("^99[0-9]{3}$");
    static final Pattern ORG_CODE = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z -]{0,31}$");
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    static final Pattern PHONE = Pattern.compile("^\\+?[0-9 .-]{6,20}$");
    static final Pattern PARTNER_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");

    /** modalite_accompagnement → jobseeker-situation supportModality. */
    static final Map<String, String> SUPPORT_MODALITY = Map.of(
            "GUIDE", "guide",
            "RENFORCE", "renforce",
            "SUIVI", "suivi",
            "GLOBAL", "global",
            "ACCOMPAGNEMENT GLOBAL", "global");

    /** civilite → sex. */
    static final Map<String, String> CIVILITE = Map.of(
            "MME", "F", "MADAME", "F", "MLLE", "F", "MELLE", "F",
            "M", "M", "MR", "M", "MONSIEUR", "M");

    /** SPIE organisation kind → France Travail "organisme" code (rendez-vous, orientation). */
    static final Map<String, String> ORGANISME_BY_KIND = Map.ofEntries(
            Map.entry("france-travail", "FT"),
            Map.entry("departement", "CD"),
            Map.entry("mission-locale", "ML"),
            Map.entry("cap-emploi", "CE"),
            Map.entry("association", "DCD"),
            Map.entry("plie", "DCD"),
            Map.entry("ccas", "DCD"),
            Map.entry("siae", "DCD"),
            Map.entry("training-body", "DCD"));

    /** France Travail "organisme" code → SPIE organisation kind (PE = the pre-2024 name). */
    static final Map<String, String> KIND_BY_ORGANISME = Map.of(
            "FT", "france-travail",
            "PE", "france-travail",
            "CD", "departement",
            "DCD", "departement",
            "ML", "mission-locale",
            "CE", "cap-emploi");

    private FtCodes() {
    }

    /** Upper case, accents removed, spaces collapsed, a trailing dot removed ("M." → "M", "Renforcé" → "RENFORCE"). */
    static String codeKey(String raw) {
        String s = Normalizer.normalize(raw, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        s = s.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        return s;
    }

    /** O/OUI → true, N/NON → false, otherwise empty (unknown). */
    static Optional<Boolean> yesNo(String raw) {
        return switch (codeKey(raw)) {
            case "O", "OUI", "Y", "1" -> Optional.of(Boolean.TRUE);
            case "N", "NON", "0" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    static String organisationKind(String organisme) {
        if (organisme == null) {
            return "other";
        }
        return KIND_BY_ORGANISME.getOrDefault(codeKey(organisme), "other");
    }
}
