package fr.spie.gateway.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The record types of the SPIE exchange schema v1 that routes may carry.
 * <p>
 * Stop-gap: the schema module will expose them ({@code SpieSchemas.load().recordTypes()}); until then the CLI and the
 * gateway pass this set to {@link GatewayConfigLoader}.
 */
public final class RecordTypes {
    /** person, rsa-situation, jobseeker-situation, youth-support, orientation, diagnostic, engagement-contract,
     *  appointment, referent-assignment — in this order. */
    public static final Set<String> V1 = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "person", "rsa-situation", "jobseeker-situation", "youth-support", "orientation", "diagnostic",
            "engagement-contract", "appointment", "referent-assignment")));

    private RecordTypes() {
    }
}
