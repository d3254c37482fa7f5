package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's settings as a gateway started in the same directory reads them, the first found winning. */
class GatewaySettingsTest {
    private static final String KEY = "spie.audit.person-report.hidden-purposes";

    @TempDir
    Path dir;

    private GatewaySettings read(Map<String, String> env, Properties system) throws Exception {
        return GatewaySettings.read(null, dir, env::get, system);
    }

    @Test
    void systemPropertiesThenEnvironmentThenConfigDirectoryThenWorkingDirectory() throws Exception {
        Files.writeString(dir.resolve("application.yml"), "spie.audit.person-report.hidden-purposes: from-yml\n");
        assertThat(read(Map.of(), new Properties()).get(KEY).value()).isEqualTo("from-yml");

        Files.writeString(dir.resolve("application.properties"), KEY + "=from-properties\n");
        assertThat(read(Map.of(), new Properties()).get(KEY).value()).isEqualTo("from-properties");

        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config").resolve("application.yml"), """
                spie:
                  audit:
                    person-report:
                      hidden-purposes: from-config-yml
                """);
        assertThat(read(Map.of(), new Properties()).get(KEY).value()).isEqualTo("from-config-yml");

        assertThat(read(Map.of("SPIE_AUDIT_PERSONREPORT_HIDDENPURPOSES", "from-env"), new Properties()).get(KEY))
                .isEqualTo(new GatewaySettings.Setting("from-env",
                        "environment variable SPIE_AUDIT_PERSONREPORT_HIDDENPURPOSES"));
        assertThat(read(Map.of("SPIE_AUDIT_PERSON_REPORT_HIDDEN_PURPOSES", "from-env"), new Properties()).get(KEY)
                .value()).isEqualTo("from-env");

        Properties system = new Properties();
        system.setProperty(KEY, "from-system");
        assertThat(read(Map.of("SPIE_AUDIT_PERSONREPORT_HIDDENPURPOSES", "from-env"), system).get(KEY).value())
                .isEqualTo("from-system");
    }

    @Test
    void aFileGivenIsReadInsteadOfTheWorkingDirectorysAndAbsentSettingsAreNull() throws Exception {
        Files.writeString(dir.resolve("application.yml"), KEY + ": from-working-directory\n");
        Path given = dir.resolve("gateway.properties");
        Files.writeString(given, "spie.data-dir=/var/lib/spie\n");

        assertThat(GatewaySettings.read(given, dir, k -> null, new Properties()).get(KEY)).isNull();
        assertThatThrownBy(() -> GatewaySettings.read(dir.resolve("none.yml"), dir, k -> null, new Properties()))
                .hasMessageContaining("no settings file");
    }

    @Test
    void aYamlListTheGatewayWouldIgnoreIsAnErrorNotSilence() throws Exception {
        Files.writeString(dir.resolve("application.yml"), """
                spie:
                  audit:
                    person-report:
                      hidden-purposes: [fraud-inquiry]
                """);

        assertThatThrownBy(() -> read(Map.of(), new Properties()).get(KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("write it as one string");
    }
}
