package fr.spie.connector;

import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * One record in the SPIE exchange schema, as produced by an inbound connector from a partner's native data.
 *
 * @param recordType  a record type of the SPIE exchange schema (person, rsa-situation, ...)
 * @param subject     the person the record is about: identity pivot and partner identifiers (envelope "subject")
 * @param payload     the record itself, valid against the record type's schema (envelope "payload")
 * @param location    where the record comes from in the native input (line number, element path), for reports
 * @param changeKey   stable key of the record's business identity (e.g. "caf:511:205599000000000:DEM"); with the
 *                    record type it identifies the "same record" across files for change detection
 */
public record SpieRecord(String recordType, ObjectNode subject, ObjectNode payload, String location, String changeKey) {
    public SpieRecord {
        Objects.requireNonNull(recordType, "recordType");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(location, "location");
    }
}
