package fr.spie.gateway.report;

/**
 * The kind of a person key, in the French a person reads in their access report ("NIR", "numéro d'allocataire
 * CAF"...), never its value: the one wording of the report's "searched by", from the API and the command line alike.
 */
public final class PersonKeyKinds {
    private PersonKeyKinds() {
    }

    /** @param key a subject key ({@code nir:…}, {@code id:<scheme>[@<issuer>]:…}, {@code pivot:…}) */
    public static String of(String key) {
        if (key.startsWith("nir:")) {
            return "NIR";
        }
        if (key.startsWith("pivot:")) {
            return "nom de naissance, prénom, date de naissance";
        }
        String scheme = key.startsWith("id:") ? key.substring(3, Math.max(3, key.indexOf(':', 3))).split("@")[0]
                : key;
        return switch (scheme) {
            case "caf-matricule" -> "numéro d'allocataire CAF";
            case "msa-matricule" -> "numéro d'adhérent MSA";
            case "france-travail-id" -> "identifiant France Travail";
            case "departement-id" -> "identifiant du département";
            case "imilo-dossier-id", "imilo-jeune-id" -> "identifiant de mission locale";
            default -> "identifiant " + scheme;
        };
    }
}
