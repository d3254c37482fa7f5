package fr.spie.connector.francetravail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartnerErrorTextTest {

    @Test
    void nirShapedNumbersAreMaskedCorsicaAndSpacedOnesIncluded() {
        assertThat(PartnerErrorText.of("nir 185072A123456 / 1 85 07 2B 123 456 78 / 2820251108030", 200))
                .isEqualTo("nir [NIR] / [NIR] / [NIR]");
    }

    @Test
    void opaqueRunsAreMasked() {
        assertThat(PartnerErrorText.of("jeton e1881749-1334-47b9-8a34-74922528d4ea#LQdESFx4 expiré", 200))
                .isEqualTo("jeton [...] expiré");
    }

    @Test
    void ordinaryErrorTextIsKept() {
        String text = "Agence 93015 fermée le 2025-03-04, appeler le 06 12 34 56 78 (R010)";
        assertThat(PartnerErrorText.of(text, 200)).isEqualTo(text);
        assertThat(PartnerErrorText.of(text, 10)).isEqualTo("Agence 930");
    }
}
