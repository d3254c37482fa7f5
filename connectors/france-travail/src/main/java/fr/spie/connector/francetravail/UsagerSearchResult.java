package fr.spie.connector.francetravail;

import java.util.Objects;

/**
 * Outcome of rechercher-usager (NIR + birth date). Only {@link Found} carries a jeton usager; an ambiguous answer is
 * never resolved by guessing.
 */
public sealed interface UsagerSearchResult {

    /** France Travail's return code (S001, S002, S003, R001...). */
    String code();

    /**
     * S001: exactly one job seeker; {@code jetonUsager} is the opaque token for the per-user calls.
     *
     * @param identityCertified France Travail's {@code topIdentiteCertifiee}: {@code true} for O, {@code false} for N
     *                          or any other value (a certification is never guessed), {@code null} when the answer
     *                          does not state it
     */
    record Found(String code, String jetonUsager, Boolean identityCertified) implements UsagerSearchResult {
        public Found {
            Objects.requireNonNull(jetonUsager, "jetonUsager");
        }

        /**
         * Whether France Travail says the job seeker's identity is not certified: the NIR it was found by may be
         * someone else's, so nothing read about them may be linked to a person on it.
         */
        public boolean identityUncertified() {
            return Boolean.FALSE.equals(identityCertified);
        }

        @Override
        public String toString() {
            return "Found[code=" + code + ", jetonUsager=***, identityCertified=" + identityCertified + "]";
        }
    }

    /** S002: nobody registered with this NIR and birth date. */
    record NotFound(String code, String message) implements UsagerSearchResult {
    }

    /** S003: several job seekers match: to be resolved by a person, never guessed. */
    record Ambiguous(String code, String message) implements UsagerSearchResult {
    }

    /** HTTP 403 / R001: this partner may not access this person (no habilitation, out of territory). */
    record AccessDenied(String code, String message) implements UsagerSearchResult {
    }
}
