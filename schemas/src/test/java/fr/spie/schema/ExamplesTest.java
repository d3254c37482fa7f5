package fr.spie.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Validates every example envelope shipped under {@code spie/examples/} (discovered, not listed). */
class ExamplesTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final SpieSchemas SCHEMAS = SpieSchemas.load();

    static Path examplesRoot() throws URISyntaxException {
        URL url = ExamplesTest.class.getClassLoader().getResource("spie/examples");
        assertThat(url).as("spie/examples on the classpath").isNotNull();
        return Path.of(url.toURI());
    }

    static List<Path> exampleFiles() throws Exception {
        try (Stream<Path> files = Files.walk(examplesRoot())) {
            List<Path> list = files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
            assertThat(list).isNotEmpty();
            return list;
        }
    }

    static List<Path> validExamples() throws Exception {
        return exampleFiles().stream().filter(p -> p.getFileName().toString().endsWith(".valid.json")).toList();
    }

    static List<Path> invalidExamples() throws Exception {
        return exampleFiles().stream().filter(p -> p.getFileName().toString().endsWith(".invalid.json")).toList();
    }

    private static JsonNode read(Path file) throws IOException {
        return MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleHasNoViolation(Path file) throws IOException {
        assertThat(SCHEMAS.validateEnvelope(read(file))).as(file.getFileName().toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleReportsExpectedPointer(Path file) throws IOException {
        String name = file.getFileName().toString();
        Path expect = file.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".expect");
        assertThat(expect).as("expect file for " + name).exists();
        String pointer = Files.readString(expect, StandardCharsets.UTF_8).strip();
        assertThat(pointer).matches("^(/[^/]+)*$");

        List<Violation> violations = SCHEMAS.validateEnvelope(read(file));

        assertThat(violations).as(name).isNotEmpty();
        assertThat(violations).extracting(Violation::pointer).as(name + " -> " + violations).contains(pointer);
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).isNotBlank());
        // invalid for the reason its name says, and only that one: nothing else is wrong in the example
        assertThat(violations).extracting(Violation::pointer).as(name + " -> " + violations).containsOnly(pointer);
    }

    @Test
    void everyFileIsAValidOrInvalidExampleOrAnExpectation() throws Exception {
        try (Stream<Path> files = Files.walk(examplesRoot())) {
            files.filter(Files::isRegularFile).forEach(p -> assertThat(p.getFileName().toString())
                    .matches(".*\\.(valid\\.json|invalid\\.json|invalid\\.expect)$"));
        }
    }

    @Test
    void everyRecordTypeHasValidAndInvalidExamplesInItsFolder() throws Exception {
        Map<String, Integer> valid = new HashMap<>();
        Map<String, Integer> invalid = new HashMap<>();
        Path v1 = examplesRoot().resolve("v1");
        for (Path p : exampleFiles()) {
            String folder = v1.relativize(p).getName(0).toString();
            String recordType = read(p).path("recordType").asString("");
            String name = p.getFileName().toString();
            assertThat(name).startsWith(folder + ".");
            if (name.endsWith(".valid.json")) {
                assertThat(recordType).as(name).isEqualTo(folder);
                valid.merge(folder, 1, Integer::sum);
            } else {
                invalid.merge(folder, 1, Integer::sum);
            }
        }
        for (String type : SCHEMAS.recordTypes()) {
            assertThat(valid.getOrDefault(type, 0)).as("valid examples of " + type).isGreaterThanOrEqualTo(2);
            assertThat(invalid.getOrDefault(type, 0)).as("invalid examples of " + type).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void validExamplesUseTheDemoRoutes() throws Exception {
        Set<String> exchangeIds = new HashSet<>();
        Map<String, List<String>> routes = Map.of(
                "person", List.of("caf-51", "rsa-orientation", "legal-obligation", "CASF art. L262-40"),
                "rsa-situation", List.of("caf-51", "rsa-orientation", "legal-obligation", "CASF art. L262-40"),
                "jobseeker-situation", List.of("ft-51", "rsa-follow-up", "public-task", "Code du travail art. L5312-1 et L5411-5-1"),
                "diagnostic", List.of("ft-51", "rsa-follow-up", "public-task", "Code du travail art. L5312-1 et L5411-5-1"),
                "youth-support", List.of("ml-reims", "youth-follow-up", "public-task", "Code du travail art. L5314-2"),
                "orientation", List.of("cd-51", "rsa-orientation", "public-task", "CASF art. L262-29"),
                "referent-assignment", List.of("cd-51", "rsa-orientation", "public-task", "CASF art. L262-29"),
                "engagement-contract", List.of("cd-51", "rsa-follow-up", "public-task", "CASF art. L262-29"),
                "appointment", List.of("cd-51", "rsa-follow-up", "public-task", "CASF art. L262-29"),
                "consent", List.of("cd-51", "consent-management", "legal-obligation", "RGPD art. 7(1)"));
        assertThat(routes.keySet()).isEqualTo(SCHEMAS.recordTypes());
        for (Path p : validExamples()) {
            JsonNode e = read(p);
            List<String> route = routes.get(e.path("recordType").asString());
            assertThat(List.of(e.path("source").asString(), e.path("purpose").asString(),
                    e.path("legalBasis").path("type").asString(), e.path("legalBasis").path("reference").asString()))
                    .as(p.getFileName().toString()).isEqualTo(route);
            String id = e.path("exchangeId").asString();
            assertThat(id).matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
            assertThat(exchangeIds.add(id)).as("distinct exchangeId " + id).isTrue();
        }
    }
}
