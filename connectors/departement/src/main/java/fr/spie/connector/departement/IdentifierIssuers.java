package fr.spie.connector.departement;

import fr.spie.connector.departement.FileMapping.FieldMapping;
import fr.spie.connector.identity.IdentifierIssuer;
import java.util.Map;
import java.util.Objects;

/**
 * Who issued the partner identifiers a département partner's files carry. A CAF/MSA matricule or a département's own
 * id names one person within the organisation that issued it only, so the gateway keys it with its {@code issuer}:
 * without one, a département line naming a person by CAF matricule would not be recognised as the CAF's records for
 * that person. The issuer of an identifier field is, in this order: the field's own {@code identifierIssuer} (inline
 * mappings), the partner's default for the scheme ({@code identifierIssuers} of its {@code files:} block), and for a
 * {@code departement-id} the partner itself (its partner id, e.g. {@code cd-51}). Otherwise none is written.
 *
 * @param partnerId the partner whose files are read (issuer of its {@code departement-id}s), or null
 * @param byScheme  default issuer per identifier scheme (e.g. {@code caf-matricule → "CAF 511"})
 */
public record IdentifierIssuers(String partnerId, Map<String, String> byScheme) {
    /** No issuer at all: identifiers are written as {@code {scheme, value}} unless the mapping gives one. */
    public static final IdentifierIssuers NONE = new IdentifierIssuers(null, Map.of());
    /** The scheme whose issuer is, by default, the partner itself. */
    public static final String DEPARTEMENT_ID = "departement-id";
    /** The longest issuer the SPIE schema accepts. */
    static final int MAX_LENGTH = 64;

    public IdentifierIssuers {
        byScheme = Map.copyOf(Objects.requireNonNull(byScheme, "byScheme"));
        byScheme.forEach((scheme, issuer) -> check("identifierIssuers." + scheme, issuer));
        if (partnerId != null) {
            check("partner id", partnerId);
        }
    }

    /** The issuer of the identifiers {@code field} reads, or null when none is known. */
    String issuerOf(FieldMapping field) {
        String scheme = field.identifierScheme();
        if (scheme == null) {
            return null;
        }
        if (field.identifierIssuer() != null) {
            return field.identifierIssuer();
        }
        String configured = byScheme.get(scheme);
        if (configured != null) {
            return configured;
        }
        return DEPARTEMENT_ID.equals(scheme) ? partnerId : null;
    }

    /**
     * Checks an issuer as configured, {@code where} naming it in the message.
     *
     * @throws IllegalArgumentException when {@code issuer} is blank, holds no letter A-Z or digit (it would be keyed
     *                                  as no issuer at all), or is longer than the SPIE schema allows
     */
    public static void check(String where, String issuer) {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException(where + ": the issuer must not be empty");
        }
        // an issuer is keyed by its letters A-Z and digits only ("CAF 511" and "caf511" alike)
        if (IdentifierIssuer.normalise(issuer).isEmpty()) {
            throw new IllegalArgumentException(where + ": the issuer must hold a letter (A-Z) or a digit");
        }
        if (issuer.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(where + ": the issuer has more than " + MAX_LENGTH + " characters");
        }
    }
}
