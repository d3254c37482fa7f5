package fr.spie.connector.francetravail;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.connector.SpieRecord;
import fr.spie.schema.SpieSchemas;
import fr.spie.schema.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

final class TestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final SpieSchemas SCHEMAS = SpieSchemas.load();

    private TestSupport() {
    }

    static InputStream resource(String path) {
        InputStream in = TestSupport.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + path);
        }
        return in;
    }

    static JsonNode json(String path) {
        try (InputStream in = resource(path)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The payload is valid for its record type, and the whole envelope (subject included) is valid. */
    static void assertValid(String recordType, JsonNode subject, JsonNode payload) {
        List<Violation> p = SCHEMAS.validatePayload(recordType, payload);
        assertThat(p).as("%s payload violations for %s", recordType, payload).isEmpty();
        ObjectNode env = JSON.createObjectNode();
        env.put("exchangeId", "00000000-0000-4000-8000-000000000000");
        env.put("recordType", recordType);
        env.put("schemaVersion", "1.0");
        env.put("source", "ft-51");
        env.put("occurredAt", "2025-03-04T02:00:00+01:00");
        env.put("purpose", "rsa-follow-up");
        env.putObject("legalBasis").put("type", "public-task").put("reference", "Code du travail art. L5312-1");
        env.set("subject", subject);
        env.set("payload", payload);
        assertThat(SCHEMAS.validateEnvelope(env)).as("%s envelope violations", recordType).isEmpty();
    }

    static void assertAllValid(List<SpieRecord> records) {
        for (SpieRecord r : records) {
            assertValid(r.recordType(), r.subject(), r.payload());
        }
    }
}
