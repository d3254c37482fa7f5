package fr.spie.connector.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void stripsAccentsUpperCasesAndSeparatesWords() {
        assertThat(Names.key("Marie-Hélène d'Aubigné ")).isEqualTo("MARIE HELENE D AUBIGNE");
        assertThat(Names.key("  le  GALL\u2019  ")).isEqualTo("LE GALL");
        assertThat(Names.key("Noël")).isEqualTo("NOEL");
        assertThat(Names.key("Çağla Öztürk")).isEqualTo("CAGLA OZTURK");
    }

    @Test
    void expandsLigatures() {
        assertThat(Names.key("Lætitia Œuvray")).isEqualTo("LAETITIA OEUVRAY");
        assertThat(Names.key("Strauß")).isEqualTo("STRAUSS");
    }

    @Test
    void decomposedAndComposedFormsGiveTheSameKey() {
        assertThat(Names.key("He\u0301le\u0300ne")).isEqualTo(Names.key("H\u00e9l\u00e8ne")).isEqualTo("HELENE");
        assertThat(Names.sameName("Jean-Pierre", "JEAN PIERRE")).isTrue();
        assertThat(Names.sameName("", " ")).isFalse();
    }

    @Test
    void nullAndBlankGiveEmptyKey() {
        assertThat(Names.key(null)).isEmpty();
        assertThat(Names.key(" - ' ")).isEmpty();
    }
}
