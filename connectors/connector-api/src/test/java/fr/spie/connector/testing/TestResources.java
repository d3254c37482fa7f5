package fr.spie.connector.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Test resources of the module being tested (its {@code src/test/resources}), by path from the classpath root. */
public final class TestResources {

    /** Indenting mapper: {@link CollectingSink#dump(String)} output stays readable and diffable. */
    public static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private TestResources() {
    }

    /** Opens a test resource, e.g. {@code open("fixtures/input.csv")}; the caller closes it. */
    public static InputStream open(String name) {
        InputStream in = TestResources.class.getResourceAsStream("/" + name);
        if (in == null) {
            throw new IllegalArgumentException("no test resource " + name);
        }
        return in;
    }

    /** Reads a JSON test resource, e.g. {@code json("expected/output.json")}. */
    public static JsonNode json(String name) {
        try (InputStream in = open(name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
