package fr.spie.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.intake.IntakeRejection;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class UnusablePersonKeysTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * 2820251108030 has the key 94. The same NIR mistyped in one digit (…031) is another person's: searched by its 13
     * characters, the report listed that person's deliveries to whoever asked with the typo, which the key shows.
     */
    @Test
    void aNirWhoseKeyDoesNotMatchIsRefusedBecauseItWouldNameSomeoneElse() {
        assertThat(UnusablePersonKeys.of(JSON.readTree("{\"nir\": \"282025110803194\"}")))
                .extracting(IntakeRejection.FieldError::pointer, IntakeRejection.FieldError::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/nir", "its key (the last 2 characters) does "
                        + "not match its first 13: a mistyped NIR would name someone else"));
        // with its key, without it, spaced as on a card: usable
        for (String nir : new String[] {"282025110803094", "2820251108030", "2 82 02 51 108 030 94"}) {
            assertThat(UnusablePersonKeys.of(JSON.readTree("{\"nir\": \"" + nir + "\"}"))).as(nir).isEmpty();
        }
        // Corsica: 2A and 2B count as 19 and 18 in the key
        assertThat(UnusablePersonKeys.of(JSON.readTree("{\"nir\": \"185052A00401270\"}"))).isEmpty();
        assertThat(UnusablePersonKeys.of(JSON.readTree("{\"nir\": \"185052A00401234\"}"))).isNotEmpty();
    }
}
