package fr.spie.connector.identity;

/**
 * The issuer of a partner identifier ({@code issuer} of a SPIE identifier: "CAF 511", "MSA 751", "cd-51"), compared
 * on its letters and digits only: "CAF 511", "caf511" and "Caf-511 " are the same issuer ("CAF511"). The gateway keys
 * a CAF/MSA matricule or a departement-id with it, and a connector compares issuers the same way.
 */
public final class IdentifierIssuer {
    private IdentifierIssuer() {
    }

    /** Letters A-Z and digits only, upper case ("CAF511"); empty when the issuer holds none. */
    public static String normalise(String issuer) {
        StringBuilder kept = new StringBuilder(issuer.length());
        for (int i = 0; i < issuer.length(); i++) {
            char c = Character.toUpperCase(issuer.charAt(i));
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    /** Whether two issuers are the same once normalised. */
    public static boolean same(String a, String b) {
        return normalise(a).equals(normalise(b));
    }
}
