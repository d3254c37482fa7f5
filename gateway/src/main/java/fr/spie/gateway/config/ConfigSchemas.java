package fr.spie.gateway.config;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas (2020-12) of the config files, kept in the schemas module under {@code spie/schemas/config/}, and
 * the translation of their errors into located problems.
 */
final class ConfigSchemas {
    static final String RESOURCE_DIR = "/spie/schemas/config/";

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .locale(Locale.ENGLISH)
                    .errorMessageKeyword("errorMessage")
                    .build()));

    /** Each loaded schema's JSON by its absolute IRI, to name the allowed keys when an unknown key is found. */
    private final Map<String, JsonNode> rawSchemas = new ConcurrentHashMap<>();

    /** A schema violation: the problem and the JSON pointer of the offending value. */
    record Violation(String pointer, ConfigProblem problem) {
    }

    /** Loads {@code <name>.schema.json}, e.g. {@code partners}. */
    Schema schema(String name) {
        String resource = RESOURCE_DIR + name + ".schema.json";
        try (InputStream in = ConfigSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is not on the classpath (spie-schemas module)");
            }
            Schema schema = registry.getSchema(in, InputFormat.JSON);
            rawSchemas.put(schema.getSchemaLocation().getAbsoluteIri().toString(), schema.getSchemaNode());
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Violation> validate(Schema schema, YamlDocument doc) {
        List<Violation> violations = new ArrayList<>();
        for (Error error : schema.validate(doc.root())) {
            String pointer = pointer(error.getInstanceLocation());
            String keyword = error.getKeyword() == null ? "" : error.getKeyword();
            String where = readable(error.getInstanceLocation());
            ConfigProblem problem = switch (keyword) {
                case "additionalProperties", "unevaluatedProperties" -> {
                    String key = YamlDocument.child(pointer, error.getProperty());
                    pointer = key;
                    yield doc.problemAtKey(key, "unknown key '" + error.getProperty() + "'"
                            + (where.isEmpty() ? "" : " in " + where) + allowedKeys(error));
                }
                case "required" -> doc.problemAt(pointer, (where.isEmpty() ? "" : where + ": ")
                        + "missing required key '" + error.getProperty() + "'");
                case "enum" -> doc.problemAt(pointer, (where.isEmpty() ? "" : where + ": ") + enumMessage(error));
                default -> doc.problemAt(pointer, (where.isEmpty() ? "" : where + ": ") + message(error));
            };
            violations.add(new Violation(pointer, problem));
        }
        return violations;
    }

    /** networknt prefixes messages with the instance location; the file:line:column replaces it. */
    private static String message(Error error) {
        String message = error.getMessage();
        String prefix = error.getInstanceLocation().toString() + ": ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        return message;
    }

    private static String enumMessage(Error error) {
        JsonNode allowed = error.getSchemaNode();
        JsonNode value = error.getInstanceNode();
        if (allowed == null || !allowed.isArray()) {
            return message(error);
        }
        List<String> names = new ArrayList<>();
        allowed.forEach(n -> names.add(n.isString() ? n.asString() : n.toString()));
        String found = value == null ? "" : "'" + (value.isString() ? value.asString() : value.toString()) + "' ";
        return found + "is not one of: " + String.join(", ", names);
    }

    private String allowedKeys(Error error) {
        // the schema node of additionalProperties is 'false': the allowed keys are in its sibling 'properties'
        JsonNode node = error.getSchemaLocation() == null || error.getSchemaLocation().getAbsoluteIri() == null
                ? null : rawSchemas.get(error.getSchemaLocation().getAbsoluteIri().toString());
        NodePath fragment = node == null ? null : error.getSchemaLocation().getFragment();
        for (int i = 0; node != null && fragment != null && i < fragment.getNameCount() - 1; i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
        }
        if (node == null || !node.path("properties").isObject()) {
            return "";
        }
        return " (allowed: " + String.join(", ", node.get("properties").propertyNames()) + ")";
    }

    static String pointer(NodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            sb.append(element instanceof Integer index ? YamlDocument.child("", index)
                    : YamlDocument.child("", String.valueOf(element)));
        }
        return sb.toString();
    }

    /** {@code partners[0].delivery}: where in the file, as an administrator reads it. */
    static String readable(NodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(element);
            }
        }
        return sb.toString();
    }
}
