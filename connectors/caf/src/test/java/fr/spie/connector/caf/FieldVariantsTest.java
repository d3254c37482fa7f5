package fr.spie.connector.caf;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.testing.CollectingSink;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Contract tests on small synthetic variants of the MSA monthly fixture (one household, one person), one VRSB0801
 * field changed each time: XSD-valid values the connector must read, and values outside the code lists it must
 * reject with the element's path.
 */
class FieldVariantsTest {

    static final Charset CP1252 = Charset.forName("windows-1252");

    record Output(ReadSummary summary, CollectingSink sink) {
        JsonNode situation() {
            return sink.records.get(1).payload();
        }

        JsonNode person() {
            return sink.records.get(0).payload();
        }
    }

    static String fixture() throws Exception {
        return new String(Files.readAllBytes(Paths.get(
                "src/test/resources/fixtures/msa-monthly-right-suspended.xml")), CP1252);
    }

    /** The fixture with {@code from} replaced by {@code to} ({@code from} must be there). */
    static String variant(String from, String to) throws Exception {
        String xml = fixture();
        assertThat(xml).contains(from);
        return xml.replace(from, to);
    }

    static Output read(String xml) throws Exception {
        CollectingSink sink = new CollectingSink();
        ReadSummary summary = new CnafBeneficiairesConnector().read(new ByteArrayInputStream(xml.getBytes(CP1252)),
                sink);
        TestSupport.assertAllValid(sink.records);
        return new Output(summary, sink);
    }

    @Test
    void aReferenceDateWithATimeZoneIsReadAsItsCalendarDate() throws Exception {
        for (String zoned : new String[] {"2025-02-28Z", "2025-02-28+01:00"}) {
            Output out = read(variant("<DTREF>2025-02-28</DTREF>", "<DTREF>" + zoned + "</DTREF>"));
            assertThat(out.summary.facts()).as(zoned).containsEntry("referenceDate", "2025-02-28");
            assertThat(out.situation().get("referenceDate").asString()).as(zoned).isEqualTo("2025-02-28");
            for (SpieRecord r : out.sink.records) {
                assertThat(r.location()).startsWith("/Racine/InfosFoyerRSA[1]");
            }
        }
    }

    @Test
    void aRightsAndDutiesFlagOutsideXsdBooleanRejectsThePersonNamingTheElement() throws Exception {
        Output out = read(variant("<TOPPERSDRODEVORSA>1</TOPPERSDRODEVORSA>",
                "<TOPPERSDRODEVORSA>O</TOPPERSDRODEVORSA>"));
        assertThat(out.sink.records).isEmpty();
        assertThat(out.sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.location()).isEqualTo("/Racine/InfosFoyerRSA[1]/Personne[1]");
            assertThat(r.reason()).isEqualTo(
                    "MontantCalculDroitRSAPersonne/TOPPERSDRODEVORSA is 'O', not a boolean (1, 0, true or false)");
        });
        assertThat(out.summary.rejected()).isEqualTo(1);
    }

    @Test
    void aHomelessFlagOutsideXsdBooleanRejectsTheHouseholdNamingTheElement() throws Exception {
        Output out = read(variant("<TOPSANSDOMFIXE>0</TOPSANSDOMFIXE>", "<TOPSANSDOMFIXE>N</TOPSANSDOMFIXE>"));
        assertThat(out.sink.records).isEmpty();
        assertThat(out.sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.location()).isEqualTo("/Racine/InfosFoyerRSA[1]");
            assertThat(r.reason()).isEqualTo("PrestationRSA/DetailDroitRSA/TroncCommunDroitRSA/TOPSANSDOMFIXE is "
                    + "'N', not a boolean (1, 0, true or false)");
        });
    }

    @Test
    void theXsdBooleanSpellingsAreReadAndAnAbsentFlagIsLeftOut() throws Exception {
        Output words = read(variant("<TOPPERSDRODEVORSA>1</TOPPERSDRODEVORSA>",
                "<TOPPERSDRODEVORSA>true</TOPPERSDRODEVORSA>").replace("<TOPSANSDOMFIXE>0</TOPSANSDOMFIXE>",
                "<TOPSANSDOMFIXE>false</TOPSANSDOMFIXE>"));
        assertThat(words.situation().get("rightsAndDuties").asBoolean()).isTrue();
        assertThat(words.situation().get("homeless").asBoolean()).isFalse();

        Output absent = read(variant("<TOPPERSDRODEVORSA>1</TOPPERSDRODEVORSA>", "<TOPPERSDRODEVORSA/>"));
        assertThat(absent.sink.rejections).isEmpty();
        assertThat(absent.situation().has("rightsAndDuties")).isFalse();
    }

    /**
     * TOPVALIEC=0: the NIR's civil status is not certified by the national register; it may be someone else's. The
     * person record carries it, flagged; the subject does not, so nobody is matched on it (the person is keyed by
     * matricule, given name and birth date, as without a NIR).
     */
    @Test
    void anUncertifiedNirIsCarriedFlaggedButLeftOutOfTheSubject() throws Exception {
        Output certified = read(fixture());
        for (String uncertifiedSpelling : new String[] {"0", "false", "N"}) {
            Output out = read(variant("<TOPVALIEC>1</TOPVALIEC>", "<TOPVALIEC>" + uncertifiedSpelling
                    + "</TOPVALIEC>"));
            assertThat(out.sink.rejections).as(uncertifiedSpelling).isEmpty();
            assertThat(out.person().get("nir").asString()).isEqualTo("288101730012040");
            assertThat(out.person().get("nirCertified").asBoolean(true)).isFalse();
            for (SpieRecord r : out.sink.records) {
                assertThat(r.subject().has("nir")).as(uncertifiedSpelling).isFalse();
                assertThat(r.subject().path("identifiers")).isEqualTo(certified.sink.records.get(0).subject()
                        .path("identifiers"));
                // the same line whether or not certified: a later certification is a change of it
                assertThat(r.changeKey()).isEqualTo(certified.sink.records.get(0).changeKey());
            }
            assertThat(out.summary.facts()).containsEntry("nirUncertified", "1");
        }
        assertThat(certified.sink.records.get(0).subject().get("nir").asString()).isEqualTo("288101730012040");
        assertThat(certified.person().has("nirCertified")).isFalse();
        assertThat(certified.summary.facts()).doesNotContainKey("nirUncertified");
        Output notStated = read(variant("<TOPVALIEC>1</TOPVALIEC>", ""));
        assertThat(notStated.sink.records.get(0).subject().has("nir")).isTrue();
    }

    /** The fixture's only Adresse (rank 01, La Rochelle 17300) preceded by a previous one (rank 02, Paris 75056). */
    static String withPreviousAddressFirst(String previousRank) throws Exception {
        return variant("<Adresse>\n        <TroncCommunAdresse>\n          <RGADR>01</RGADR>",
                "<Adresse><TroncCommunAdresse><RGADR>" + previousRank + "</RGADR><PAYS>FRA</PAYS><TYPEADR>D</TYPEADR>"
                        + "<ETATADR>CO</ETATADR></TroncCommunAdresse><AdresseDetailleeFrance><COMPLIDEADR/><COMPLADR/>"
                        + "<NUMVOIE>1</NUMVOIE><LIBTYPEVOIE>RUE</LIBTYPEVOIE><NOMVOIE>DE RIVOLI</NOMVOIE><LIEUDIST/>"
                        + "<NUMCOM>75056</NUMCOM><CODEPOS>75001</CODEPOS><NOMCOM>PARIS</NOMCOM>"
                        + "</AdresseDetailleeFrance></Adresse>\n      <Adresse>\n        <TroncCommunAdresse>\n"
                        + "          <RGADR>01</RGADR>");
    }

    @Test
    void theAddressIsTheAdresseOfRankOneWhereverItComes() throws Exception {
        String xml = withPreviousAddressFirst("02");
        try (var in = new ByteArrayInputStream(xml.getBytes(CP1252))) {
            assertThat(XsdValidator.vrsb0801().validate(in).problems()).isEmpty();
        }
        Output out = read(xml);
        JsonNode address = out.person().get("contact").get("address");
        assertThat(address.get("communeCode").asString()).isEqualTo("17300");
        assertThat(address.get("postalCode").asString()).isEqualTo("17000");
        assertThat(address.get("communeName").asString()).isEqualTo("LA ROCHELLE");
    }

    @Test
    void withoutAnAdresseOfRankOneThePersonHasNoAddress() throws Exception {
        Output out = read(withPreviousAddressFirst("02").replace("<RGADR>01</RGADR>", "<RGADR>03</RGADR>"));
        assertThat(out.sink.rejections).isEmpty();
        assertThat(out.person().has("contact")).isFalse();

        Output integer = read(variant("<RGADR>01</RGADR>", "<RGADR>1</RGADR>"));
        assertThat(integer.person().get("contact").get("address").get("communeCode").asString()).isEqualTo("17300");
    }

    @Test
    void aSuspensionReasonOutsideTheListIsRejectedNamingWhichBlockHoldsIt() throws Exception {
        String blocks = "<SuspensionVersement><MOTISUSVERSRSA>06</MOTISUSVERSRSA><DDSUSVERSRSA>2025-01-01</DDSUSVERSRSA>"
                + "</SuspensionVersement><SuspensionVersement><MOTISUSVERSRSA>%s</MOTISUSVERSRSA>"
                + "<DDSUSVERSRSA>2025-02-01</DDSUSVERSRSA></SuspensionVersement>\n      </SituationDossierRSA>";
        Output bad = read(variant("</SituationDossierRSA>", String.format(blocks, "99")));
        assertThat(bad.sink.records).isEmpty();
        assertThat(bad.sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.location()).isEqualTo("/Racine/InfosFoyerRSA[1]");
            assertThat(r.reason()).isEqualTo("PrestationRSA/SituationDossierRSA/SuspensionVersement[2]/MOTISUSVERSRSA"
                    + " is '99', not in the SPIE list of payment suspension reasons");
        });

        Output long_ = read(variant("<MOTISUSDRORSA>44</MOTISUSDRORSA>",
                "<MOTISUSDRORSA>" + "X".repeat(300) + "</MOTISUSDRORSA>"));
        assertThat(long_.sink.rejections).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo(
                "PrestationRSA/SituationDossierRSA/SuspensionDroit[2]/MOTISUSDRORSA is a value of 300 characters, "
                        + "not a 2-character code"));

        Output good = read(variant("</SituationDossierRSA>", String.format(blocks, "AB")));
        assertThat(good.situation().get("suspensions")).hasSize(4);
        assertThat(good.situation().get("suspensions").get(3).get("reasonCode").asString()).isEqualTo("AB");
        assertThat(good.situation().get("suspensions").get(3).get("since").asString()).isEqualTo("2025-02-01");
    }
}
