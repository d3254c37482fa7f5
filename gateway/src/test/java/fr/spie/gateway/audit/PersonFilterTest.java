package fr.spie.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.privacy.Pseudonymizer;
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

        String withIssuer = new PersonFilter(null, "caf-matricule", "2055990", "CAF 511", null, null, null, null)
                .pseudonym(pseudonymizer);
        String otherCaf = new PersonFilter(null, "caf-matricule", "2055990", "CAF 211", null, null, null, null)
                .pseudonym(pseudonymizer);
        String withoutIssuer = new PersonFilter(null, "caf-matricule", "2055990", null, null, null, null, null)
                .pseudonym(pseudonymizer);

        assertThat(withIssuer).isEqualTo(sentByTheFlux);
        assertThat(otherCaf).isNotEqualTo(sentByTheFlux);
        assertThat(withoutIssuer).isNotEqualTo(sentByTheFlux);
    }
}
