package fr.spie.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.privacy.SubjectKey;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The kinds of keys a report says it searched by: worded in French, never with a value. */
class PersonKeyKindsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aMatriculeIsWordedAsAHouseholdAloneOrWithTheMembersGivenNameAndBirthDate() {
        var member = JSON.readTree("{\"identifiers\": [{\"scheme\": \"caf-matricule\", \"value\": \"7777700\", "
                + "\"issuer\": \"CAF 511\"}], \"givenNames\": [\"Alice\"], \"birthDate\": \"1980-01-01\"}");
        var household = JSON.readTree("{\"identifiers\": [{\"scheme\": \"msa-matricule\", \"value\": \"7777700\", "
                + "\"issuer\": \"MSA 51\"}]}");

        assertThat(PersonKeyKinds.of(SubjectKey.of(member).orElseThrow()))
                .isEqualTo("numéro d'allocataire CAF, prénom, date de naissance");
        assertThat(PersonKeyKinds.of(SubjectKey.of(household).orElseThrow()))
                .isEqualTo("numéro d'adhérent MSA");
        for (String key : SubjectKey.searchKeysOf(member)) {
            assertThat(PersonKeyKinds.of(key)).doesNotContain("7777700", "ALICE", "1980", "CAF511");
        }
        assertThat(PersonKeyKinds.of("id:some-scheme:X1")).isEqualTo("identifiant some-scheme");
        assertThat(PersonKeyKinds.of("unexpected-key-with-a-value-12345")).isEqualTo("identifiant");
    }
}
