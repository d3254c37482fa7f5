package fr.spie.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a start's CONFIG_LOADED event compares its version with the trail's latest event's. */
class ConfigLoadedAtStartTest {

    @Test
    void aStartSaysWhetherTheConfigurationChangedSinceTheLatestEvent() {
        assertThat(ConfigLoadedAtStart.comparedWith(null, "abc")).isEqualTo("first configuration of this audit trail");
        assertThat(ConfigLoadedAtStart.comparedWith("abc", "abc")).isEqualTo("the same as the latest event's");
        assertThat(ConfigLoadedAtStart.comparedWith("abc", "def"))
                .isEqualTo("the latest event was recorded under abc: the configuration changed");
    }
}
