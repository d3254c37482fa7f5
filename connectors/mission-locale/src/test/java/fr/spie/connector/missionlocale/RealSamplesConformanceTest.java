package fr.spie.connector.missionlocale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.testing.CollectingSink;
import fr.spie.connector.testing.RealSampleInventory;
import fr.spie.connector.testing.TestResources;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs the real i-milo sample (pass-emploi-api mock, copied under {@code shared/partner-formats/imilo}) when present:
 * system property {@code spie.shared-dir} (set by the parent pom), else {@code ../../../shared}. Skipped otherwise.
 */
class RealSamplesConformanceTest {

    static Path sample(String name) {
        String prop = System.getProperty("spie.shared-dir");
        Path shared = prop != null && Files.isDirectory(Path.of(prop, "partner-formats")) ? Path.of(prop) : Path.of("../../../shared");
        Path p = shared.resolve("partner-formats").resolve("imilo").resolve(name);
        assumeTrue(Files.isRegularFile(p), "real sample not available: " + p);
        return p;
    }

    @Test
    void extractedSueDossierMapsToAValidPerson() throws Exception {
        CollectingSink c = new CollectingSink();
        ReadSummary s;
        try (InputStream in = Files.newInputStream(sample("extracted_sue_dossier_milo_example.json"))) {
            s = new ImiloDossierConnector().read(in, c);
        }
        assertThat(c.rejections).isEmpty();
        assertThat(c.schemaViolations()).isEmpty();
        // accompagnementCEJ is false with no dateDebut: the dossier has no accompaniment to report, so no youth-support
        // (its "Demandeur d'emploi" situation has nowhere to go without a programme and start date)
        assertThat(c.records).extracting(r -> r.recordType() + " " + r.changeKey() + " " + r.location())
                .containsExactly("person milo:6282 line 1");
        assertThat(s.facts()).containsEntry("dossiersWithoutSupport", "1").containsEntry("droppedValues", "0");
        JsonAssert.equal(c.records.get(0).payload(), """
                {"birthName":"PEREZ","usageName":"PEREZ","givenNames":["Olivier"],"birthDate":"1997-05-08",
                 "contact":{"email":"pass.emploi.contact@gmail.com",
                            "address":{"line":"le village, ancienne ecole","postalCode":"65410","communeName":"Beyrède-Jumet-Camous"}},
                 "identifiers":[{"scheme":"imilo-dossier-id","value":"6282"},{"scheme":"imilo-jeune-id","value":"1306654400021970358"},
                                {"scheme":"france-travail-id","value":"4053956Z"}]}""");
    }

    /**
     * Every file of the shared partner-formats folder is triaged in {@link RealSampleInventory}, and those it gives to
     * the mission-locale connector are the ones this class runs.
     */
    @Test
    void everyRealSampleIsTriagedAndTheMissionLocaleOnesAreRunHere() {
        Path formats = RealSampleInventory.partnerFormats().orElse(null);
        assumeTrue(formats != null, "real samples not available");
        assertThat(RealSampleInventory.untriaged(formats)).as("files of %s with no entry in RealSampleInventory",
                formats).isEmpty();
        assertThat(RealSampleInventory.runBy("mission-locale"))
                .containsExactly("imilo/extracted_sue_dossier_milo_example.json");
    }

    /** Structural JSON comparison. */
    static final class JsonAssert {
        static void equal(Object actual, String expected) {
            assertThat(actual).isEqualTo(TestResources.JSON.readTree(expected));
        }
    }
}
