package fr.spie.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A NIR the CNAF does not certify reaches the person record with {@code nirCertified: false}: a recipient whose
 * release names {@code /nir} (France Travail's in the demo routes) must get the flag with it, or it would take the NIR
 * for a certified one.
 */
class NirReleaseTest {
    static final JsonNode PERSON = JsonMapper.builder().build().readTree("{\"nir\": \"2800151108123\", "
            + "\"nirCertified\": false, \"birthName\": \"TESTFOYER\", \"birthDate\": \"1980-01-15\"}");

    @Test
    void aReleasedNirCarriesItsCertificationFlag() {
        assertThat(new PayloadProjection(List.of("/nir", "/birthName")).project(PERSON).propertyNames())
                .containsExactlyInAnyOrder("nir", "nirCertified", "birthName");
        assertThat(new PayloadProjection(List.of("/birthName", "/birthDate")).project(PERSON).propertyNames())
                .containsExactlyInAnyOrder("birthName", "birthDate");
    }
}
