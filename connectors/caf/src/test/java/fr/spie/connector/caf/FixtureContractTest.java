package fr.spie.connector.caf;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.testing.CollectingSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Contract test: each synthetic fixture {@code fixtures/<name>.xml} maps to exactly {@code <name>.expected.json}
 * (summary, records with subject/payload/location/changeKey, rejections), compared structurally; every emitted
 * record validates against the SPIE schema and every fixture is checked against vrsb0801.xsd.
 *
 * <p>Run with {@code -Dspie.approve=true} to (re)write the expected files from the current output, then review the diff.
 */
class FixtureContractTest {

    static final Path DIR = Paths.get("src/test/resources/fixtures");

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void mapsToTheExpectedRecords(String name) throws Exception {
        CollectingSink sink = new CollectingSink();
        ReadSummary summary;
        try (InputStream in = Files.newInputStream(DIR.resolve(name))) {
            summary = new CnafBeneficiairesConnector().read(in, sink);
        }
        // round trip so that numbers compare by value (LongNode vs IntNode)
        JsonNode actual = TestSupport.JSON.readTree(TestSupport.JSON.writeValueAsString(TestSupport.render(summary, sink)));
        Path expectedFile = DIR.resolve(name.replace(".xml", ".expected.json"));
        if (Boolean.getBoolean("spie.approve")) {
            Files.writeString(expectedFile, TestSupport.JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(actual) + "\n");
        }
        JsonNode expected = TestSupport.JSON.readTree(Files.readString(expectedFile));
        assertThat(actual.get("summary")).isEqualTo(expected.get("summary"));
        assertThat(actual.get("rejections")).isEqualTo(expected.get("rejections"));
        assertThat(actual.get("records").size()).isEqualTo(expected.get("records").size());
        for (int i = 0; i < expected.get("records").size(); i++) {
            assertThat(actual.get("records").get(i)).as("record %d", i).isEqualTo(expected.get("records").get(i));
        }
        TestSupport.assertAllValid(sink.records);
        assertPersonThenSituation(sink.records);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixturesFollowTheXsdExceptTheRejectionOne(String name) throws Exception {
        XsdValidator.Result result;
        try (InputStream in = Files.newInputStream(DIR.resolve(name))) {
            result = XsdValidator.vrsb0801().validate(in);
        }
        if (name.contains("rejections")) {
            // only the household without PrestationRSA breaks the XSD; bad codes and dates are XSD-valid strings
            // except the impossible date 1982-02-30
            assertThat(result.valid()).isFalse();
        } else {
            assertThat(result.problems()).isEmpty();
        }
    }

    /** One person record then one rsa-situation record per Personne, same location and change key. */
    static void assertPersonThenSituation(List<SpieRecord> records) {
        assertThat(records.size() % 2).isZero();
        for (int i = 0; i < records.size(); i += 2) {
            assertThat(records.get(i).recordType()).isEqualTo("person");
            assertThat(records.get(i + 1).recordType()).isEqualTo("rsa-situation");
            assertThat(records.get(i + 1).location()).isEqualTo(records.get(i).location());
            assertThat(records.get(i + 1).changeKey()).isEqualTo(records.get(i).changeKey());
            assertThat(records.get(i + 1).subject()).isEqualTo(records.get(i).subject());
        }
    }
}
