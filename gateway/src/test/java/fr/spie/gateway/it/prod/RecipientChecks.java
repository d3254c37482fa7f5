package fr.spie.gateway.it.prod;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a recipient (a WireMock server) received, against what the gateway recorded in PostgreSQL. */
final class RecipientChecks {
    private RecipientChecks() {
    }

    /**
     * Each of the {@code exchanges} reached the recipient under its own idempotency key, and every request the
     * recipient saw is an attempt the gateway recorded: a key seen twice is a retry (e.g. after an answer slower than
     * the delivery timeout) that the recipient deduplicates by its key, never a second, unaccounted delivery.
     */
    static void assertEachExchangeOnce(WireMockServer recipient, String recipientId, int exchanges, String jdbcUrl)
            throws SQLException {
        List<LoggedRequest> requests = recipient.findAll(postRequestedFor(anyUrl()));
        Map<String, Long> perKey = requests.stream()
                .collect(Collectors.groupingBy(r -> r.getHeader("Idempotency-Key"), Collectors.counting()));
        assertThat(perKey).as("idempotency keys seen by " + recipientId).hasSize(exchanges);
        try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(attempts), 0), count(*) FROM delivery "
                     + "WHERE status = 'DELIVERED' AND recipient = '" + recipientId + "'")) {
            rs.next();
            assertThat(rs.getLong(2)).as("deliveries to " + recipientId).isEqualTo(exchanges);
            assertThat(rs.getLong(1)).as("attempts recorded for " + recipientId).isEqualTo(requests.size());
        }
    }
}
