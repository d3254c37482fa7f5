package fr.spie.connector.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatriculeTest {

    @Test
    void fluxFormEndingWithEightZerosNormalisesToSevenDigits() {
        Matricule m = Matricule.parse("205599000000000");
        assertThat(m.normalised()).isEqualTo("2055990");
        assertThat(m.shortForm()).contains("2055990");
        assertThat(m.fluxForm()).isEqualTo("205599000000000");
        assertThat(m.raw()).isEqualTo("205599000000000");
    }

    @Test
    void sevenDigitFormGivesTheFluxForm() {
        Matricule m = Matricule.parse("2055990");
        assertThat(m.fluxForm()).isEqualTo("205599000000000");
        assertThat(m).isEqualTo(Matricule.parse("205599000000000"));
        assertThat(m.sameNumberAs(Matricule.parse("205599000000000"))).isTrue();
    }

    @Test
    void leadingZerosDroppedByTheXmlIntegerAreRestored() {
        Matricule m = Matricule.parse("34614500000000");
        assertThat(m.fluxForm()).isEqualTo("034614500000000");
        assertThat(m.normalised()).isEqualTo("0346145");
        assertThat(Matricule.parse("034614500000000").normalised()).isEqualTo("0346145");
        assertThat(Matricule.parse("346145").normalised()).isEqualTo("0346145");
        assertThat(Matricule.parse("346145")).isEqualTo(m);
    }

    @Test
    void numbersWithoutTrailingZerosKeepTheirFifteenDigitForm() {
        Matricule msa = Matricule.parse("922021077501688");
        assertThat(msa.shortForm()).isEmpty();
        assertThat(msa.normalised()).isEqualTo("922021077501688");
        assertThat(Matricule.parse("2881017300120").fluxForm()).isEqualTo("002881017300120");
    }

    @Test
    void spacesAreIgnoredAndRawIsKept() {
        Matricule m = Matricule.parse(" 2055 990 ");
        assertThat(m.normalised()).isEqualTo("2055990");
        assertThat(m.raw()).isEqualTo(" 2055 990 ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "20559A0", "-2055990", "1234567890123456"})
    void rejectsInvalidValues(String value) {
        assertThatThrownBy(() -> Matricule.parse(value)).isInstanceOf(IllegalArgumentException.class);
    }
}
