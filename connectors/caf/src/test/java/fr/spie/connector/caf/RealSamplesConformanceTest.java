package fr.spie.connector.caf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.caf.CnafBeneficiairesConnector.DeclaredCountPolicy;
import fr.spie.connector.testing.CollectingSink;
import fr.spie.connector.testing.RealSampleInventory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real (anonymised) VRSB0801 samples of the Carnet de bord, from the shared partner-formats folder. Skipped when
 * the folder is absent (fresh clone without ../shared).
 *
 * <p>Two facts about the samples drive the assertions:
 * <ul>
 *   <li>RSABEM.xml (XSD-valid) holds 2 InfosFoyerRSA but declares NBTOTDOSRSATRANSM = 1 (MSABEM.xml too): by default
 *   the connector refuses such a file as a whole; with {@link DeclaredCountPolicy#REPORT} it maps completely.</li>
 *   <li>RSABEI.xml / RSABEI_invalid.xml / MSABEM.xml break the XSD inside one household (missing
 *   DonneesAdministratives + PrestationRSA, or no Personne at all): that household is rejected at its location and the
 *   rest of the file goes on (a monthly file of 50 000 households is not quarantined for one incomplete dossier; the
 *   gateway can still quarantine XSD-invalid files by calling {@link XsdValidator} first).</li>
 * </ul>
 */
class RealSamplesConformanceTest {

    static Path samples;

    @BeforeAll
    static void locate() {
        String prop = System.getProperty("spie.shared-dir");
        Path shared = prop != null && !prop.isBlank() ? Paths.get(prop) : Paths.get("../../../shared");
        samples = shared.resolve("partner-formats/carnet-de-bord");
        Assumptions.assumeTrue(Files.isDirectory(samples), "shared samples not found at " + samples.toAbsolutePath());
    }

    record Output(ReadSummary summary, CollectingSink sink) {
    }

    static Output read(String file, DeclaredCountPolicy policy) throws Exception {
        CollectingSink sink = new CollectingSink();
        try (InputStream in = Files.newInputStream(samples.resolve(file))) {
            return new Output(new CnafBeneficiairesConnector(policy).read(in, sink), sink);
        }
    }

    static UnreadableInputException refused(String file) {
        return catchThrowableOfType(UnreadableInputException.class,
                () -> read(file, DeclaredCountPolicy.REFUSE_FILE));
    }

    static XsdValidator.Result xsd(String file) throws IOException, UnreadableInputException {
        try (InputStream in = Files.newInputStream(samples.resolve(file))) {
            return XsdValidator.vrsb0801().validate(in);
        }
    }

    static void assertComplete(Output out, int persons) {
        assertThat(out.sink.rejections).isEmpty();
        assertThat(out.sink.records).hasSize(2 * persons);
        assertThat(out.summary.rejected()).isZero();
        TestSupport.assertAllValid(out.sink.records);
        FixtureContractTest.assertPersonThenSituation(out.sink.records);
    }

    @Test
    void rsabemMapsCompletelyAndMatchesTheCarnetDeBordExtraction() throws Exception {
        assertThat(xsd("RSABEM.xml").valid()).isTrue();
        Output out = read("RSABEM.xml", DeclaredCountPolicy.REPORT);
        assertComplete(out, 3);
        assertThat(out.summary.facts()).containsEntry("fluxType", "M").containsEntry("organisation", "CAF 521")
                .containsEntry("referenceDate", "2022-02-28").containsEntry("declaredDossiers", "1")
                .containsEntry("readDossiers", "2").containsEntry("declaredCountMismatch", "true");

        JsonNode approved = TestSupport.JSON.readTree(
                Files.readString(samples.resolve("test_parse_infos_foyer.test_parse_caf_file.approved.json")));
        assertThat(approved.size()).isEqualTo(2);
        for (int f = 0; f < approved.size(); f++) {
            JsonNode exp = TestSupport.JSON.readTree(approved.get(f).asString());
            String prefix = "/Racine/InfosFoyerRSA[" + (f + 1) + "]/";
            List<SpieRecord> situations = new ArrayList<>();
            List<SpieRecord> persons = new ArrayList<>();
            for (SpieRecord r : out.sink.records) {
                if (r.location().startsWith(prefix)) {
                    (r.recordType().equals("person") ? persons : situations).add(r);
                }
            }
            JsonNode beneficiaries = exp.get("beneficiaries");
            assertThat(situations).hasSize(beneficiaries.size());
            for (int i = 0; i < beneficiaries.size(); i++) {
                JsonNode b = beneficiaries.get(i);
                SpieRecord person = persons.get(i);
                JsonNode s = situations.get(i).payload();
                assertThat(person.payload().get("nir").asString()).isEqualTo(b.get("nir").asString());
                assertThat(person.subject().get("nir").asString()).isEqualTo(b.get("nir").asString());
                assertThat(identifierValues(person.payload())).contains(exp.get("matricule").asString(),
                        exp.get("matricule").asString().substring(0, 7));
                assertThat(s.get("rightStateCode").asString()).isEqualTo(exp.get("etat_droit_rsa").asString());
                assertThat(s.get("rightsAndDuties").asBoolean()).isEqualTo(b.get("soumis_droit_et_devoir").asBoolean());
                assertThat(s.get("homeless").asBoolean()).isEqualTo(!"0".equals(exp.get("sans_domicile_fixe").asString()));
                JsonNode motifSusp = exp.get("motif_suspension_versement_rsa");
                if (motifSusp.isNull()) {
                    assertThat(s.has("suspensions")).isFalse();
                } else {
                    assertThat(s.get("suspensions").get(0).get("scope").asString()).isEqualTo("payment");
                    assertThat(s.get("suspensions").get(0).get("reasonCode").asString()).isEqualTo(motifSusp.asString());
                }
                JsonNode motifClo = exp.get("motif_cloture_rsa");
                if (motifClo.isNull()) {
                    assertThat(s.has("closure")).isFalse();
                } else {
                    assertThat(s.get("closure").get("reasonCode").asString()).isEqualTo(motifClo.asString());
                    assertThat(s.get("closure").get("date").asString()).isEqualTo(exp.get("date_cloture_rsa").asString());
                }
            }
        }
    }

    @Test
    void rsabemIsRefusedByDefaultBecauseItsDeclaredCountIsWrong() {
        UnreadableInputException e = refused("RSABEM.xml");
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(
                "TransmissionFlux/NBTOTDOSRSATRANSM declares 1 dossier(s) but 2 InfosFoyerRSA were read");
        assertThat(e.location()).isEqualTo("/Racine/TransmissionFlux");
    }

    @Test
    void rsabemOuvertMapsCompletely() throws Exception {
        assertThat(xsd("RSABEM-ouvert.xml").valid()).isTrue();
        Output out = read("RSABEM-ouvert.xml", DeclaredCountPolicy.REFUSE_FILE);
        assertComplete(out, 1);
        assertThat(out.sink.records.get(1).payload().get("rightState").asString()).isEqualTo("open-payable");
        assertThat(out.summary.facts()).doesNotContainKey("declaredCountMismatch");
    }

    @Test
    void msabeiMapsCompletely() throws Exception {
        assertThat(xsd("MSABEI.xml").valid()).isTrue();
        Output out = read("MSABEI.xml", DeclaredCountPolicy.REFUSE_FILE);
        assertComplete(out, 1);
        SpieRecord person = out.sink.records.get(0);
        assertThat(person.subject().get("nir").asString()).isEqualTo("294109202536107"); // 15 chars, valid key
        assertThat(identifierValues(person.subject())).containsExactly("922021077501688");
        assertThat(person.subject().get("identifiers").get(0).get("scheme").asString()).isEqualTo("msa-matricule");
        assertThat(out.sink.records.get(1).payload().get("rightState").asString()).isEqualTo("refused");
        assertThat(out.summary.facts()).containsEntry("fluxType", "I").containsEntry("organisation", "MSA 751");
    }

    @Test
    void rsabeiRejectsItsIncompleteHousehold() throws Exception {
        for (String file : List.of("RSABEI.xml", "RSABEI_invalid.xml")) {
            assertThat(xsd(file).valid()).as(file).isFalse();
            assertThat(xsd(file).problems().get(0).message()).contains("DonneesAdministratives");
            Output out = read(file, DeclaredCountPolicy.REFUSE_FILE);
            assertThat(out.sink.records).as(file).isEmpty();
            assertThat(out.sink.rejections).as(file).singleElement().satisfies(r -> {
                assertThat(r.location()).isEqualTo("/Racine/InfosFoyerRSA[1]");
                assertThat(r.reason()).isEqualTo("InfosFoyerRSA lacks required element(s) DonneesAdministratives, "
                        + "PrestationRSA (VRSB0801 requires IdentificationRSA, Personne 1..n, DonneesAdministratives, "
                        + "PrestationRSA)");
            });
            assertThat(out.summary.rejected()).isEqualTo(1);
        }
    }

    @Test
    void msabemIsRefusedByDefaultAndItsEmptyHouseholdRejectedOtherwise() throws Exception {
        assertThat(xsd("MSABEM.xml").valid()).isFalse();
        UnreadableInputException e = refused("MSABEM.xml");
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("declares 1 dossier(s) but 2 InfosFoyerRSA were read");

        Output out = read("MSABEM.xml", DeclaredCountPolicy.REPORT);
        assertThat(out.sink.records).hasSize(2);
        TestSupport.assertAllValid(out.sink.records);
        assertThat(out.sink.records.get(1).payload().get("suspensions").get(0).get("reasonCode").asString())
                .isEqualTo("06");
        assertThat(out.sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.location()).isEqualTo("/Racine/InfosFoyerRSA[2]");
            assertThat(r.reason()).startsWith(
                    "InfosFoyerRSA lacks required element(s) Personne, DonneesAdministratives, PrestationRSA");
        });
    }

    /**
     * Every file of the shared partner-formats folder is triaged in {@link RealSampleInventory}, and those it gives to
     * the CAF connector are the ones this class runs; the XSD the connector bundles is the real one.
     */
    @Test
    void everyRealSampleIsTriagedAndTheCafOnesAreRunHere() throws Exception {
        Path formats = RealSampleInventory.partnerFormats().orElseThrow();
        assertThat(RealSampleInventory.untriaged(formats)).as("files of %s with no entry in RealSampleInventory",
                formats).isEmpty();
        assertThat(RealSampleInventory.runBy("caf")).containsExactly("carnet-de-bord/MSABEI.xml",
                "carnet-de-bord/MSABEM.xml", "carnet-de-bord/RSABEI.xml", "carnet-de-bord/RSABEI_invalid.xml",
                "carnet-de-bord/RSABEM-ouvert.xml", "carnet-de-bord/RSABEM.xml",
                "carnet-de-bord/test_parse_infos_foyer.test_parse_caf_file.approved.json",
                "carnet-de-bord/vrsb0801.xsd");
        try (InputStream bundled = XsdValidator.class.getResourceAsStream("vrsb0801.xsd")) {
            assertThat(bundled.readAllBytes()).isEqualTo(Files.readAllBytes(samples.resolve("vrsb0801.xsd")));
        }
    }

    static List<String> identifierValues(JsonNode node) {
        return StreamSupport.stream(node.get("identifiers").spliterator(), false)
                .map(i -> i.get("value").asString()).toList();
    }
}
