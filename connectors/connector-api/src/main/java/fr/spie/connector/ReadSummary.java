package fr.spie.connector;

import java.util.Map;

/**
 * What an inbound connector read from one input.
 *
 * @param nativeRecords native units read (households, CSV lines, dossiers)
 * @param records       SPIE records emitted to the sink
 * @param rejected      native records rejected
 * @param facts         facts about the input worth reporting (flux type, declared totals...), no personal data
 */
public record ReadSummary(long nativeRecords, long records, long rejected, Map<String, String> facts) {
    public ReadSummary {
        facts = Map.copyOf(facts);
    }
}
