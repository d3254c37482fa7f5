package fr.spie.connector.francetravail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartnerErrorTextTest {

    @Test
    void franceTravailsCodesAreKept() {
        for (String code : new String[] {"S002", "R001", "T500", "E042", "ID_NON_RECONNU", "invalid_client"}) {
            assertThat(PartnerErrorText.code(code)).contains(code);
        }
        assertThat(PartnerErrorText.code(" R010 ")).contains("R010");
    }

    @Test
    void aValueEchoedInPlaceOfACodeIsNotKept() {
        for (String echoed : new String[] {"CANARYNAME7f3a", "DUPONT", "2820251108030", "1982-02-11",
                "e1881749-1334-47b9-8a34-74922528d4ea", "Usager hors périmètre", "JEAN-PIERRE", ""}) {
            assertThat(PartnerErrorText.code(echoed)).as(echoed).isEmpty();
        }
        assertThat(PartnerErrorText.code(null)).isEmpty();
    }
}
