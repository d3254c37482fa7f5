package fr.spie.connector.francetravail;

import fr.spie.connector.UnreadableInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The header line of the SPIE extract: column names (case-insensitive, any order) and their positions. A header that
 * is not {@code ;}-separated, repeats a column or lacks a required one makes the whole file unreadable.
 *
 * @param columns         the column names, lower case, in file order
 * @param index           column name → position
 * @param missingOptional known columns absent from the file, in {@link #KNOWN_COLUMNS} order
 * @param ignored         columns this connector does not know, sorted
 */
record ExtractHeader(List<String> columns, Map<String, Integer> index, List<String> missingOptional, Set<String> ignored) {

    static final String ID = "identifiant_unique_de";

    /** Columns without which no line can be mapped: their absence from the header makes the file unreadable. */
    static final List<String> REQUIRED_COLUMNS = List.of(
            ID, "nom", "prenom", "date_naissance", "inscription", "categorie_inscription");

    /** Every column of the extract this connector knows (44); the others are ignored and reported in the facts. */
    static final List<String> KNOWN_COLUMNS = List.of(
            ID, "civilite", "nom", "prenom", "lieu_naissance", "code_lieu_naissance", "date_naissance",
            "adresse_ligne2", "adresse_ligne3", "adresse_ligne4", "adresse_ligne5", "adresse_ligne6", "departement", "dr",
            "rome_1", "appelation_rome_1", "rome_2", "appelation_rome_2", "mrech.axetravailprincipal",
            "mrech.axetravailsecondaire", "der_entretien_ppae", "der_entretien", "inscription", "code_motif_inscription",
            "motif_inscription", "categorie_inscription", "struct_principale", "referent_civilite", "referent_nom",
            "referent_prenom", "referent_mail", "code_safir", "modalite_accompagnement", "struct_suivi", "suivi_debut",
            "suivi_fin_prev", "dif_financiere", "dif_admin_jur", "dif_sante", "dif_logement", "dif_transport",
            "dif_inser_com", "dif_familiale", "brsa");

    /** @param headerLine line 1 of the file, or null when the file is empty */
    static ExtractHeader parse(String headerLine) throws UnreadableInputException {
        if (headerLine == null || headerLine.isBlank()) {
            throw new UnreadableInputException("empty input: no header line", "line 1");
        }
        if (headerLine.indexOf('\0') >= 0 || headerLine.indexOf(';') < 0) {
            throw new UnreadableInputException("line 1 is not a ';'-separated header", "line 1");
        }
        List<String> names;
        try {
            names = SemicolonLine.split(headerLine);
        } catch (IllegalArgumentException e) {
            throw new UnreadableInputException("header: " + e.getMessage(), "line 1");
        }
        Map<String, Integer> index = new HashMap<>();
        List<String> columns = new ArrayList<>();
        Set<String> ignored = new TreeSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).trim().toLowerCase(Locale.ROOT);
            if (index.putIfAbsent(name, i) != null) {
                throw new UnreadableInputException("header: duplicate column \"" + name + "\"", "line 1");
            }
            columns.add(name);
            if (!KNOWN_COLUMNS.contains(name)) {
                ignored.add(name);
            }
        }
        List<String> missing = REQUIRED_COLUMNS.stream().filter(c -> !index.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new UnreadableInputException("header lacks required column(s) " + missing
                    + ": not a France Travail SPIE extract", "line 1");
        }
        List<String> missingOptional = KNOWN_COLUMNS.stream().filter(c -> !index.containsKey(c)).toList();
        return new ExtractHeader(columns, index, missingOptional, ignored);
    }
}
