package fr.spie.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.privacy.Pseudonymizer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The auditor's person query gives the pseudonym intake gave the same person, issuer of a matricule included. */
class PersonFilterTest {
    private final Pseudonymizer pseudonymizer = new Pseudonymizer(new byte[32]);

    @Test
    void aMatriculeWithItsIssuerFindsWhatTheCafFluxSentAndNotAnotherCafsPerson() {
        String sentByTheFlux = pseudonymizer.pseudonymOf(JsonMapper.builder().build().readTree(
                "{\"identifiers\": [{\"scheme\": \"caf-matricule\", \"value\": \"205599000000000\", "
                        + "\"issuer\": \"CAF 511\"}]}")).orElseThrow();

        List<String> withIssuer = new PersonFilter(null, "caf-matricule", "2055990", "CAF 511", null, null, null,
                null).pseudonyms(pseudonymizer);
        List<String> otherCaf = new PersonFilter(null, "caf-matricule", "2055990", "CAF 211", null, null, null, null)
                .pseudonyms(pseudonymizer);
        List<String> withoutIssuer = new PersonFilter(null, "caf-matricule", "2055990", null, null, null, null, null)
                .pseudonyms(pseudonymizer);

        // named by the matricule alone, the flux's subject is the household's
        assertThat(withIssuer).contains(sentByTheFlux);
        assertThat(otherCaf).doesNotContain(sentByTheFlux);
        assertThat(withoutIssuer).doesNotContain(sentByTheFlux);
    }

    /** cd-51's 123 and cd-08's 123 are two people: the auditor says whose departement-id it is. */
    @Test
    void aDepartementIdIsSearchedWithItsIssuer() {
        assertThat(new PersonFilter(null, "departement-id", "123", "cd-51", null, null, null, null)
                .pseudonyms(pseudonymizer)).containsExactly(sent("{\"identifiers\": [{\"scheme\": "
                + "\"departement-id\", \"value\": \"123\", \"issuer\": \"CD 51\"}]}"))
                .doesNotContain(sent("{\"identifiers\": [{\"scheme\": \"departement-id\", \"value\": \"123\", "
                        + "\"issuer\": \"cd-08\"}]}"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PersonFilter(null, "departement-id", "123",
                        null, null, null, null, null).pseudonyms(pseudonymizer))
                .isInstanceOfSatisfying(fr.spie.gateway.intake.IntakeRejection.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("identifierIssuer");
                });
    }

    /** 2820251108030 has the key 94: with one digit wrong (…031) it is someone else's NIR, whose events were found. */
    @Test
    void aNirWhoseKeyDoesNotMatchIsRefusedAsThePersonsReportRefusesIt() {
        assertThat(new PersonFilter("282025110803094", null, null, null, null, null, null, null)
                .pseudonyms(pseudonymizer)).containsExactly(sent("{\"nir\": \"2820251108030\"}"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PersonFilter("282025110803194", null, null,
                        null, null, null, null, null).pseudonyms(pseudonymizer))
                .isInstanceOfSatisfying(fr.spie.gateway.intake.IntakeRejection.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("key").doesNotContain("2820251108031");
                });
    }

    /**
     * A text that is no NIR (a letter where a digit goes, a digit short) is of no accepted envelope: searched, it found
     * nothing, and the auditor could read that nobody received the person's data. Refused, as the report refuses it.
     */
    @Test
    void aTextThatIsNoNirIsRefusedAsThePersonsReportRefusesIt() {
        for (String notANir : new String[] {"28202511080", "2820251108O30", "282025110803094X", "hello"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PersonFilter(notANir, null, null, null,
                            null, null, null, null).pseudonyms(pseudonymizer))
                    .as(notANir)
                    .isInstanceOfSatisfying(fr.spie.gateway.intake.IntakeRejection.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("is not a NIR").doesNotContain(notANir);
                    });
        }
        // written with spaces, as people write it, it is usable
        assertThat(new PersonFilter("2 82 02 51 108 030 94", null, null, null, null, null, null, null)
                .pseudonyms(pseudonymizer)).containsExactly(sent("{\"nir\": \"2820251108030\"}"));
    }

    private String sent(String subject) {
        return pseudonymizer.pseudonymOf(JsonMapper.builder().build().readTree(subject)).orElseThrow();
    }

    private static PersonFilter byNames(String sex) {
        return new PersonFilter(null, null, null, null, "Dupont", "Marie", "1975-11-02", sex);
    }

    /**
     * Exchanges may carry the identity pivot with or without sex: the auditor's query by names finds what the
     * person's own report finds (SubjectKey.searchKeysOf), so that an export can prove that report.
     */
    @Test
    void aQueryByNamesFindsTheExchangesSentWithOrWithoutSexAsThePersonsReportDoes() {
        String withoutSex = sent("{\"birthName\": \"DUPONT\", \"givenNames\": [\"MARIE\"], "
                + "\"birthDate\": \"1975-11-02\"}");
        String female = sent("{\"birthName\": \"Dupont\", \"givenNames\": [\"Marie\"], "
                + "\"birthDate\": \"1975-11-02\", \"sex\": \"F\"}");
        String male = sent("{\"birthName\": \"Dupont\", \"givenNames\": [\"Marie\"], "
                + "\"birthDate\": \"1975-11-02\", \"sex\": \"M\"}");

        assertThat(byNames("F").pseudonyms(pseudonymizer)).containsExactlyInAnyOrder(female, withoutSex);
        assertThat(byNames(null).pseudonyms(pseudonymizer)).containsExactlyInAnyOrder(withoutSex, female, male);
        assertThat(new PersonFilter(null, "caf-matricule", "2055990", "CAF 511", "Dupont", null, "1975-11-02", "F")
                .pseudonyms(pseudonymizer)).contains(sent("{\"identifiers\": [{\"scheme\": "
                + "\"caf-matricule\", \"value\": \"2055990\", \"issuer\": \"CAF 511\"}]}"));
        // one member of the household: the matricule with the given name and birth date
        assertThat(new PersonFilter(null, "caf-matricule", "2055990", "CAF 511", null, "Marie", "1975-11-02", null)
                .pseudonyms(pseudonymizer)).contains(sent("{\"identifiers\": [{\"scheme\": \"caf-matricule\", "
                + "\"value\": \"2055990\", \"issuer\": \"CAF 511\"}], \"birthName\": \"DUPONT\", "
                + "\"givenNames\": [\"MARIE\"], \"birthDate\": \"1975-11-02\", \"sex\": \"F\"}"));
        assertThat(new PersonFilter(null, null, null, null, null, null, null, null).pseudonyms(pseudonymizer))
                .isNull();
    }
}
