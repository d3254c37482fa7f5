package fr.spie.connector.caf;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.testing.CollectingSink;
import fr.spie.schema.SpieSchemas;
import fr.spie.schema.Violation;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

final class TestSupport {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final SpieSchemas SCHEMAS = SpieSchemas.load();

    private TestSupport() {
    }

    /** The connector's output as one JSON document: summary, records, rejections. */
    static ObjectNode render(ReadSummary summary, CollectingSink sink) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode s = out.putObject("summary");
        s.put("nativeRecords", summary.nativeRecords());
        s.put("records", summary.records());
        s.put("rejected", summary.rejected());
        ObjectNode facts = s.putObject("facts");
        summary.facts().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> facts.put(e.getKey(), e.getValue()));
        out.set("records", sink.recordsAsJson());
        ArrayNode rejections = out.putArray("rejections");
        sink.rejections.forEach(j -> rejections.addObject().put("location", j.location()).put("reason", j.reason()));
        return out;
    }

    /** Every record is a valid SPIE envelope (subject shape + payload against its record type's schema). */
    static void assertAllValid(List<SpieRecord> records) {
        for (SpieRecord r : records) {
            List<Violation> payload = SCHEMAS.validatePayload(r.recordType(), r.payload());
            assertThat(payload).as("payload of %s at %s", r.recordType(), r.location()).isEmpty();
            List<Violation> envelope = SCHEMAS.validateEnvelope(envelope(r));
            assertThat(envelope).as("envelope of %s at %s", r.recordType(), r.location()).isEmpty();
        }
    }

    static ObjectNode envelope(SpieRecord r) {
        ObjectNode e = JSON.createObjectNode();
        e.put("exchangeId", "00000000-0000-4000-8000-000000000000");
        e.put("recordType", r.recordType());
        e.put("schemaVersion", "1.0");
        e.put("source", "caf-51");
        e.put("occurredAt", "2025-03-03T06:15:00+01:00");
        e.put("purpose", "rsa-orientation");
        e.putObject("legalBasis").put("type", "legal-obligation").put("reference", "CASF art. L262-40");
        e.set("subject", r.subject());
        e.set("payload", r.payload());
        return e;
    }
}
