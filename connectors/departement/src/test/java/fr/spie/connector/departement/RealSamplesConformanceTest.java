package fr.spie.connector.departement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.testing.CollectingSink;
import fr.spie.connector.testing.RealSampleInventory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the real public samples (carnet de bord import templates, copied under {@code shared/partner-formats}) when
 * they are there: system property {@code spie.shared-dir} (set by the parent pom), else {@code ../../../shared}
 * relative to the module. Skipped otherwise.
 */
class RealSamplesConformanceTest {

    static Path sample(String name) {
        String prop = System.getProperty("spie.shared-dir");
        Path shared = prop != null && Files.isDirectory(Path.of(prop, "partner-formats")) ? Path.of(prop) : Path.of("../../../shared");
        Path p = shared.resolve("partner-formats").resolve("carnet-de-bord").resolve(name);
        assumeTrue(Files.isRegularFile(p), "real sample not available: " + p);
        return p;
    }

    static CollectingSink read(ConfigurableFileConnector connector, Path file, ReadSummary[] summary) throws Exception {
        CollectingSink c = new CollectingSink();
        try (InputStream in = Files.newInputStream(file)) {
            summary[0] = connector.read(in, c);
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"import_beneficiaires.csv", "import_beneficiaires_with_all_date_formats.csv"})
    void everyLineOfTheCarnetDeBordImportMapsToValidRecords(String name) throws Exception {
        ReadSummary[] summary = new ReadSummary[1];
        CollectingSink c = read(new ConfigurableFileConnector(), sample(name), summary);

        assertThat(c.rejections).isEmpty();
        assertThat(c.schemaViolations()).isEmpty();
        assertThat(summary[0].nativeRecords()).isEqualTo(4);
        // 4 persons; the 3 first lines also carry "Droits RSA" -> rsa-situation
        assertThat(c.records).extracting(SpieRecord::recordType)
                .containsExactly("person", "rsa-situation", "person", "rsa-situation", "person", "rsa-situation", "person");
        assertThat(c.records).extracting(SpieRecord::changeKey)
                .containsExactly("dep:1234", "dep:1234", "dep:12345", "dep:12345", "dep:123456", "dep:123456", "dep:1234567");
        SpieRecord charlotte = c.records.get(0);
        assertThat(charlotte.payload().get("birthDate").asString()).isEqualTo("1998-05-25");
        assertThat(charlotte.payload().at("/contact/phone").asString()).isEqualTo("0601234567");
        assertThat(charlotte.payload().at("/contact/address/line").asString()).isEqualTo("11 rue du Fromage, Lieu-dit \"Le sandwich\"");
        assertThat(charlotte.subject().get("identifiers").toString())
                .isEqualTo("[{\"scheme\":\"departement-id\",\"value\":\"1234\"},{\"scheme\":\"caf-matricule\",\"value\":\"2055990\"},"
                        + "{\"scheme\":\"france-travail-id\",\"value\":\"300000L\"}]");
        assertThat(c.records.get(1).payload().toString()).isEqualTo("{\"rightState\":\"open-suspended\",\"rightStateCode\":\"3\"}");
        assertThat(c.records.get(6).payload().get("birthDate").asString()).isEqualTo("1997-04-22");
    }

    @Test
    void bothSamplesGiveTheSameRecords() throws Exception {
        ReadSummary[] s = new ReadSummary[1];
        CollectingSink iso = read(new ConfigurableFileConnector(), sample("import_beneficiaires.csv"), s);
        assertThat(s[0].facts()).containsEntry("bom", "true");
        CollectingSink all = read(new ConfigurableFileConnector(), sample("import_beneficiaires_with_all_date_formats.csv"), s);
        assertThat(s[0].facts()).containsEntry("bom", "false");
        assertThat(all.events).isEqualTo(iso.events);
    }

    @Test
    void reorientationTemplateWithTheFixtureMapping() throws Exception {
        ReadSummary[] s = new ReadSummary[1];
        FileMapping reo = ConfigurableFileConnectorTest.testMapping("carnet-de-bord-reorientation");
        CollectingSink c = read(new ConfigurableFileConnector(reo, ConfigurableFileConnectorTest.CLOCK), sample("import_reorientation.csv"), s);
        assertThat(c.schemaViolations()).isEmpty();
        // lines that only attach a structure or only remove a referent have no SPIE equivalent (a referent-assignment
        // needs a professional and a start date): rejected, the partner sees why
        assertThat(c.rejections).extracting(r -> r.location())
                .containsExactly("line 2", "line 4", "line 6");
        assertThat(c.rejections).allSatisfy(r -> assertThat(r.reason())
                .isEqualTo("the line produces no record: columns ['Accompagnateurs à ajouter'] are all empty"));
        assertThat(c.records).extracting(r -> r.payload().at("/professional/email").asString())
                .containsExactly("sofia@cd26.fr", "salome@cd26.fr", "salome@cd26.fr", "sofia@cd26.fr");
    }

    /**
     * The carnet de bord templates that list professionals or structures, not persons: no SPIE record type fits, and
     * the built-in mapping refuses them by their header, naming the person columns they lack (a header is matched
     * without its '*', so their Prénom and Nom columns count).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "import_charges_orientation.csv|['Identifiant dans le SI*', 'Date de naissance*']",
        "import_professionnels.csv|['Identifiant dans le SI*', 'Date de naissance*']",
        "import_structures.csv|['Identifiant dans le SI*', 'Prénom*', 'Date de naissance*']"})
    void templatesWithoutPersonsAreRefusedByTheirHeader(String name, String missing) {
        Path p = sample(name);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(new ConfigurableFileConnector(), p, new ReadSummary[1]))
                .isInstanceOf(fr.spie.connector.UnreadableInputException.class)
                .hasMessage("wrong header for mapping 'carnet-de-bord-beneficiaires': missing column(s) " + missing
                        + " (separator ';')");
    }

    /**
     * Every file of the shared partner-formats folder is triaged in {@link RealSampleInventory}, and those it gives to
     * the département connector are the ones this class runs.
     */
    @Test
    void everyRealSampleIsTriagedAndTheDepartementOnesAreRunHere() {
        Path formats = RealSampleInventory.partnerFormats().orElse(null);
        assumeTrue(formats != null, "real samples not available");
        assertThat(RealSampleInventory.untriaged(formats)).as("files of %s with no entry in RealSampleInventory",
                formats).isEmpty();
        assertThat(RealSampleInventory.runBy("departement")).containsExactly(
                "carnet-de-bord/import_beneficiaires.csv", "carnet-de-bord/import_beneficiaires_with_all_date_formats.csv",
                "carnet-de-bord/import_charges_orientation.csv", "carnet-de-bord/import_professionnels.csv",
                "carnet-de-bord/import_reorientation.csv", "carnet-de-bord/import_structures.csv");
    }
}
