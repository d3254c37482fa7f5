package fr.spie.schema;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The SPIE exchange schema v1 (JSON Schema 2020-12) and its validator.
 *
 * <p>All schemas are read from the classpath ({@code spie/schemas/v1/}) and compiled once by {@link #load()}; the
 * returned instance is immutable, thread-safe and meant to be shared. Schema {@code $id}s live under
 * {@value #BASE_URI} but are never fetched: the schema loader only serves the bundled files and remote fetching is
 * disabled. Format assertions ({@code date}, {@code date-time}, {@code email}, {@code uuid}) are enabled.
 *
 * <p>Violation pointers: a missing required property is reported at the pointer of the missing property
 * (message {@code "is required"}), an unexpected property at its own pointer; other problems at the offending value.
 */
public final class SpieSchemas {

    /** Base URI of the v1 schema {@code $id}s. */
    static final String BASE_URI = BundledSchemaFiles.BASE_URI;
    /** Classpath folder holding the v1 schemas. */
    static final String CLASSPATH_DIR = BundledSchemaFiles.CLASSPATH_DIR;
    static final String ENVELOPE = "envelope";
    static final String COMMON = "common";

    private static final List<String> RECORD_TYPES = List.of(
            "person", "rsa-situation", "jobseeker-situation", "youth-support", "orientation",
            "diagnostic", "engagement-contract", "appointment", "referent-assignment", "consent");
    /** 1.1 adds person.nirCertified, up to 20 given names and appointment.id (README.md, "Changes"). */
    private static final Set<String> SCHEMA_VERSIONS = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of("1.0", "1.1")));

    private static final class Holder {
        static final SpieSchemas INSTANCE = new SpieSchemas();
    }

    private final BundledSchemaFiles files;
    private final SchemaRegistry registry;
    private final Schema envelopeSchema;
    private final Map<String, Schema> payloadSchemas;
    private final PointerCatalogue pointerCatalogue;
    private final Set<String> recordTypes;

    private SpieSchemas() {
        List<String> names = new ArrayList<>(RECORD_TYPES);
        names.add(ENVELOPE);
        names.add(COMMON);
        this.files = new BundledSchemaFiles(names);
        SchemaCompiler compiler = new SchemaCompiler(files);
        this.registry = compiler.registry();
        this.envelopeSchema = compiler.compile(ENVELOPE);
        Map<String, Schema> payloads = new LinkedHashMap<>();
        for (String type : RECORD_TYPES) {
            payloads.put(type, compiler.compile(type));
        }
        this.payloadSchemas = Collections.unmodifiableMap(payloads);
        this.pointerCatalogue = new PointerCatalogue(files, RECORD_TYPES);
        this.recordTypes = Collections.unmodifiableSet(new LinkedHashSet<>(RECORD_TYPES));
    }

    /** Loads (once) and returns the v1 schemas. Thread-safe; the instance is shared and reusable. */
    public static SpieSchemas load() {
        return Holder.INSTANCE;
    }

    /** The record types of schema v1. */
    public Set<String> recordTypes() {
        return recordTypes;
    }

    /** The supported schema versions: {@code {"1.0", "1.1"}}. */
    public Set<String> schemaVersions() {
        return SCHEMA_VERSIONS;
    }

    /**
     * Validates a full envelope: first against the envelope schema, then (if {@code recordType} and
     * {@code schemaVersion} are known and {@code payload} is an object) the payload against its record type's schema,
     * with pointers prefixed by {@code /payload}. A missing or unknown {@code recordType} yields exactly one violation
     * at {@code /recordType}, and the payload is not validated; same for {@code schemaVersion}.
     *
     * @return the violations; empty when valid
     */
    public List<Violation> validateEnvelope(JsonNode envelope) {
        if (envelope == null || !envelope.isObject()) {
            return List.of(new Violation("", "must be a JSON object"));
        }
        Set<Violation> out = new LinkedHashSet<>();
        for (Violation v : ViolationTranslator.translate(envelopeSchema.validate(envelope), "")) {
            if (!v.pointer().equals("/recordType") && !v.pointer().equals("/schemaVersion")) {
                out.add(v);
            }
        }
        JsonNode recordTypeNode = envelope.get("recordType");
        String recordType = recordTypeNode != null && recordTypeNode.isString() ? recordTypeNode.asString() : null;
        boolean knownType = recordType != null && recordTypes.contains(recordType);
        if (!knownType) {
            String what = recordTypeNode == null ? "is required"
                    : recordType == null ? "must be a string naming a record type"
                    : "unknown record type \"" + recordType + "\"";
            out.add(new Violation("/recordType", what + "; known record types: " + RECORD_TYPES));
        }
        JsonNode versionNode = envelope.get("schemaVersion");
        String version = versionNode != null && versionNode.isString() ? versionNode.asString() : null;
        boolean knownVersion = version != null && SCHEMA_VERSIONS.contains(version);
        if (!knownVersion) {
            String what = versionNode == null ? "is required"
                    : version == null ? "must be a string"
                    : "unsupported schema version \"" + version + "\"";
            out.add(new Violation("/schemaVersion", what + "; supported versions: " + SCHEMA_VERSIONS));
        }
        JsonNode payload = envelope.get("payload");
        if (knownType && knownVersion && payload != null && payload.isObject()) {
            out.addAll(ViolationTranslator.translate(payloadSchemas.get(recordType).validate(payload), "/payload"));
        }
        return List.copyOf(out);
    }

    /**
     * Validates a record payload against its record type's schema. Pointers are relative to the payload. An unknown
     * record type yields a single violation at {@code ""} naming the known types (no exception).
     */
    public List<Violation> validatePayload(String recordType, JsonNode payload) {
        Schema schema = recordType == null ? null : payloadSchemas.get(recordType);
        if (schema == null) {
            return List.of(new Violation("", "unknown record type \"" + recordType + "\"; known record types: " + RECORD_TYPES));
        }
        if (payload == null) {
            return List.of(new Violation("", "must be a JSON object"));
        }
        return ViolationTranslator.translate(schema.validate(payload), "");
    }

    /**
     * Whether {@code jsonPointer} names a property defined by the schema of {@code recordType} (following
     * {@code $ref}, {@code properties}, {@code items}, {@code allOf}/{@code anyOf}/{@code oneOf}, {@code then}/{@code else}).
     * Arrays are transparent: {@code /suspensions/reasonCode} names the {@code reasonCode} of every suspension;
     * numeric segments (array indexes, e.g. {@code /suspensions/0/reasonCode}) are accepted and ignored.
     * {@code ""} (the whole payload) is true. Unknown record types and malformed pointers are false.
     */
    public boolean definesPointer(String recordType, String jsonPointer) {
        return pointerCatalogue.defines(recordType, jsonPointer);
    }

    // ---- package-private, for tests ----

    /** Schema registry (bundled resources only, no remote fetching). */
    SchemaRegistry registry() {
        return registry;
    }

    /** How many times the schema loader served a bundled schema file. */
    int resourceLoads() {
        return files.loads();
    }

    /** The $ids of the bundled schema files. */
    Set<String> schemaIds() {
        return files.ids();
    }
}
