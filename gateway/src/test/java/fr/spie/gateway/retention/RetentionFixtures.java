package fr.spie.gateway.retention;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.it.GatewayTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Old exchanges written straight to the tables, and the test configuration with a route's own retention. */
final class RetentionFixtures {
    static final Map<String, String> ENV = Map.of("TEST_URL_CD_51", "http://localhost:1/x", "TEST_URL_FT_51",
            "http://localhost:1/x", "TEST_URL_ML_REIMS", "http://localhost:1/x");
    private static final String DIGEST = "0".repeat(64);

    private RetentionFixtures() {
    }

    /** The test configuration copied to {@code dir}, with {@code retention: <retention>} on route {@code routeId}. */
    static Path configWithRetention(Path dir, String routeId, String retention) throws IOException {
        for (String file : new String[] {"partners.yaml", "routes.yaml", "access.yaml"}) {
            Files.copy(Path.of(GatewayTestSupport.TEST_CONFIG, file), dir.resolve(file));
        }
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, Files.readString(routes).replace("  - id: " + routeId + "\n",
                "  - id: " + routeId + "\n    retention: " + retention + "\n"));
        return dir;
    }

    static GatewayConfig load(Path dir) {
        try {
            return new GatewayConfigLoader(RecordTypes.V1, ENV::get).load(dir);
        } catch (InvalidConfigException e) {
            throw new AssertionError(e.problems().toString(), e);
        }
    }

    /** Exchanges with their copy stored at {@code storedAt} and one delivered delivery per route, settled then. */
    static List<UUID> oldExchanges(JdbcTemplate jdbc, int count, Instant storedAt, Instant settledAt,
                                   String... routeIds) {
        List<UUID> ids = new ArrayList<>();
        List<Object[]> exchanges = new ArrayList<>();
        List<Object[]> copies = new ArrayList<>();
        List<Object[]> deliveries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            exchanges.add(new Object[] {id, Timestamp.from(storedAt)});
            copies.add(new Object[] {id, Timestamp.from(storedAt)});
            for (int r = 0; r < routeIds.length; r++) {
                deliveries.add(new Object[] {id, "recipient-" + r, routeIds[r], Timestamp.from(storedAt),
                        Timestamp.from(settledAt)});
            }
        }
        jdbc.batchUpdate("INSERT INTO exchange (exchange_id, source_partner, record_type, schema_version, purpose, "
                + "legal_basis_type, content_digest, payload_digest, config_version, received_at) "
                + "VALUES (?, 'retention-test', 'person', '1.0', 'test', 'legal-obligation', '" + DIGEST + "', '"
                + DIGEST + "', '" + DIGEST + "', ?)", exchanges);
        jdbc.batchUpdate("INSERT INTO exchange_payload (exchange_id, envelope, stored_at) VALUES (?, '{}', ?)", copies);
        jdbc.batchUpdate("INSERT INTO delivery (exchange_id, recipient, route_id, status, enqueued, created_at, "
                + "updated_at) VALUES (?, ?, ?, 'DELIVERED', TRUE, ?, ?)", deliveries);
        return ids;
    }

    static long copies(JdbcTemplate jdbc, List<UUID> ids) {
        return ids.stream().mapToLong(id -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM exchange_payload WHERE exchange_id = ?", Long.class, id)).sum();
    }

    static void deleteExchanges(JdbcTemplate jdbc, List<UUID> ids) {
        for (String table : new String[] {"exchange_payload", "delivery", "exchange"}) {
            jdbc.batchUpdate("DELETE FROM " + table + " WHERE exchange_id = ?",
                    ids.stream().map(id -> new Object[] {id}).toList());
        }
    }
}
