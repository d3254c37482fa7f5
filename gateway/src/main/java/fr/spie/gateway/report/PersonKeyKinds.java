package fr.spie.gateway.report;

import fr.spie.gateway.privacy.SubjectKey;

/**
 * The kind of a person key, in the French a person reads in their access report ("NIR", "numéro d'allocataire
 * CAF"...), never its value: the one wording of the report's "searched by", from the API and the command line alike.
 */
public final class PersonKeyKinds {
    private PersonKeyKinds() {
    }

    /**
     * @param key a subject key ({@code nir:…}, {@code id:<scheme>[@<issuer>]:…[|<given name>|<birth date>]},
     *            {@code household:<scheme>[@<issuer>]:…}, {@code pivot:…})
     */
    public static String of(String key) {
        if (key.startsWith("nir:")) {
            return "NIR";
        }
        if (key.startsWith("pivot:")) {
            return "nom de naissance, prénom, date de naissance";
        }
        boolean household = key.startsWith(SubjectKey.HOUSEHOLD_PREFIX);
        String rest = household ? key.substring(SubjectKey.HOUSEHOLD_PREFIX.length())
                : key.startsWith("id:") ? key.substring(3) : "";
        int colon = rest.indexOf(':');
        String scheme = (colon < 0 ? "" : rest.substring(0, colon)).split("@")[0];
        String kind = switch (scheme) {
            case "caf-matricule" -> "numéro d'allocataire CAF";
            case "msa-matricule" -> "numéro d'adhérent MSA";
            case "france-travail-id" -> "identifiant France Travail";
            case "departement-id" -> "identifiant du département";
            case "imilo-dossier-id", "imilo-jeune-id" -> "identifiant de mission locale";
            case "" -> "identifiant";
            default -> "identifiant " + scheme;
        };
        return !household && rest.indexOf('|') >= 0 ? kind + ", prénom, date de naissance" : kind;
    }
}
