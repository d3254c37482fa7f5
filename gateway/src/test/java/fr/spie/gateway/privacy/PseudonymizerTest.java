package fr.spie.gateway.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PseudonymizerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Pseudonymizer pseudonymizer = new Pseudonymizer(key((byte) 1));

    private static byte[] key(byte value) {
        byte[] key = new byte[32];
        Arrays.fill(key, value);
        return key;
    }

    private static JsonNode subject(String json) {
        return JSON.readTree(json);
    }

    @Test
    void theNirKeyIsItsFirst13CharactersWhateverTheSpelling() {
        String with15 = pseudonymizer.pseudonymOf(subject("{\"nir\": \"282025110803045\"}")).orElseThrow();
        String with13 = pseudonymizer.pseudonymOf(subject("{\"nir\": \"2820251108030\"}")).orElseThrow();
        String spaced = pseudonymizer.pseudonymOf(subject("{\"nir\": \"2 82 02 51 108 030\"}")).orElseThrow();
        assertThat(with15).isEqualTo(with13).isEqualTo(spaced).hasSize(64).doesNotContain("2820251108030");
    }

    @Test
    void aCafMatriculeIsTheSameIn15And7Digits() {
        String flux = pseudonymizer.pseudonymOf(subject(
                "{\"identifiers\": [{\"scheme\": \"caf-matricule\", \"value\": \"205599000000000\"}]}")).orElseThrow();
        String department = pseudonymizer.pseudonymOf(subject(
                "{\"identifiers\": [{\"scheme\": \"caf-matricule\", \"value\": \"2055990\"}]}")).orElseThrow();
        assertThat(flux).isEqualTo(department);
    }

    /** DOMAIN.md: a person's CAF/MSA number is the matricule and the organisation; the same number at two CAFs is two people. */
    @Test
    void aMatriculeOrADepartementIdIsScopedByItsIssuer() {
        String marne = pseudonymizer.pseudonymOf(subject("{\"identifiers\": [{\"scheme\": \"caf-matricule\", "
                + "\"value\": \"205599000000000\", \"issuer\": \"CAF 511\"}]}")).orElseThrow();
        String marneSpelledOtherwise = pseudonymizer.pseudonymOf(subject("{\"identifiers\": [{\"scheme\": "
                + "\"caf-matricule\", \"value\": \"2055990\", \"issuer\": \"caf511\"}]}")).orElseThrow();
        String cotedor = pseudonymizer.pseudonymOf(subject("{\"identifiers\": [{\"scheme\": \"caf-matricule\", "
                + "\"value\": \"2055990\", \"issuer\": \"CAF 211\"}]}")).orElseThrow();
        String noIssuer = pseudonymizer.pseudonymOf(subject("{\"identifiers\": [{\"scheme\": \"caf-matricule\", "
                + "\"value\": \"2055990\"}]}")).orElseThrow();
        assertThat(marne).isEqualTo(marneSpelledOtherwise).isNotEqualTo(cotedor).isNotEqualTo(noIssuer);
        assertThat(SubjectKey.allOf(subject("{\"identifiers\": [{\"scheme\": \"departement-id\", \"value\": "
                + "\"123\", \"issuer\": \"cd-51\"}, {\"scheme\": \"france-travail-id\", \"value\": \"X1\", "
                + "\"issuer\": \"ft-51\"}]}")))
                .containsExactly("id:departement-id@CD51:123", "id:france-travail-id:X1"); // a national id stays whole
    }

    /** cd-51's 123 and cd-08's 123 are two people: a departement-id without its issuer could be either. */
    /**
     * The CAF flux, i-milo and the départements' files upper-case a France Travail id (their connectors), France
     * Travail's extract and the partners' envelopes keep its case: a person's report asked by the number as printed
     * found the records of one kind of channel only.
     */
    @Test
    void aFranceTravailIdIsSearchedInTheCasesTheChannelsWriteIt() {
        String asRead = "{\"identifiers\": [{\"scheme\": \"france-travail-id\", \"value\": \"1234 567A\"}]}";
        assertThat(SubjectKey.searchKeysOf(subject(asRead))).containsExactly("id:france-travail-id:1234 567A",
                "id:france-travail-id:1234567A", "id:france-travail-id:1234567a");
        // the keys exchanges are filed under stay as they were (consents and routing unchanged)
        assertThat(SubjectKey.of(subject(asRead))).contains("id:france-travail-id:1234 567A");
        assertThat(SubjectKey.searchKeysOf(subject("{\"identifiers\": [{\"scheme\": \"france-travail-id\", "
                + "\"value\": \"b0000000-0000-4000-8000-00000000000A\"}]}"))).contains(
                "id:france-travail-id:b0000000-0000-4000-8000-00000000000a");
        // other schemes keep their case
        assertThat(SubjectKey.searchKeysOf(subject("{\"identifiers\": [{\"scheme\": \"imilo-jeune-id\", "
                + "\"value\": \"Ab1\"}]}"))).containsExactly("id:imilo-jeune-id:Ab1");
    }

    @Test
    void aDepartementIdWithoutItsIssuerIsNoKey() {
        assertThat(pseudonymizer.pseudonymOf(subject("{\"identifiers\": [{\"scheme\": \"departement-id\", "
                + "\"value\": \"123\"}]}"))).isEmpty();
        assertThat(SubjectKey.allOf(subject("{\"identifiers\": [{\"scheme\": \"departement-id\", \"value\": "
                + "\"123\", \"issuer\": \" - \"}], \"birthName\": \"Martin\", \"givenNames\": [\"Lucie\"], "
                + "\"birthDate\": \"1985-07-14\"}"))).containsExactly("pivot:MARTIN|LUCIE|1985-07-14|");
    }

    /**
     * The CNAF flux gives the household's matricule to the applicant, the spouse and the children alike: it must not
     * be their key, or the consent of one would release the records of the other.
     */
    @Test
    void aMatriculeNamesAHouseholdSoTwoOfItsMembersAreTwoPeople() {
        String alice = "{\"identifiers\": [{\"scheme\": \"caf-matricule\", \"value\": \"777770000000000\", "
                + "\"issuer\": \"CAF 511\"}], \"birthName\": \"DURAND\", \"givenNames\": [\"Alice\"], "
                + "\"birthDate\": \"1980-01-01\", \"sex\": \"F\"}";
        String bruno = alice.replace("Alice", "Bruno").replace("1980-01-01", "1979-05-05").replace("\"F\"", "\"M\"");
        assertThat(pseudonymizer.pseudonymOf(subject(alice))).isNotEqualTo(pseudonymizer.pseudonymOf(subject(bruno)));
        // the matricule with the member's first given name and birth date: partners that name her by her CAF
        // number match, whether they give her birth name and sex or not
        assertThat(SubjectKey.of(subject(alice))).contains("id:caf-matricule@CAF511:7777700|ALICE|1980-01-01");
        assertThat(SubjectKey.of(subject(alice.replace("\"birthName\": \"DURAND\", ", "")
                .replace(", \"sex\": \"F\"", "")))).contains("id:caf-matricule@CAF511:7777700|ALICE|1980-01-01");
        // a consent is filed under the matricule too (it can be listed by it), but that is not Bruno's key
        assertThat(SubjectKey.allOf(subject(alice))).contains("id:caf-matricule@CAF511:7777700")
                .doesNotContain(SubjectKey.of(subject(bruno)).orElseThrow());
        // a subject named by the household only gets a key no consent is filed under
        String householdOnly = "{\"identifiers\": [{\"scheme\": \"caf-matricule\", \"value\": \"7777700\", "
                + "\"issuer\": \"CAF 511\"}]}";
        assertThat(SubjectKey.of(subject(householdOnly))).contains("household:caf-matricule@CAF511:7777700");
        assertThat(SubjectKey.allOf(subject(alice))).doesNotContain("household:caf-matricule@CAF511:7777700");
        // another identifier naming the person is her key, wherever it stands
        assertThat(SubjectKey.of(subject(alice.replace("}], ", "}, {\"scheme\": \"france-travail-id\", "
                + "\"value\": \"1234567A\"}], ")))).contains("id:france-travail-id:1234567A");
    }

    /**
     * A birth name and a birth date without a given name name everyone born that day under that name: a consent
     * filed under them released the records of another person (or of a twin in the same household).
     */
    @Test
    void aBirthNameAndABirthDateWithoutAGivenNameAreNoKey() {
        // Anne Martin's consent, given with her NIR, her birth name and her birth date
        String consentOfAnne = "{\"nir\": \"2850775056001\", \"birthName\": \"Martin\", \"birthDate\": "
                + "\"1985-07-14\"}";
        // a record about Paul Martin, born the same day, named by his household's matricule, birth name and birth date
        String recordAboutPaul = "{\"identifiers\": [{\"scheme\": \"caf-matricule\", \"value\": \"7777700\", "
                + "\"issuer\": \"CAF 511\"}], \"birthName\": \"MARTIN\", \"birthDate\": \"1985-07-14\"}";
        String paulsKey = SubjectKey.of(subject(recordAboutPaul)).orElseThrow();
        assertThat(SubjectKey.allOf(subject(consentOfAnne))).doesNotContain(paulsKey).containsExactly("nir:2850775056001");
        // without his given name, Paul's record names his household only: no consent is ever found for it
        assertThat(paulsKey).isEqualTo("household:caf-matricule@CAF511:7777700");
        // a given name that is only punctuation is no given name; a departement-id without issuer is no key either
        assertThat(SubjectKey.of(subject("{\"identifiers\": [{\"scheme\": \"departement-id\", \"value\": \"123\"}], "
                + "\"birthName\": \"Martin\", \"givenNames\": [\"-\"], \"birthDate\": \"1985-07-14\"}"))).isEmpty();
    }

    @Test
    void aMatriculeThatLostItsLeadingZeroIsTheSameMatricule() {
        assertThat(SubjectKey.allOf(subject("{\"identifiers\": [{\"scheme\": \"caf-matricule\", \"value\": "
                + "\"346145\"}]}"))).containsExactly("id:caf-matricule:0346145");
        assertThat(SubjectKey.allOf(subject("{\"identifiers\": [{\"scheme\": \"caf-matricule\", \"value\": "
                + "\"34614500000000\"}]}"))).containsExactly("id:caf-matricule:0346145");
    }

    @Test
    void theIdentityPivotIgnoresAccentsCaseAndHyphens() {
        String a = pseudonymizer.pseudonymOf(subject("{\"birthName\": \"Lefèvre-Dubois\", \"givenNames\": "
                + "[\"Hélène\"], \"birthDate\": \"1975-11-02\", \"sex\": \"F\"}")).orElseThrow();
        String b = pseudonymizer.pseudonymOf(subject("{\"birthName\": \"LEFEVRE DUBOIS\", \"givenNames\": "
                + "[\"HELENE\"], \"birthDate\": \"1975-11-02\", \"sex\": \"F\"}")).orElseThrow();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void anotherKeyGivesAnotherPseudonymSoTheTrailCannotBeLinkedWithoutTheSecret() {
        JsonNode subject = subject("{\"nir\": \"2820251108030\"}");
        assertThat(new Pseudonymizer(key((byte) 2)).pseudonymOf(subject))
                .isNotEqualTo(pseudonymizer.pseudonymOf(subject));
    }

    @Test
    void aSubjectWithoutAnyKeyHasNoPseudonymAndShortKeysAreRefused() {
        assertThat(pseudonymizer.pseudonymOf(subject("{\"birthName\": \"X\"}"))).isEmpty();
        assertThatThrownBy(() -> new Pseudonymizer(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
