package fr.spie.connector.departement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.testing.CollectingSink;
import fr.spie.connector.testing.TestResources;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A département export that says whether each NIR is certified (a column mapped to {@code person:/nirCertified}):
 * a NIR it says is not certified may be someone else's, so it is carried in the person record with
 * {@code nirCertified: false} and left out of the subject of every record of the line (the person is keyed by the
 * département's id, names and birth date), as the CAF connector does with TOPVALIEC=0.
 */
class NirCertificationTest {

    @Test
    void anUncertifiedNirIsInThePersonRecordOnlyAndCounted() throws Exception {
        CollectingSink c = new CollectingSink();
        ReadSummary summary;
        try (InputStream in = TestResources.open("fixtures/nir-certification.csv")) {
            summary = new ConfigurableFileConnector(ConfigurableFileConnectorTest.testMapping("nir-certification"),
                    ConfigurableFileConnectorTest.CLOCK).read(in, c);
        }
        c.dump("nir-certification.json");

        // D-1 uncertified: NIR out of both subjects; D-2 certified and D-3 not stated: NIR in the subject; D-4 no NIR:
        // the flag says nothing and is dropped; D-5 a value that is no boolean: the line is rejected, never guessed
        assertThat(c.events).isEqualTo(TestResources.json("expected/nir-certification.json"));
        assertThat(c.schemaViolations()).isEmpty();
        assertThat(summary.facts()).containsEntry("nirUncertified", "1");
    }

    @Test
    void withoutAnUncertifiedNirThereIsNoCount() throws Exception {
        CollectingSink c = new CollectingSink();
        ReadSummary summary;
        try (InputStream in = TestResources.open("fixtures/beneficiaires-utf8.csv")) {
            summary = new ConfigurableFileConnector().read(in, c);
        }
        assertThat(c.records).noneMatch(r -> r.payload().has("nirCertified"));
        assertThat(summary.facts()).doesNotContainKey("nirUncertified");
    }

    @Test
    void theCertificationIsABooleanNeverDroppedNorPutInTheSubject() {
        assertThatThrownBy(() -> mappingWith(Map.of("column", "Certif", "target", "person:/nirCertified")))
                .hasMessageContaining("person:/nirCertified is a boolean");
        assertThatThrownBy(() -> mappingWith(Map.of("column", "Certif", "target", "person:/nirCertified",
                "values", Map.of("C", true, "NC", "non"))))
                .hasMessageContaining("person:/nirCertified is a boolean");
        assertThatThrownBy(() -> mappingWith(Map.of("column", "Certif", "target", "person:/nirCertified",
                "transforms", List.of("boolean"), "onInvalid", "drop")))
                .hasMessageContaining("cannot use onInvalid: drop");
        assertThatThrownBy(() -> mappingWith(Map.of("column", "Certif", "target", "subject:/nirCertified",
                "transforms", List.of("boolean"))))
                .hasMessageContaining("the subject has no nirCertified");
        assertThat(mappingWith(Map.of("column", "Certif", "target", "person:/nirCertified",
                "values", Map.of("C", true, "NC", false))).fields()).hasSize(2);
    }

    /**
     * The NIR may be mapped to the subject directly ({@code subject:/nir}) rather than through the person record: a
     * line saying it is not certified must then leave it out of the subject all the same, or the gateway would match
     * persons on a NIR that may be someone else's.
     */
    @Test
    void anUncertifiedNirMappedToTheSubjectIsLeftOutOfItToo() throws Exception {
        FileMapping mapping = FileMapping.fromMap(Map.of("fields", List.of(
                        Map.of("column", "ID", "target", "person:/identifiers", "identifierScheme", "departement-id"),
                        Map.of("column", "NIR", "target", "subject:/nir"),
                        Map.of("column", "Certif", "target", "person:/nirCertified", "transforms", List.of("boolean")),
                        Map.of("column", "Nom", "target", "person:/birthName")),
                "records", List.of(Map.of("recordType", "person"))));
        CollectingSink c = new CollectingSink();
        ReadSummary summary = new ConfigurableFileConnector(mapping, ConfigurableFileConnectorTest.CLOCK).read(
                new java.io.ByteArrayInputStream(("ID;NIR;Certif;Nom\nD-1;2820251108030;Non;TIFOUR\n"
                        + "D-2;1850775123456;Oui;MARTIN\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)), c);

        assertThat(c.records).hasSize(2);
        assertThat(c.records.get(0).subject().has("nir")).isFalse();
        assertThat(c.records.get(0).subject().path("identifiers").size()).isEqualTo(1);
        assertThat(c.records.get(1).subject().path("nir").asString()).isEqualTo("1850775123456");
        assertThat(summary.facts()).containsEntry("nirUncertified", "1");
    }

    private static FileMapping mappingWith(Map<String, Object> field) {
        return FileMapping.fromMap(Map.of("fields", List.of(
                        Map.of("column", "ID", "target", "person:/identifiers", "identifierScheme", "departement-id"),
                        field),
                "records", List.of(Map.of("recordType", "person"))));
    }
}
