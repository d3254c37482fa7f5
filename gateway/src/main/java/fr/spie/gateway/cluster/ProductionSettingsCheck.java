package fr.spie.gateway.cluster;

import fr.spie.gateway.lifecycle.StartupRefusal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Under the {@code production} profile, refuses to start before anything is created unless the settings that make
 * instances share their state are given: a PostgreSQL data source, an external broker, and the pseudonym and ledger
 * keys (which must be the same on every instance). Each missing setting is named with what it should hold.
 */
public class ProductionSettingsCheck implements EnvironmentPostProcessor {
    public static final String PROFILE = "production";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.matchesProfiles(PROFILE)) {
            return;
        }
        List<String> problems = new ArrayList<>();
        String url = env.getProperty("spring.datasource.url", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            problems.add("spring.datasource.url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), was '"
                    + url + "'");
        }
        if (env.getProperty("spie.broker.url", "").isBlank()) {
            problems.add("spie.broker.url must name the external Artemis broker (e.g. tcp://artemis:61616)");
        }
        if (env.getProperty("spie.privacy.pseudonym-key", "").isBlank()) {
            problems.add("spie.privacy.pseudonym-key must be set (base64, the same on every instance)");
        }
        if (env.getProperty("spie.ledger.keystore", "").isBlank()
                || env.getProperty("spie.ledger.password", "").isBlank()) {
            problems.add("spie.ledger.keystore and spie.ledger.password must name the ledger signing key "
                    + "(the same PKCS#12 file on every instance)");
        }
        if (!problems.isEmpty()) {
            throw new StartupRefusal("The production profile needs these settings, the gateway refuses to start:\n  "
                    + String.join("\n  ", problems),
                    "Set each of them as an environment variable (spie.broker.url: SPIE_BROKER_URL) or as "
                            + "--name=value (docs/operations.md, Settings).");
        }
    }
}
