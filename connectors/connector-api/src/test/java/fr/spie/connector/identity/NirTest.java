package fr.spie.connector.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NirTest {

    @Test
    void normalisesSpacesAndCase() {
        Nir nir = Nir.parse(" 2 85 05 2a 123 456 80 ");
        assertThat(nir.value()).isEqualTo("285052A12345680");
        assertThat(nir.first13()).isEqualTo("285052A123456");
        assertThat(nir.hasKey()).isTrue();
    }

    @Test
    void computesTheKeyOfA13CharacterNir() {
        Nir nir = Nir.parse("2820251108030");
        assertThat(nir.hasKey()).isFalse();
        assertThat(nir.hasValidKey()).isFalse();
        assertThat(nir.key()).isEqualTo(94);
        assertThat(nir.withKey()).isEqualTo("282025110803094");
        assertThat(nir.first13()).isEqualTo("2820251108030");
    }

    @ParameterizedTest
    @ValueSource(strings = {"294109202536107", "288101730012040", "190075145412329", "282025110803094"})
    void acceptsValidKeys(String value) {
        assertThat(Nir.parse(value).hasValidKey()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"294109202536108", "288101730012000", "190075145412392"})
    void detectsInvalidKeys(String value) {
        Nir nir = Nir.parse(value);
        assertThat(nir.hasKey()).isTrue();
        assertThat(nir.hasValidKey()).isFalse();
    }

    @Test
    void corsica2aCountsAs19And2bAs18() {
        assertThat(Nir.parse("285052A123456").key()).isEqualTo(80);          // 2850519123456
        assertThat(Nir.parse("285052A12345680").hasValidKey()).isTrue();
        assertThat(Nir.parse("285052A12345681").hasValidKey()).isFalse();
        assertThat(Nir.parse("185052B004012").key()).isEqualTo(97);          // 1850518004012 ≡ 0 mod 97
        assertThat(Nir.parse("185052B00401297").hasValidKey()).isTrue();
        assertThat(Nir.parse("285052B123456").key()).isNotEqualTo(Nir.parse("285052A123456").key());
        assertThat(Nir.parse("285052A123456").conformsToSpieSchema()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "28202511080", "28202511080301", "2820251108030123", "28202X1108030", "2820A51108030",
            "285053A123456", "2820251108O30"})
    void rejectsMalformedValuesWithoutEchoingThem(String value) {
        assertThatThrownBy(() -> Nir.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(value.isEmpty() ? "\u0000" : value));
    }

    @Test
    void temporaryNumbersParseButAreNotCarriedByTheSchema() {
        Nir nia = Nir.parse("7820251108030");
        assertThat(nia.conformsToSpieSchema()).isFalse();
        assertThat(Nir.parse("2821351108030").conformsToSpieSchema()).isFalse(); // month 13
        assertThat(Nir.parse("2820251108030").conformsToSpieSchema()).isTrue();
    }

    @Test
    void toStringIsMasked() {
        assertThat(Nir.parse("2820251108030").toString()).doesNotContain("820251108030");
        assertThat(Nir.parse("2820251108030")).isEqualTo(Nir.parse("2 820251108030"));
    }
}
