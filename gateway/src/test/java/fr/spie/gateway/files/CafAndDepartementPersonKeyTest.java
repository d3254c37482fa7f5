package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.connector.SpieRecord;
import fr.spie.gateway.config.FileChannel;
import fr.spie.gateway.config.LegalBasis;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.privacy.SubjectKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The CAF's flux and a département's file name the same person by CAF matricule (no NIR): read through each partner's
 * file channel, they give the same person key, so a consent, a change or a person's report found under one is found
 * under the other. The CAF flux gives the matricule with its issuer ("CAF 511"); the département says who issued
 * its matricules in its {@code files:} block.
 */
class CafAndDepartementPersonKeyTest {
    static final LegalBasis BASIS = new LegalBasis("public-task", "CASF art. L262-29");
    static final Pseudonymizer PSEUDONYMS = new Pseudonymizer(new byte[32]);
    static final Map<String, String> CAF_511 = Map.of("caf-matricule", "CAF 511");
    /** A département export naming its beneficiaries by CAF number only. */
    static final Map<String, Object> BY_CAF_NUMBER = Map.of(
            "name", "beneficiaires-par-matricule",
            "keyColumn", "N° CAF",
            "fields", List.of(
                    Map.of("column", "N° CAF", "target", "person:/identifiers", "identifierScheme", "caf-matricule",
                            "required", true, "transforms", List.of("strip-spaces")),
                    Map.of("column", "Nom", "target", "person:/birthName", "required", true),
                    Map.of("column", "Prénom", "target", "person:/givenNames/0", "required", true),
                    Map.of("column", "Date de naissance", "target", "person:/birthDate", "required", true,
                            "transforms", List.of("date"))),
            "records", List.of(Map.of("recordType", "person")));

    /** Alice, first person of the CAF 511 household 777770000000000 (no NIR). */
    static JsonNode cafSubject() throws Exception {
        FileChannel caf = new FileChannel(FileChannel.CNAF_VRSB0801, "rsa-orientation", BASIS, null, null, null);
        FileConnectorsTest.Collect read = new FileConnectorsTest.Collect();
        FileConnectors.forChannel("caf-51", caf).read(new ByteArrayInputStream(
                FileConnectorsTest.fixture("cnaf-monthly.xml")), read);
        JsonNode subject = read.records.get(0).subject();
        assertThat(subject.has("nir")).isFalse();
        assertThat(subject.path("givenNames").get(0).asString()).isEqualTo("ALICE");
        return subject;
    }

    static SpieRecord departementLine(FileChannel channel, String csv) throws Exception {
        FileConnectorsTest.Collect read = new FileConnectorsTest.Collect();
        FileConnectors.forChannel("cd-51", channel).read(new ByteArrayInputStream(
                csv.getBytes(StandardCharsets.UTF_8)), read);
        assertThat(read.records).isNotEmpty();
        return read.records.get(0);
    }

    @Test
    void aDepartementLineNamingThePersonByCafNumberHasTheKeyOfTheCafsRecords() throws Exception {
        JsonNode caf = cafSubject();
        FileChannel departement = new FileChannel(FileChannel.DEPARTEMENT_FILE, "rsa-orientation", BASIS, null, null,
                BY_CAF_NUMBER, null, CAF_511);

        JsonNode line = departementLine(departement, "N° CAF;Nom;Prénom;Date de naissance\n"
                + "777 77 00;TESTFOYER;Alice;15/01/1980\n").subject();

        assertThat(SubjectKey.of(line)).isEqualTo(SubjectKey.of(caf)).hasValue("id:caf-matricule@CAF511:7777700|ALICE|1980-01-15");
        assertThat(PSEUDONYMS.pseudonymOf(line)).isEqualTo(PSEUDONYMS.pseudonymOf(caf));
    }

    /** Alice's record from the CAF flux, her NIR given with TOPVALIEC {@code certified}. */
    static SpieRecord cafRecordWithNir(String certified) throws Exception {
        String flux = new String(FileConnectorsTest.fixture("cnaf-monthly.xml"), StandardCharsets.UTF_8);
        String alice = "<DTNAI>1980-01-15</DTNAI>\n        <SEXE>2</SEXE>";
        assertThat(flux).contains(alice);
        FileChannel caf = new FileChannel(FileChannel.CNAF_VRSB0801, "rsa-orientation", BASIS, null, null, null);
        FileConnectorsTest.Collect read = new FileConnectorsTest.Collect();
        FileConnectors.forChannel("caf-51", caf).read(new ByteArrayInputStream(flux.replace(alice,
                "<DTNAI>1980-01-15</DTNAI><NIR>2800151108123</NIR><TOPVALIEC>" + certified + "</TOPVALIEC><SEXE>2</SEXE>")
                .getBytes(StandardCharsets.UTF_8)), read);
        assertThat(read.rejections).isEmpty();
        return read.records.get(0);
    }

    /**
     * A NIR the CNAF says is not certified (TOPVALIEC=0) may be someone else's: linking on it would be a guess. Alice is
     * keyed as without a NIR (matricule, given name, birth date), so the département's line naming her by CAF number
     * is still hers; the NIR reaches the person record, flagged, and the record is valid.
     */
    @Test
    void anUncertifiedNirIsNotTheCafRecordsKey() throws Exception {
        SpieRecord uncertified = cafRecordWithNir("0");
        FileChannel departement = new FileChannel(FileChannel.DEPARTEMENT_FILE, "rsa-orientation", BASIS, null, null,
                BY_CAF_NUMBER, null, CAF_511);
        JsonNode line = departementLine(departement, "N° CAF;Nom;Prénom;Date de naissance\n"
                + "777 77 00;TESTFOYER;Alice;15/01/1980\n").subject();

        assertThat(SubjectKey.of(uncertified.subject())).isEqualTo(SubjectKey.of(line))
                .hasValue("id:caf-matricule@CAF511:7777700|ALICE|1980-01-15");
        assertThat(SubjectKey.allOf(uncertified.subject())).noneMatch(k -> k.startsWith("nir:"));
        assertThat(uncertified.payload().get("nirCertified").asBoolean(true)).isFalse();
        assertThat(fr.spie.schema.SpieSchemas.load().validatePayload("person", uncertified.payload())).isEmpty();

        // the flag is an addition of schema 1.1: the envelope says so, and a record without it stays 1.0
        assertThat(FileRecordEnvelopes.schemaVersionOf(uncertified)).isEqualTo("1.1");
        SpieRecord certified = cafRecordWithNir("1");
        assertThat(SubjectKey.of(certified.subject())).hasValue("nir:2800151108123");
        assertThat(FileRecordEnvelopes.schemaVersionOf(certified)).isEqualTo("1.0");
    }

    @Test
    void withTheBuiltInMappingTheCafsKeyIsAmongTheKeysOfTheDepartementsLine() throws Exception {
        JsonNode caf = cafSubject();
        FileChannel departement = new FileChannel(FileChannel.DEPARTEMENT_FILE, "rsa-orientation", BASIS, null, null,
                null, null, CAF_511);

        JsonNode line = departementLine(departement, new String(FileConnectorsTest.fixture(
                "carnet-de-bord-beneficiaires.csv"), StandardCharsets.UTF_8)).subject();

        // its strongest key is the département's own id, issued by the partner; a consent given under the line's
        // subject is filed under every key of it, the CAF number with the person's given name and birth date among
        // them. Léa shares the CAF 511 matricule of Alice's household but is someone else: Alice's key is not hers
        assertThat(SubjectKey.of(line)).hasValue("id:departement-id@CD51:FT-D-001");
        assertThat(SubjectKey.allOf(line)).contains("id:caf-matricule@CAF511:7777700|LEA|1985-03-12")
                .doesNotContain(SubjectKey.of(caf).orElseThrow());
    }
}
