package fr.spie.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

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
    static final String BASE_URI = "https://schemas.spie-gateway.fr/v1/";
    /** Classpath folder holding the v1 schemas. */
    static final String CLASSPATH_DIR = "spie/schemas/v1/";
    static final String ENVELOPE = "envelope";
    static final String COMMON = "common";

    private static final List<String> RECORD_TYPES = List.of(
            "person", "rsa-situation", "jobseeker-situation", "youth-support", "orientation",
            "diagnostic", "engagement-contract", "appointment", "referent-assignment", "consent");
    private static final Set<String> SCHEMA_VERSIONS = Set.of("1.0");
    private static final String SUBJECT_ANY_OF = "common.schema.json#/$defs/subject/anyOf";

    private static final class Holder {
        static final SpieSchemas INSTANCE = new SpieSchemas();
    }

    private final Map<String, String> sourceById;          // $id -> schema text (bundled files only)
    private final Map<String, JsonNode> documentById;      // $id -> parsed schema
    private final AtomicInteger resourceLoads = new AtomicInteger();
    private final SchemaRegistry registry;
    private final Schema envelopeSchema;
    private final Map<String, Schema> payloadSchemas;
    private final Map<String, Set<String>> definedPointers;
    private final Set<String> recordTypes;

    private SpieSchemas() {
        ObjectMapper mapper = JsonMapper.builder().build();
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(RECORD_TYPES);
        names.add(ENVELOPE);
        names.add(COMMON);
        for (String name : names) {
            String text = readClasspath(CLASSPATH_DIR + name + ".schema.json");
            JsonNode doc = mapper.readTree(text);
            String id = BASE_URI + name + ".schema.json";
            if (!id.equals(doc.path("$id").asString(""))) {
                throw new IllegalStateException("schema " + name + " must declare $id " + id);
            }
            sources.put(id, text);
            documents.put(id, doc);
        }
        this.sourceById = Map.copyOf(sources);
        this.documentById = Map.copyOf(documents);

        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
                .schemaRegistryConfig(config)
                .schemaLoader(l -> l
                        .fetchRemoteResources(false)
                        .resourceLoaders(r -> r.values(list -> {
                            list.clear();
                            list.add(iri -> {
                                String text = sourceById.get(iri.toString());
                                if (text == null) {
                                    return null;
                                }
                                resourceLoads.incrementAndGet();
                                return () -> new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
                            });
                        }))));

        this.envelopeSchema = compile(ENVELOPE);
        Map<String, Schema> payloads = new LinkedHashMap<>();
        Map<String, Set<String>> pointers = new HashMap<>();
        for (String type : RECORD_TYPES) {
            payloads.put(type, compile(type));
            Set<String> defined = new HashSet<>();
            String id = BASE_URI + type + ".schema.json";
            collectPointers(documentById.get(id), id, "", defined, 0);
            pointers.put(type, Set.copyOf(defined));
        }
        this.payloadSchemas = Collections.unmodifiableMap(payloads);
        this.definedPointers = Map.copyOf(pointers);
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

    /** The supported schema versions: {@code {"1.0"}}. */
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
        for (Violation v : toViolations(envelopeSchema.validate(envelope), "")) {
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
            out.addAll(toViolations(payloadSchemas.get(recordType).validate(payload), "/payload"));
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
        return toViolations(schema.validate(payload), "");
    }

    /**
     * Whether {@code jsonPointer} names a property defined by the schema of {@code recordType} (following
     * {@code $ref}, {@code properties}, {@code items}, {@code allOf}/{@code anyOf}/{@code oneOf}, {@code then}/{@code else}).
     * Arrays are transparent: {@code /suspensions/reasonCode} names the {@code reasonCode} of every suspension;
     * numeric segments (array indexes, e.g. {@code /suspensions/0/reasonCode}) are accepted and ignored.
     * {@code ""} (the whole payload) is true. Unknown record types and malformed pointers are false.
     */
    public boolean definesPointer(String recordType, String jsonPointer) {
        Set<String> defined = recordType == null ? null : definedPointers.get(recordType);
        if (defined == null || jsonPointer == null) {
            return false;
        }
        if (jsonPointer.isEmpty()) {
            return true;
        }
        if (!jsonPointer.startsWith("/")) {
            return false;
        }
        StringBuilder normalised = new StringBuilder();
        for (String segment : jsonPointer.substring(1).split("/", -1)) {
            if (segment.isEmpty()) {
                return false;
            }
            if (!segment.chars().allMatch(Character::isDigit)) {
                normalised.append('/').append(segment);
            }
        }
        return defined.contains(normalised.toString());
    }

    // ---- package-private, for tests ----

    /** Schema registry (bundled resources only, no remote fetching). */
    SchemaRegistry registry() {
        return registry;
    }

    /** How many times the schema loader served a bundled schema file. */
    int resourceLoads() {
        return resourceLoads.get();
    }

    /** The $ids of the bundled schema files. */
    Set<String> schemaIds() {
        return sourceById.keySet();
    }

    // ---- internals ----

    private Schema compile(String name) {
        Schema schema = registry.getSchema(SchemaLocation.of(BASE_URI + name + ".schema.json"));
        schema.initializeValidators();
        return schema;
    }

    private static String readClasspath(String path) {
        ClassLoader cl = SpieSchemas.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema not found on classpath: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collectPointers(JsonNode schema, String docId, String prefix, Set<String> out, int depth) {
        if (schema == null || !schema.isObject() || depth > 40) {
            return;
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isString()) {
            String r = ref.asString();
            int hash = r.indexOf('#');
            String docPart = hash < 0 ? r : r.substring(0, hash);
            String fragment = hash < 0 ? "" : r.substring(hash + 1);
            String targetId = docPart.isEmpty() ? docId : java.net.URI.create(docId).resolve(docPart).toString();
            JsonNode doc = documentById.get(targetId);
            if (doc == null) {
                throw new IllegalStateException("unresolvable $ref " + r + " in " + docId);
            }
            collectPointers(doc.at(fragment), targetId, prefix, out, depth + 1);
        }
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.isObject()) {
            for (Map.Entry<String, JsonNode> p : properties.properties()) {
                String pointer = prefix + "/" + p.getKey().replace("~", "~0").replace("/", "~1");
                out.add(pointer);
                collectPointers(p.getValue(), docId, pointer, out, depth + 1);
            }
        }
        collectPointers(schema.get("items"), docId, prefix, out, depth + 1);
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode list = schema.get(combinator);
            if (list != null && list.isArray()) {
                for (JsonNode sub : list) {
                    collectPointers(sub, docId, prefix, out, depth + 1);
                }
            }
        }
        collectPointers(schema.get("then"), docId, prefix, out, depth + 1);
        collectPointers(schema.get("else"), docId, prefix, out, depth + 1);
    }

    /**
     * Converts validator errors: collapses the failed alternatives of an {@code anyOf} into one violation, and drops a
     * {@code pattern} violation when a {@code format} violation was reported at the same place (e.g. exchangeId).
     */
    private static List<Violation> toViolations(List<Error> errors, String prefix) {
        if (errors.isEmpty()) {
            return List.of();
        }
        Set<Violation> out = new LinkedHashSet<>();
        Set<String> formatPointers = new HashSet<>();
        Set<String> collapsed = new HashSet<>();
        for (Error error : errors) {
            if ("format".equals(error.getKeyword())) {
                formatPointers.add(prefix + pointerOf(error));
            }
        }
        for (Error error : errors) {
            String schemaLocation = error.getSchemaLocation() == null ? "" : error.getSchemaLocation().toString();
            int anyOf = schemaLocation.lastIndexOf("/anyOf/");
            if (anyOf >= 0) {
                String pointer = prefix + anyOfInstancePointer(error);
                String anyOfLocation = schemaLocation.substring(0, anyOf + "/anyOf".length());
                if (collapsed.add(anyOfLocation + " @ " + pointer)) {
                    out.add(new Violation(pointer, anyOfLocation.endsWith(SUBJECT_ANY_OF)
                            ? "must identify the person with at least one of: nir, a non-empty identifiers array, "
                                    + "or birthName + givenNames + birthDate"
                            : "must match at least one of the allowed alternatives"));
                }
                continue;
            }
            Violation v = toViolation(error, prefix);
            if ("pattern".equals(error.getKeyword()) && formatPointers.contains(v.pointer())) {
                continue;
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    private static Violation toViolation(Error error, String prefix) {
        String location = pointerOf(error);
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        Object[] args = error.getArguments() == null ? new Object[0] : error.getArguments();
        JsonNode schemaNode = error.getSchemaNode();
        switch (keyword) {
            case "required": {
                return new Violation(prefix + location + "/" + escape(error.getProperty()), "is required");
            }
            case "additionalProperties":
            case "unevaluatedProperties": {
                return new Violation(prefix + location + "/" + escape(error.getProperty()),
                        "is not allowed: the schema does not define this property");
            }
            case "enum": {
                List<String> values = new ArrayList<>();
                if (schemaNode != null && schemaNode.isArray()) {
                    schemaNode.forEach(v -> values.add(v.isString() ? v.asString() : v.toString()));
                }
                return new Violation(prefix + location, "must be one of " + values);
            }
            case "const": {
                String value = schemaNode == null ? String.valueOf(args.length > 0 ? args[0] : "")
                        : schemaNode.isString() ? schemaNode.asString() : schemaNode.toString();
                return new Violation(prefix + location, "must be \"" + value + "\"");
            }
            case "format": {
                String format = schemaNode != null && schemaNode.isString() ? schemaNode.asString()
                        : String.valueOf(args.length > 0 ? args[0] : "");
                return new Violation(prefix + location, formatMessage(format));
            }
            case "pattern": {
                String pattern = schemaNode != null && schemaNode.isString() ? schemaNode.asString()
                        : String.valueOf(args.length > 0 ? args[0] : "");
                return new Violation(prefix + location, "must match the pattern " + pattern);
            }
            case "type": {
                String expected = schemaNode == null ? String.valueOf(args.length > 1 ? args[1] : "")
                        : schemaNode.isString() ? schemaNode.asString() : schemaNode.toString();
                String article = expected.matches("^[aeiou].*") ? "an " : "a ";
                return new Violation(prefix + location, "must be " + article + expected);
            }
            case "anyOf": {
                if (error.getSchemaLocation() != null && error.getSchemaLocation().toString().endsWith(SUBJECT_ANY_OF)) {
                    return new Violation(prefix + location,
                            "must identify the person with at least one of: nir, a non-empty identifiers array, "
                                    + "or birthName + givenNames + birthDate");
                }
                return new Violation(prefix + location, "must match at least one of the allowed alternatives");
            }
            default:
                return new Violation(prefix + location, stripLocation(error.getMessage(), location));
        }
    }

    /**
     * The instance the failed {@code anyOf} applied to: the error's instance location minus the instance levels
     * descended below the last {@code anyOf} of its evaluation path.
     */
    private static String anyOfInstancePointer(Error error) {
        String pointer = pointerOf(error);
        com.networknt.schema.path.NodePath evaluation = error.getEvaluationPath();
        if (evaluation == null) {
            return pointer;
        }
        int count = evaluation.getNameCount();
        int start = -1;
        for (int i = count - 1; i >= 0; i--) {
            if ("anyOf".equals(evaluation.getName(i))) {
                start = i + 2; // skip "anyOf" and the alternative's index
                break;
            }
        }
        if (start < 0) {
            return pointer;
        }
        int depth = 0;
        for (int i = start; i < count; i++) {
            String segment = evaluation.getName(i);
            switch (segment) {
                case "properties", "patternProperties", "prefixItems" -> {
                    depth++;
                    i++; // skip the property name / index
                }
                case "items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contains" -> depth++;
                default -> { }
            }
        }
        String result = pointer;
        for (int d = 0; d < depth && !result.isEmpty(); d++) {
            result = result.substring(0, result.lastIndexOf('/'));
        }
        return result;
    }

    private static String formatMessage(String format) {
        return switch (format) {
            case "date" -> "must be a valid date (YYYY-MM-DD)";
            case "date-time" -> "must be a valid date-time (RFC 3339, e.g. 2025-03-04T09:30:00+01:00)";
            case "uuid" -> "must be a valid UUID";
            case "email" -> "must be a valid email address";
            default -> "must be a valid " + format;
        };
    }

    private static String pointerOf(Error error) {
        if (error.getInstanceLocation() == null) {
            return "";
        }
        String location = error.getInstanceLocation().toString();
        return location.equals("/") ? "" : location;
    }

    private static String stripLocation(String message, String location) {
        if (message == null) {
            return "is invalid";
        }
        String prefix = location + ": ";
        if (message.startsWith(prefix)) {
            return message.substring(prefix.length());
        }
        if (message.startsWith(": ")) {
            return message.substring(2);
        }
        return message;
    }

    private static String escape(String property) {
        return property == null ? "" : property.replace("~", "~0").replace("/", "~1");
    }
}
