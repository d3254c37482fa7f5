package fr.spie.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.lifecycle.StartupRefusal;
import fr.spie.schema.SpieSchemas;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * The operator's mistakes in the settings the gateway reads at start-up are {@link StartupRefusal}s naming the
 * setting or file and what to do (printed without a stack trace by the failure analyzer).
 */
class StartupKeyRefusalsTest {
    private final GatewayConfiguration configuration = new GatewayConfiguration();

    private static SpieProperties properties(Path data, String configDir, String pseudonymKey) {
        return new SpieProperties(data.toString(), configDir, null, null,
                new SpieProperties.Privacy(pseudonymKey, null), null);
    }

    @Test
    void aWrongConfigurationDirectoryIsARefusalThatSaysHowToCheckIt(@TempDir Path tmp) {
        Path missing = tmp.resolve("no-such-config");

        assertThatThrownBy(() -> configuration.routingConfigHolder(SpieSchemas.load(),
                properties(tmp, missing.toString(), null), new MockEnvironment()))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("Invalid routing configuration in " + missing.toAbsolutePath()
                        + " (spie.config-dir)")
                .hasMessageContaining("configuration directory not found")
                .satisfies(e -> assertThat(((StartupRefusal) e).action()).contains("config check", "spie.config-dir"));
    }

    @Test
    void aPseudonymKeyThatIsNotBase64NamesTheSettingNotTheValue(@TempDir Path tmp) {
        assertThatThrownBy(() -> configuration.pseudonymizer(properties(tmp, "config", "not-base64!")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("spie.privacy.pseudonym-key is not usable")
                .hasMessageNotContaining("not-base64!");
        assertThatThrownBy(() -> configuration.pseudonymizer(properties(tmp, "config", "c2hvcnQ=")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("at least 256 bits");
    }
}
