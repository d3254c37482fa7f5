package fr.spie.gateway.audit;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.cluster.LeaderElection;
import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.db.LedgerWriter;
import fr.spie.gateway.lifecycle.LedgerStartupCheck;
import fr.spie.gateway.lifecycle.StartupRefusal;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Wires the framework-free ledger ({@code fr.spie.gateway.ledger}) into the gateway: the signing key, the single
 * {@link LedgerWriter} thread (started after the database is migrated, stopped on shutdown), its health indicator
 * {@code ledger} and the gauges {@code spie.ledger.size} and {@code spie.ledger.lag}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LedgerSettings.class)
public class LedgerConfiguration {
    private static final Logger log = LoggerFactory.getLogger(LedgerConfiguration.class);

    /** The public key file written next to the keystore for the CLI's {@code audit export-full}. */
    public static final String PUBLIC_KEY_FILE = "ledger-public-key.pem";

    @Bean
    GatewayKeys ledgerKeys(SpieProperties spie, LedgerSettings settings) {
        Path keys = spie.dataPath().resolve("keys");
        boolean embedded = settings.keystore() == null;
        Path keystore = embedded ? keys.resolve("ledger.p12") : settings.keystore();
        char[] password;
        if (settings.password() != null && !settings.password().isBlank()) {
            password = settings.password().toCharArray();
        } else if (embedded) {
            password = readOrCreatePassword(keys.resolve("ledger.p12.password"));
        } else {
            throw new StartupRefusal("spie.ledger.password is required with spie.ledger.keystore ("
                    + keystore + "), the gateway refuses to start",
                    "Set spie.ledger.password (SPIE_LEDGER_PASSWORD) to the keystore's password.");
        }
        boolean existed = Files.exists(keystore);
        GatewayKeys k;
        try {
            k = GatewayKeys.loadOrGenerate(keystore, password, settings.alias(), embedded);
        } catch (RuntimeException e) {
            throw new StartupRefusal("Cannot open the ledger signing key " + keystore.toAbsolutePath() + " (alias '"
                    + settings.alias() + "'): " + rootReason(e) + "; the gateway refuses to start",
                    "Check spie.ledger.keystore, spie.ledger.password and spie.ledger.alias (a wrong password reads "
                            + "'mac invalid'); with the default keystore, <data-dir>/keys/ledger.p12.password must be "
                            + "the one created with it. Never replace the key of an existing ledger: its signed heads "
                            + "would no longer verify (docs/audit.md, Key rotation).", e);
        }
        if (!existed) {
            log.info("Created the ledger signing key {} (key id {}); keep it and back it up", keystore, k.keyId());
        }
        try {
            Files.createDirectories(keys);
            Files.writeString(keys.resolve(PUBLIC_KEY_FILE), k.publicKeyPem());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ledger public key under " + keys, e);
        }
        return k;
    }

    /** The messages of the causes, outermost first, without repeats: "cannot read ...: ... mac invalid". */
    private static String rootReason(Throwable e) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof java.nio.file.NoSuchFileException ? "no such file " + t.getMessage()
                    : t.getMessage();
            if (m != null && !m.isBlank() && reason.indexOf(m) < 0) {
                reason.append(reason.isEmpty() ? "" : ": ").append(m);
            }
        }
        return reason.isEmpty() ? e.getClass().getSimpleName() : reason.toString();
    }

    private static char[] readOrCreatePassword(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim().toCharArray();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, pw);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return pw.toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    @Bean
    LedgerDb ledgerDb(JdbcTemplate jdbc) {
        return new LedgerDb(jdbc.getDataSource());
    }

    @Bean(destroyMethod = "")
    LedgerWriter ledgerWriter(LedgerDb db, GatewayKeys keys, SpieProperties spie, LedgerSettings s) {
        return new LedgerWriter(db, spie.dataPath().resolve("ledger").resolve("leaves.bin"), new TreeHeadSigner(keys),
                new LedgerWriter.Settings(s.batchSize(), s.headEveryEvents(), s.headEvery(), s.pollInterval(),
                        s.holeGrace(), s.acceptRewindTo()),
                Clock.systemUTC());
    }

    /**
     * Opens (reconciles) and starts the writer on the leader instance, once the context is up (alone on H2, elected
     * among the instances on PostgreSQL, see {@link LeaderElection}); stops it when the instance stops leading or
     * before the database goes. A new leader's {@code open()} re-derives its leaf file from the database.
     */
    @Bean
    @Order(1)
    LeaderElection.LeaderTask ledgerWriterTask(LedgerWriter writer, LedgerStartupCheck verifiedFirst) {
        return new LeaderElection.LeaderTask() {
            @Override
            public void lead() {
                // the start-up check opened and verified the ledger; a leader (again) re-reads the database's state
                if (writer.isOpen()) {
                    writer.close();
                }
                writer.open();
                writer.start();
                log.info("Ledger writer started at {} leaves ({})", writer.size(), writer.leafFile());
            }

            @Override
            public void standDown() {
                writer.close();
            }
        };
    }

    @Bean
    HealthIndicator ledgerHealthIndicator(LedgerWriter writer, LedgerDb db, LedgerSettings settings, LedgerTsa tsa,
                                          LeaderElection election, GatewayKeys keys) {
        return new LedgerHealthIndicator(writer, db, settings, tsa, election, keys);
    }

    @Bean
    MeterBinder ledgerMetrics(LedgerWriter writer, LedgerDb db) {
        return new LedgerMetrics(writer, db, Clock.systemUTC());
    }

    /** The ledger's public key is public: {@code GET /api/v1/gateway/ledger-key} needs no credential. */
    @Bean
    @Order(0)
    SecurityFilterChain ledgerKeyChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/v1/gateway/ledger-key")
                .csrf(c -> c.disable())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }
}
