package fr.spie.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** spie.audit.person-report.* in the forms config/README.md documents. */
class PersonReportSettingsTest {
    @Test
    void hiddenPurposesAreCommaSeparatedAndDelayedOnesAnInlineMapOfIsoDurations() {
        PersonReportPolicy policy = PersonReportSettings.policy(" fraud-inquiry, other-inquiry ,",
                "{'rsa-inquiry':'P90D', \"rsa-follow-up\": P30D}");

        assertThat(policy.hiddenPurposes()).isEqualTo(Set.of("fraud-inquiry", "other-inquiry"));
        assertThat(policy.delayedPurposes()).isEqualTo(Map.of("rsa-inquiry", Duration.ofDays(90),
                "rsa-follow-up", Duration.ofDays(30)));
    }

    @Test
    void unsetOrEmptyMeansNone() {
        for (String empty : new String[] {null, "", " ", ","}) {
            assertThat(PersonReportSettings.policy(empty, null).hiddenPurposes()).as(empty).isEmpty();
        }
        for (String empty : new String[] {null, "", " ", "{:}", "{}"}) {
            assertThat(PersonReportSettings.policy(null, empty).delayedPurposes()).as(empty).isEmpty();
        }
    }

    @Test
    void anUnreadableDelayNamesTheSetting() {
        assertThatThrownBy(() -> PersonReportSettings.policy(null, "{'rsa-inquiry':'90 days'}"))
                .hasMessageContaining("spie.audit.person-report.delayed-purposes").hasMessageContaining("rsa-inquiry");
        assertThatThrownBy(() -> PersonReportSettings.policy(null, "rsa-inquiry=P90D"))
                .hasMessageContaining("spie.audit.person-report.delayed-purposes");
    }
}
