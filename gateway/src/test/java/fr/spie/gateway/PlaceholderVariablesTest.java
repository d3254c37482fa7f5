package fr.spie.gateway;

import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.schema.SpieSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** The variables of the config files' placeholders, at start-up and reload: what `config check` reads. */
class PlaceholderVariablesTest {
    @TempDir
    Path dir;

    /**
     * Before: Spring resolved '${...}' inside the variable's value, so a secret containing '${' stopped the start
     * (quoting the secret in the error) where `config check` passed.
     */
    @Test
    void aVariableIsTakenAsItIsWrittenAsConfigCheckDoes() throws Exception {
        Files.writeString(dir.resolve("partners.yaml"), """
                partners:
                  - id: caf-51
                    kind: caf
                    name: "${CAF_NAME}"
                  - id: cd-51
                    kind: departement
                    name: CD 51
                    delivery:
                      url: "${CD_URL:http://localhost:1/x}"
                """);
        Files.writeString(dir.resolve("routes.yaml"), """
                routes:
                  - id: r
                    description: d
                    recordTypes: [person]
                    from: caf-51
                    to: [cd-51]
                    purpose: p
                    legalBasis:
                      type: legal-obligation
                      reference: CASF
                """);
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", Map.of("CAF_NAME", "CAF ${NOT_A_VARIABLE}")));

        RoutingConfigHolder holder = new GatewayConfiguration().routingConfigHolder(SpieSchemas.load(),
                new SpieProperties(dir.resolve("data").toString(), dir.toString(), null, null, null, null), env);

        assertThat(holder.current().partner("caf-51").orElseThrow().name()).isEqualTo("CAF ${NOT_A_VARIABLE}");
    }
}
