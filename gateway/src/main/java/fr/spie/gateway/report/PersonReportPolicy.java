package fr.spie.gateway.report;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Which purposes are not shown to the person, or shown only after a delay (e.g. an inquiry that must not be
 * revealed while it runs).
 *
 * @param hiddenPurposes  purposes never listed (their deliveries are not even counted)
 * @param delayedPurposes purposes listed only once the delivery is older than the delay (counted as withheld before)
 */
public record PersonReportPolicy(Set<String> hiddenPurposes, Map<String, Duration> delayedPurposes) {
    public PersonReportPolicy {
        hiddenPurposes = hiddenPurposes == null ? Set.of() : Set.copyOf(hiddenPurposes);
        delayedPurposes = delayedPurposes == null ? Map.of() : Map.copyOf(delayedPurposes);
    }
}
