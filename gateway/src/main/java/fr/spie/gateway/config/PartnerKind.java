package fr.spie.gateway.config;

import java.util.Arrays;

/** Kinds of actors of the SPIE; in config files written in kebab-case (e.g. france-travail). */
public enum PartnerKind {
    CAF, MSA, FRANCE_TRAVAIL, DEPARTEMENT, MISSION_LOCALE, CAP_EMPLOI, PLIE, CCAS, ASSOCIATION, SIAE, TRAINING_BODY,
    STATE_SERVICE;

    public String configName() {
        return name().toLowerCase().replace('_', '-');
    }

    public static PartnerKind fromConfigName(String value) {
        return Arrays.stream(values()).filter(k -> k.isNamed(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown partner kind '" + value + "'"));
    }

    /** Whether {@code name} names this kind: its config name, or a former name still found in partner data. */
    public boolean isNamed(String name) {
        // "pole-emploi" is the former name of France Travail (until 2024-01-01) and is still found in partner data
        return configName().equals("pole-emploi".equals(name) ? "france-travail" : name);
    }
}
