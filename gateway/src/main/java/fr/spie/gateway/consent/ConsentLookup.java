package fr.spie.gateway.consent;

import java.util.List;

/** Finds the consents recorded for a person; what the routing policy sees of the consent registry. Plain Java. */
@FunctionalInterface
public interface ConsentLookup {
    /** @param subjectPseudonym the person's keyed pseudonym (any of the keys the consent was given with) */
    List<Consent> consentsOf(String subjectPseudonym);
}
