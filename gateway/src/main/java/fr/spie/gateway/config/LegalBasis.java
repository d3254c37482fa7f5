package fr.spie.gateway.config;

import java.util.Set;

/**
 * A GDPR art. 6 legal basis.
 *
 * @param type      one of {@link #TYPES}
 * @param reference the text that grounds it (e.g. "CASF art. L262-40")
 */
public record LegalBasis(String type, String reference) {
    /** GDPR art. 6(1) (a) to (f), as written in config files and envelopes. */
    public static final Set<String> TYPES = Set.of("consent", "contract", "legal-obligation", "vital-interests",
            "public-task", "legitimate-interests");
}
