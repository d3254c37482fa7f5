package fr.spie.gateway.files;

import fr.spie.connector.SpieRecord;
import fr.spie.gateway.config.FileChannel;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the intake envelope of each record of one file, as if the partner had posted it: {@code occurredAt} is the
 * file's reception time, so reading the same file again gives the very same envelopes.
 */
final class FileRecordEnvelopes {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String partner;
    private final FileChannel channel;
    private final String occurredAt;

    FileRecordEnvelopes(ReceivedFile file, FileChannel channel) {
        this.partner = file.partner();
        this.channel = channel;
        this.occurredAt = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                file.receivedAt().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
    }

    /**
     * The schema version the record needs: 1.1 when it uses an addition of 1.1 (schemas/README.md: a person's
     * {@code nirCertified}, more than 3 given names), so that a receiver that knows 1.0 only is told; 1.0
     * otherwise, as before.
     */
    static String schemaVersionOf(SpieRecord record) {
        boolean additions = record.payload().has("nirCertified")
                || record.payload().path("givenNames").size() > V1_0_GIVEN_NAMES
                || record.subject().path("givenNames").size() > V1_0_GIVEN_NAMES;
        return additions ? "1.1" : "1.0";
    }

    /** The most given names schema 1.0 allowed. */
    private static final int V1_0_GIVEN_NAMES = 3;

    ObjectNode of(UUID exchangeId, SpieRecord record) {
        ObjectNode e = JSON.objectNode();
        e.put("exchangeId", exchangeId.toString());
        e.put("recordType", record.recordType());
        e.put("schemaVersion", schemaVersionOf(record));
        e.put("source", partner);
        e.put("occurredAt", occurredAt);
        e.put("purpose", channel.purpose());
        ObjectNode basis = e.putObject("legalBasis");
        basis.put("type", channel.legalBasis().type());
        basis.put("reference", channel.legalBasis().reference());
        e.set("subject", record.subject());
        e.set("payload", record.payload());
        return e;
    }
}
