package fr.spie.gateway;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.lifecycle.StartupRefusal;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.schema.SpieSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
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
        GatewayConfigLoader loader = new GatewayConfigLoader(schemas.recordTypes(), PlaceholderVariables.of(env));
        try {
            GatewayConfig config = loader.load(properties.configPath());
            log.info("Routing configuration {} loaded from {}: {} partners, {} routes (version {})",
                    properties.configPath(), properties.configPath().toAbsolutePath(), config.partners().size(),
                    config.routes().size(), config.version().substring(0, 12));
            return new RoutingConfigHolder(config);
        } catch (InvalidConfigException e) {
            String problems = e.problems().stream().map(Object::toString).collect(Collectors.joining("\n  "));
            throw new StartupRefusal("Invalid routing configuration in " + properties.configPath().toAbsolutePath()
                    + " (spie.config-dir), the gateway refuses to start:\n  " + problems,
                    "Fix these problems (each is file:line:column: reason; config/README.md documents every key) and "
                            + "check the directory with 'java -jar spie-gateway.jar config check "
                            + properties.configPath() + "', or point spie.config-dir (SPIE_CONFIG_DIR) at the "
                            + "directory that holds partners.yaml and routes.yaml.", e);
        }
    }

    @Bean
    Pseudonymizer pseudonymizer(SpieProperties properties) {
        String configured = properties.privacy().pseudonymKey();
        if (configured != null && !configured.isBlank()) {
            return pseudonymizer(() -> Base64.getDecoder().decode(configured.trim()), "spie.privacy.pseudonym-key");
        }
        Path file = properties.resolvedKeyFile();
        return pseudonymizer(() -> readOrCreateKey(file), "the pseudonym key file " + file);
    }

    /** A key that is not base64 or too short is a start-up refusal naming where it came from (never its value). */
    private static Pseudonymizer pseudonymizer(Supplier<byte[]> key, String source) {
        try {
            return new Pseudonymizer(key.get());
        } catch (IllegalArgumentException e) {
            throw new StartupRefusal("The pseudonym key in " + source + " is not usable (" + e.getMessage()
                    + "), the gateway refuses to start",
                    "Give the base64 of at least 32 random bytes (openssl rand -base64 32), or rather the key already "
                            + "in use if there is one: another key gives every person other pseudonyms "
                            + "(docs/security.md, Key and secret rotation).", e);
        }
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
            throw new StartupRefusal("Cannot read or create the pseudonym key " + file + ": "
                    + IoErrorText.of(e) + ", the gateway refuses to start",
                    "Give the gateway's user write access to the data directory (spie.data-dir), or set "
                            + "spie.privacy.key-file or spie.privacy.pseudonym-key.", e);
        }
    }
}
