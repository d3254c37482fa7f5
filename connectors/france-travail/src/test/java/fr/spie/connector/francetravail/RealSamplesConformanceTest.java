package fr.spie.connector.francetravail;

import static fr.spie.connector.francetravail.TestSupport.assertAllValid;
import static fr.spie.connector.francetravail.TestSupport.assertValid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.testing.CollectingSink;
import fr.spie.connector.testing.RealSampleInventory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the real carnet-de-bord samples (shared/partner-formats/carnet-de-bord) when they are there; skipped otherwise.
 * Directory: system property spie.shared-dir (set by the parent pom), else ../../../shared from the module.
 */
class RealSamplesConformanceTest {

    private Path dir;

    @BeforeEach
    void locate() {
        String prop = System.getProperty("spie.shared-dir");
        Path shared = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("../../../shared");
        if (!Files.isDirectory(shared.resolve("partner-formats/carnet-de-bord"))) {
            shared = Path.of("../../../shared");
        }
        dir = shared.resolve("partner-formats/carnet-de-bord");
        assumeTrue(Files.isDirectory(dir), "real samples not available at " + dir.toAbsolutePath());
    }

    @Test
    void realExtractCsv() throws Exception {
        Path csv = dir.resolve("i03300c.j.extract_spie_carnet_spie_carnet_de_bord_principal.csv");
        assumeTrue(Files.isRegularFile(csv), "missing " + csv);
        CollectingSink sink = new CollectingSink();
        ReadSummary summary;
        try (InputStream in = Files.newInputStream(csv)) {
            summary = new FranceTravailExtractConnector(StandardCharsets.UTF_8, "ft-08").read(in, sink);
        }
        assertThat(summary.nativeRecords()).isEqualTo(4);
        // Line 5 (EDWINA SKINNER) has rome_1 = "FAKE", which France Travail itself labels "Code Rome Inconnu": the code
        // is dropped (counted), not the person, her registration and her follow-up; her rome_2 is kept
        assertThat(sink.rejections).isEmpty();
        assertThat(summary.rejected()).isZero();
        assertThat(sink.records).extracting(SpieRecord::location)
                .containsExactly("line 2", "line 2", "line 3", "line 3", "line 4", "line 4", "line 5", "line 5");
        assertThat(summary.facts()).containsEntry("columns", "44").containsEntry("droppedInvalidRomeCode", "1")
                .doesNotContainKeys("missingOptionalColumns", "ignoredColumns");
        JsonNode skinner = sink.records.get(7).payload();
        assertThat(skinner.get("romeCodes").toString()).isEqualTo("[\"K1304\"]");
        assertThat(skinner.get("registration").toString()).isEqualTo(
                "{\"date\":\"2018-04-30\",\"category\":\"2\",\"reasonCode\":\"19\",\"reasonLabel\":\"AUTRE MOTIF INSCRIPTION\"}");
        assertThat(skinner.get("lastPpaeInterviewDate").asString()).isEqualTo("2020-11-30");
        assertThat(skinner.get("rsaBeneficiary").asBoolean()).isTrue();
        assertThat(sink.records.get(6).subject().get("identifiers").get(0).get("value").asString())
                .isEqualTo("9cf3e10e-8894-4527-ace3-40c30a65fdc7");
        assertAllValid(sink.records);

        JsonNode first = sink.records.get(1).payload();
        assertThat(first.toString()).isEqualTo(TestSupport.JSON.readTree("""
                {"registration":{"date":"2019-10-17","category":"1","reasonCode":"14","reasonLabel":"FIN DE CDD OU DE CONTRAT AIDE"},
                 "supportModality":"guide",
                 "structure":{"partnerId":"ft-08","kind":"france-travail","name":"RETHEL","code":"93015"},
                 "adviser":{"familyName":"REFERENT_NOM 1","givenName":"Referent_prenom 1","email":"sanka@groupe-ns.fr"},
                 "lastPpaeInterviewDate":"2020-02-13","romeCodes":["A1101","K2204"],"rsaBeneficiary":true}
                """).toString());
        assertThat(sink.records.get(0).payload().get("contact").toString()).isEqualTo(
                "{\"address\":{\"line\":\"ADRESSE_LIGNE2 1, ADRESSE_LIGNE3 1, ADRESSE_LIGNE4 1\",\"postalCode\":\"08300\",\"communeName\":\"RETHEL\"}}");
        assertThat(sink.records.get(2).subject().get("sex").asString()).isEqualTo("M");
        assertThat(sink.records.get(5).payload().get("supportModality").asString()).isEqualTo("suivi");
    }

    /**
     * Every file of the shared partner-formats folder is triaged in {@link RealSampleInventory}, and those it gives to
     * the France Travail connector are the ones this class runs.
     */
    @Test
    void everyRealSampleIsTriagedAndTheFranceTravailOnesAreRunHere() {
        Path formats = RealSampleInventory.partnerFormats().orElseThrow();
        assertThat(RealSampleInventory.untriaged(formats)).as("files of %s with no entry in RealSampleInventory",
                formats).isEmpty();
        assertThat(RealSampleInventory.runBy("france-travail")).containsExactly(
                "carnet-de-bord/i03300c.j.extract_spie_carnet_spie_carnet_de_bord_principal.csv",
                "carnet-de-bord/pe_diagnosticargumente_dossier_individu.json",
                "carnet-de-bord/test_pe_api_client.test_get_contraintes.approved.json",
                "carnet-de-bord/test_pole_emploi_client.test_get_dossier_individu_nominal.approved.json");
    }

    @Test
    void realDiagnosticSamples() throws Exception {
        FranceTravailDiagnosticMapper mapper = new FranceTravailDiagnosticMapper("ft-08");
        // the API answer and the Carnet de bord's parse of it give the same diagnostic
        JsonNode expected = FranceTravailDiagnosticMapperTest.dossierIndividuDiagnostic("ft-08");
        for (String name : new String[] {"pe_diagnosticargumente_dossier_individu.json",
                "test_pole_emploi_client.test_get_dossier_individu_nominal.approved.json"}) {
            ObjectNode d = mapper.map(TestSupport.JSON.readTree(dir.resolve(name).toFile())).orElseThrow();
            assertThat(d).as(name).isEqualTo(expected);
            assertValid("diagnostic", FranceTravailApiClientTest.subject(), d);
        }
        // contraintes endpoint sample: an array of JSON-encoded contrainte objects (as serialised by carnet-de-bord)
        Path contraintes = dir.resolve("test_pe_api_client.test_get_contraintes.approved.json");
        ObjectNode wrapped = TestSupport.JSON.createObjectNode();
        ArrayNode list = wrapped.putObject("contraintesIndividusDto").putArray("contraintes");
        for (JsonNode s : TestSupport.JSON.readTree(contraintes.toFile())) {
            list.add(TestSupport.JSON.readTree(s.asString()));
        }
        ObjectNode d = mapper.map(wrapped).orElseThrow();
        assertThat(d.get("date").asString()).isEqualTo("2023-05-12");
        assertThat(d.get("constraints").get(0).toString())
                .isEqualTo("{\"theme\":\"mobility\",\"code\":\"23\",\"label\":\"Développer sa mobilité\",\"status\":\"absent\"}");
        assertValid("diagnostic", FranceTravailApiClientTest.subject(), d);
    }
}
