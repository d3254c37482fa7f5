package fr.spie.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ProductionSettingsCheckTest {
    private static final Map<String, Object> COMPLETE = Map.of(
            "spring.datasource.url", "jdbc:postgresql://pg:5432/spie",
            "spie.broker.url", "tcp://artemis:61616",
            "spie.privacy.pseudonym-key", "c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzLi4u",
            "spie.ledger.keystore", "/etc/spie/ledger.p12",
            "spie.ledger.password", "secret");

    private static StandardEnvironment environment(Map<String, Object> settings, String... profiles) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", new HashMap<>(settings)));
        env.setActiveProfiles(profiles);
        return env;
    }

    @Test
    void everyMissingSettingIsNamedBeforeAnythingStarts() {
        Map<String, Object> h2 = new HashMap<>();
        h2.put("spring.datasource.url", "jdbc:h2:file:./data/db/spie");
        assertThatThrownBy(() -> new ProductionSettingsCheck().postProcessEnvironment(
                environment(h2, "production"), new SpringApplication()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spring.datasource.url must be a PostgreSQL JDBC URL")
                .hasMessageContaining("'jdbc:h2:file:./data/db/spie'")
                .hasMessageContaining("spie.broker.url")
                .hasMessageContaining("spie.privacy.pseudonym-key")
                .hasMessageContaining("spie.ledger.keystore and spie.ledger.password");
    }

    @Test
    void completeSettingsPassAndOtherProfilesAreNotChecked() {
        StandardEnvironment complete = environment(COMPLETE, "production");
        new ProductionSettingsCheck().postProcessEnvironment(complete, new SpringApplication());
        StandardEnvironment demo = environment(Map.of(), "demo");
        new ProductionSettingsCheck().postProcessEnvironment(demo, new SpringApplication());
        assertThat(complete.getProperty("spie.broker.url")).isEqualTo("tcp://artemis:61616");
    }
}
