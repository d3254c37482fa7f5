package fr.spie.schema;

import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.resource.InputStreamSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schema files bundled on the classpath: read once, checked to declare their {@code $id}, and served (text only,
 * never fetched) to the schema loader, which counts how often it was served.
 */
final class BundledSchemaFiles {

    /** Base URI of the v1 schema {@code $id}s. */
    static final String BASE_URI = "https://schemas.spie-gateway.fr/v1/";
    /** Classpath folder holding the v1 schemas. */
    static final String CLASSPATH_DIR = "spie/schemas/v1/";

    private final Map<String, String> sourceById;          // $id -> schema text (bundled files only)
    private final Map<String, JsonNode> documentById;      // $id -> parsed schema
    private final AtomicInteger loads = new AtomicInteger();

    /** Reads {@code CLASSPATH_DIR/<name>.schema.json} for each name; each must declare the $id {@link #idOf}. */
    BundledSchemaFiles(List<String> names) {
        ObjectMapper mapper = JsonMapper.builder().build();
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        for (String name : names) {
            String text = readClasspath(CLASSPATH_DIR + name + ".schema.json");
            JsonNode doc = mapper.readTree(text);
            String id = idOf(name);
            if (!id.equals(doc.path("$id").asString(""))) {
                throw new IllegalStateException("schema " + name + " must declare $id " + id);
            }
            sources.put(id, text);
            documents.put(id, doc);
        }
        this.sourceById = Map.copyOf(sources);
        this.documentById = Map.copyOf(documents);
    }

    /** The $id of the bundled schema {@code name}, e.g. {@code rsa-situation}. */
    static String idOf(String name) {
        return BASE_URI + name + ".schema.json";
    }

    /** The $ids of the bundled files. */
    Set<String> ids() {
        return sourceById.keySet();
    }

    /** The parsed schema of a bundled $id, or null. */
    JsonNode document(String id) {
        return documentById.get(id);
    }

    /** Schema loader hook: the bundled file with this $id, or null (so nothing else is ever loaded). */
    InputStreamSource serve(AbsoluteIri iri) {
        String text = sourceById.get(iri.toString());
        if (text == null) {
            return null;
        }
        loads.incrementAndGet();
        return () -> new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** How many times a bundled file was served. */
    int loads() {
        return loads.get();
    }

    private static String readClasspath(String path) {
        ClassLoader cl = BundledSchemaFiles.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema not found on classpath: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
