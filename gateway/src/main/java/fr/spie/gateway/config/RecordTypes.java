package fr.spie.gateway.config;

import fr.spie.schema.SpieSchemas;
import java.util.Set;

/** The record types of the SPIE exchange schema that routes may name, as the schema module defines them. */
public final class RecordTypes {
    /** Every record type of the SPIE exchange schema v1 (person, rsa-situation, ..., consent). */
    public static final Set<String> V1 = SpieSchemas.load().recordTypes();

    private RecordTypes() {
    }
}
