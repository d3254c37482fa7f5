package fr.spie.connector.caf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VrsbFieldsTest {

    @Test
    void anXsdDateMayCarryATimeZoneButNothingElse() throws Reject {
        assertThat(VrsbFields.date("2022-02-28", "DTDEMRSA")).isEqualTo("2022-02-28");
        assertThat(VrsbFields.date("2022-02-28Z", "DTDEMRSA")).isEqualTo("2022-02-28");
        assertThat(VrsbFields.date("2022-02-28+01:00", "DTDEMRSA")).isEqualTo("2022-02-28");
        assertThat(VrsbFields.date("2022-02-28-05:00", "DTDEMRSA")).isEqualTo("2022-02-28");
        for (String bad : new String[] {"2022-02-28Zgarbage", "2022-02-28+99:00", "2022-02-28-x", "2022-02-30",
                "28/02/2022"}) {
            assertThatThrownBy(() -> VrsbFields.date(bad, "DTDEMRSA")).as(bad).isInstanceOf(Reject.class)
                    .hasMessage("DTDEMRSA is not a date (YYYY-MM-DD)");
        }
    }
}
