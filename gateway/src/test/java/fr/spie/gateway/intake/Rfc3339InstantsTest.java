package fr.spie.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class Rfc3339InstantsTest {

    @Test
    void anOrdinaryDateTimeIsItsInstant() {
        assertThat(Rfc3339Instants.parse("2025-01-01T10:00:00+01:00")).isEqualTo(Instant.parse("2025-01-01T09:00:00Z"));
        assertThat(Rfc3339Instants.parse("2025-01-01t10:00:00.5z")).isEqualTo(Instant.parse("2025-01-01T10:00:00.5Z"));
    }

    @Test
    void aLeapSecondIsTheSecondBeforeItWhateverTheOffset() {
        assertThat(Rfc3339Instants.parse("2016-12-31T23:59:60Z")).isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
        assertThat(Rfc3339Instants.parse("2017-01-01T00:59:60.25+01:00"))
                .isEqualTo(Instant.parse("2016-12-31T23:59:59.25Z"));
        assertThat(Rfc3339Instants.parse("2016-12-31T23:59:60Z")).isEqualTo(Instant.parse("2016-12-31T23:59:60Z"));
    }

    @Test
    void fractionDigitsBeyondNanosecondsAreCut() {
        assertThat(Rfc3339Instants.parse("2026-01-01T10:00:00.1234567891Z"))
                .isEqualTo(Instant.parse("2026-01-01T10:00:00.123456789Z"));
    }

    @Test
    void somethingElseIsNotADateTime() {
        assertThatThrownBy(() -> Rfc3339Instants.parse("2026-01-01 10:00")).isInstanceOf(DateTimeParseException.class);
    }
}
