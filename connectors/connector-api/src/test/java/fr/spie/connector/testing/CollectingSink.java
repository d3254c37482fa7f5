package fr.spie.connector.testing;

import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.schema.SpieSchemas;
import fr.spie.schema.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test sink shared by the connector modules (published in connector-api's test-jar): keeps what a connector emits,
 * in order, and renders it as JSON for structural comparison with expected files.
 *
 * <ul>
 *   <li>{@link #records} and {@link #rejections}: what was accepted and rejected, each in input order;</li>
 *   <li>{@link #events}: both, interleaved in input order, as JSON (a record: recordType, location, changeKey,
 *       subject, payload; a rejection: rejected, reason);</li>
 *   <li>{@link #recordsAsJson()}: the records only, in the same JSON form.</li>
 * </ul>
 */
public final class CollectingSink implements RecordSink {

    public final List<SpieRecord> records = new ArrayList<>();
    public final List<RecordRejection> rejections = new ArrayList<>();
    public final ArrayNode events = JsonNodeFactory.instance.arrayNode();

    @Override
    public void accept(SpieRecord record) {
        records.add(record);
        events.add(recordAsJson(record));
    }

    @Override
    public void reject(RecordRejection rejection) {
        rejections.add(rejection);
        ObjectNode e = events.addObject();
        e.put("rejected", rejection.location());
        e.put("reason", rejection.reason());
    }

    /** Records as JSON (recordType, location, changeKey, subject, payload), for structural comparison. */
    public ArrayNode recordsAsJson() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        records.forEach(r -> out.add(recordAsJson(r)));
        return out;
    }

    /** One record as JSON: recordType, location, changeKey, subject, payload. */
    public static ObjectNode recordAsJson(SpieRecord record) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("recordType", record.recordType());
        n.put("location", record.location());
        n.put("changeKey", record.changeKey());
        n.set("subject", record.subject());
        n.set("payload", record.payload());
        return n;
    }

    /**
     * Schema problems of every record, validated as a whole envelope (subject + payload) with placeholder envelope
     * metadata; empty = all valid. Needs {@code spie-schemas} on the test classpath.
     */
    public List<String> schemaViolations() {
        List<String> out = new ArrayList<>();
        for (SpieRecord r : records) {
            ObjectNode envelope = JsonNodeFactory.instance.objectNode();
            envelope.put("exchangeId", "00000000-0000-4000-8000-000000000000");
            envelope.put("recordType", r.recordType());
            envelope.put("schemaVersion", "1.0");
            envelope.put("source", "test-partner");
            envelope.put("occurredAt", "2025-03-03T06:15:00+01:00");
            envelope.put("purpose", "connector-test");
            envelope.putObject("legalBasis").put("type", "public-task").put("reference", "test");
            envelope.set("subject", r.subject());
            envelope.set("payload", r.payload());
            for (Violation v : Schemas.INSTANCE.validateEnvelope(envelope)) {
                out.add(r.location() + " " + r.recordType() + " " + v);
            }
        }
        return out;
    }

    /**
     * Writes {@link #events} to {@code target/actual/<name>} (relative to the module being tested), to help when an
     * expected file must be updated.
     */
    public void dump(String name) {
        try {
            Path p = Path.of("target", "actual", name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, TestResources.JSON.writeValueAsString(events));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loaded on first use only: tests that never validate do not pay for loading the schemas. */
    private static final class Schemas {
        static final SpieSchemas INSTANCE = SpieSchemas.load();
    }
}
