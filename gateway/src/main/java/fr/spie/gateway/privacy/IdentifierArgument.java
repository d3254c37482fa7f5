package fr.spie.gateway.privacy;

import tools.jackson.databind.node.ObjectNode;

/**
 * A partner identifier written as one argument, {@code <scheme>[@<issuer>]:<value>} (e.g.
 * {@code caf-matricule@CAF 511:2055990}), as the consents API and the command line take it: added to a subject's
 * {@code identifiers} the way an envelope carries it, so that it gives the same keys.
 */
public final class IdentifierArgument {
    private IdentifierArgument() {
    }

    /**
     * Adds the identifier to {@code subject.identifiers}.
     *
     * @return false (nothing added) when the argument is not {@code <scheme>[@<issuer>]:<value>}
     */
    public static boolean addTo(ObjectNode subject, String argument) {
        int colon = argument == null ? -1 : argument.indexOf(':');
        if (colon <= 0 || colon == argument.length() - 1) {
            return false;
        }
        String scheme = argument.substring(0, colon);
        // a CAF/MSA matricule or a departement-id names one person within its issuer only
        int at = scheme.indexOf('@');
        ObjectNode identifier = subject.withArray("identifiers").addObject()
                .put("scheme", at < 0 ? scheme : scheme.substring(0, at)).put("value", argument.substring(colon + 1));
        if (at >= 0) {
            identifier.put("issuer", scheme.substring(at + 1));
        }
        return true;
    }
}
