package fr.spie.gateway.config;

import java.util.Objects;
import java.util.Set;

/**
 * A partner whose APIs the gateway reads when a recipient asks (a "pull"): the records read become exchanges from
 * this partner, routed by the routes like any other. Only France Travail's partner APIs exist for now.
 *
 * @param api         the France Travail API settings (OAuth2 client credentials, agent headers)
 * @param recordTypes what may be read: {@code diagnostic}, {@code orientation}
 * @param purpose     purpose of processing put on the exchanges read
 * @param legalBasis  legal basis put on the exchanges read
 */
public record PartnerPull(TransportSettings.FranceTravailApi api, Set<String> recordTypes, String purpose,
                          LegalBasis legalBasis) {
    public static final String FRANCE_TRAVAIL = "france-travail";
    public static final Set<String> RECORD_TYPES = Set.of("diagnostic", "orientation");

    public PartnerPull {
        Objects.requireNonNull(api, "api");
        recordTypes = Set.copyOf(recordTypes);
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(legalBasis, "legalBasis");
    }
}
