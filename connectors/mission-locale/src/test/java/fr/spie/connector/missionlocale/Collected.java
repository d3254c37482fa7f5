package fr.spie.connector.missionlocale;

import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.schema.SpieSchemas;
import fr.spie.schema.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Test sink: keeps everything in order, renders it as JSON for structural comparison with expected files. */
final class Collected implements RecordSink {
    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    static final SpieSchemas SCHEMAS = SpieSchemas.load();

    final List<SpieRecord> records = new ArrayList<>();
    final List<RecordRejection> rejections = new ArrayList<>();
    final ArrayNode events = JsonNodeFactory.instance.arrayNode();

    @Override
    public void accept(SpieRecord record) {
        records.add(record);
        ObjectNode e = events.addObject();
        e.put("recordType", record.recordType());
        e.put("location", record.location());
        e.put("changeKey", record.changeKey());
        e.set("subject", record.subject());
        e.set("payload", record.payload());
    }

    @Override
    public void reject(RecordRejection rejection) {
        rejections.add(rejection);
        ObjectNode e = events.addObject();
        e.put("rejected", rejection.location());
        e.put("reason", rejection.reason());
    }

    /** Schema problems of every record, validated as a whole envelope (subject + payload); empty = all valid. */
    List<String> schemaViolations() {
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
            for (Violation v : SCHEMAS.validateEnvelope(envelope)) {
                out.add(r.location() + " " + r.recordType() + " " + v);
            }
        }
        return out;
    }

    static JsonNode resource(String name) {
        try (InputStream in = Collected.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InputStream open(String name) {
        InputStream in = Collected.class.getResourceAsStream("/" + name);
        if (in == null) {
            throw new IllegalArgumentException("no test resource " + name);
        }
        return in;
    }

    /** Writes the actual events next to the build output, to help when an expected file must be updated. */
    void dump(String name) {
        try {
            Path p = Path.of("target", "actual", name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, JSON.writeValueAsString(events));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
