package fr.spie.gateway.it.prod;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.cluster.LeaderElection;
import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.ledger.GatewayKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One gateway instance in the production profile (PostgreSQL + external Artemis), started and stopped by the test
 * itself so that it stops before the servers it uses. Instances of one {@link Cluster} share the database, the
 * broker and the keys, each with its own data directory, like the replicas of docs/operations.md.
 */
public final class ProductionGateway implements AutoCloseable {
    private final ConfigurableApplicationContext context;

    private ProductionGateway(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** What the instances of one deployment share. */
    public record Cluster(String jdbcUrl, String brokerUrl, String pseudonymKey, Path keystore, String keystorePassword,
                          Map<String, String> recipients) {

        /** A fresh key pair and pseudonym key, and the recipients' URLs for the test configuration. */
        public static Cluster create(String jdbcUrl, ArtemisServer broker, WireMockServer cd51, WireMockServer ft51,
                                     WireMockServer mlReims) {
            return withRecipients(jdbcUrl, broker, Map.of("TEST_URL_CD_51", cd51.baseUrl() + "/spie/records",
                    "TEST_URL_FT_51", ft51.baseUrl() + "/spie/records",
                    "TEST_URL_ML_REIMS", mlReims.baseUrl() + "/spie/records"));
        }

        /** A fresh key pair and pseudonym key; {@code recipients} are the placeholders of the recipients' URLs. */
        public static Cluster withRecipients(String jdbcUrl, ArtemisServer broker, Map<String, String> recipients) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path keys = PostgresServer.newDirectory("keys");
            Path keystore = keys.resolve("ledger.p12");
            String password = Base64.getUrlEncoder().encodeToString(key).substring(0, 20);
            GatewayKeys.loadOrGenerate(keystore, password.toCharArray(), "ledger", true);
            return new Cluster(jdbcUrl, broker.url(), Base64.getEncoder().encodeToString(key), keystore, password,
                    Map.copyOf(recipients));
        }
    }

    /** Starts an instance with its own data directory; {@code extra} settings override the defaults. */
    public static ProductionGateway start(Cluster cluster, Map<String, String> extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("spie.data-dir", PostgresServer.newDirectory("gateway-data").toString());
        p.put("spie.config-dir", GatewayTestSupport.TEST_CONFIG);
        p.put("spring.datasource.url", cluster.jdbcUrl());
        p.put("spring.datasource.username", PostgresServer.USER);
        p.put("spring.datasource.password", "");
        p.put("spie.broker.url", cluster.brokerUrl());
        p.put("spie.broker.user", ArtemisServer.USER);
        p.put("spie.broker.password", ArtemisServer.PASSWORD);
        p.put("spie.privacy.pseudonym-key", cluster.pseudonymKey());
        p.put("spie.ledger.keystore", cluster.keystore().toString());
        p.put("spie.ledger.password", cluster.keystorePassword());
        p.put("spie.ledger.head-every", "300ms");
        p.put("spie.cluster.leader-check-interval", "500ms");
        p.putAll(cluster.recipients());
        p.putAll(extra);
        // as command-line arguments: they must win over application-production.yml, like an operator's settings
        String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SpieGatewayMain.class)
                .profiles("production").run(args);
        return new ProductionGateway(context);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public boolean isLeader() {
        return context.getBean(LeaderElection.class).isLeader();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public Path dataDir() {
        return Path.of(context.getEnvironment().getRequiredProperty("spie.data-dir"));
    }

    @Override
    public void close() {
        context.close();
    }
}
