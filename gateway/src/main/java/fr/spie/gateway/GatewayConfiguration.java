package fr.spie.gateway;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.schema.SpieSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the framework-free parts of the gateway: schemas, routing configuration, pseudonyms. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SpieProperties.class)
public class GatewayConfiguration {
    private static final Logger log = LoggerFactory.getLogger(GatewayConfiguration.class);

    @Bean
    SpieSchemas spieSchemas() {
        return SpieSchemas.load();
    }

    /** Loads and checks config/ at start-up: an invalid file stops the start with file, line, column and reason. */
    @Bean
    RoutingConfigHolder routingConfigHolder(SpieSchemas schemas, SpieProperties properties, Environment env) {
        GatewayConfigLoader loader = new GatewayConfigLoader(schemas.recordTypes(), env::getProperty);
        try {
            GatewayConfig config = loader.load(properties.configPath());
            log.info("Routing configuration {} loaded from {}: {} partners, {} routes (version {})",
                    properties.configPath(), properties.configPath().toAbsolutePath(), config.partners().size(),
                    config.routes().size(), config.version().substring(0, 12));
            return new RoutingConfigHolder(config);
        } catch (InvalidConfigException e) {
            String problems = e.problems().stream().map(Object::toString).collect(Collectors.joining("\n  "));
            throw new IllegalStateException("Invalid routing configuration in " + properties.configPath()
                    .toAbsolutePath() + ":\n  " + problems, e);
        }
    }

    @Bean
    Pseudonymizer pseudonymizer(SpieProperties properties) {
        String configured = properties.privacy().pseudonymKey();
        if (configured != null && !configured.isBlank()) {
            return new Pseudonymizer(Base64.getDecoder().decode(configured.trim()));
        }
        return new Pseudonymizer(readOrCreateKey(properties.resolvedKeyFile()));
    }

    /** The embedded default: a random 256-bit key created on first start and kept under the data directory. */
    private static byte[] readOrCreateKey(Path file) {
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).trim());
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            log.info("Created the pseudonym key {} (keep it secret and back it up)", file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the pseudonym key " + file, e);
        }
    }
}
