package fr.spie.gateway.it.prod;

import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.cli.SpieCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import picocli.CommandLine;

/** The ledger of a production deployment: complete, and verified offline from a full export. */
final class LedgerChecks {
    private LedgerChecks() {
    }

    /**
     * Waits until a signed tree head covers every audit row, then downloads the full export from the instance at
     * {@code port} and runs {@code audit verify} on it with the gateway's published key: every entry, every proof and
     * every signature.
     */
    static void assertCompleteAndVerifies(String jdbcUrl, int port, Duration wait) throws Exception {
        await().atMost(wait).pollInterval(Duration.ofMillis(250)).until(() ->
                count(jdbcUrl, "SELECT coalesce(max(tree_size), 0) FROM tree_head")
                        == count(jdbcUrl, "SELECT count(*) FROM audit_event"));
        Path work = PostgresServer.newDirectory("export");
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/audit/export/full"))
                .header("Authorization", "Bearer " + token("auditor")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        Path zipFile = Files.write(work.resolve("full.zip"), zip.body());
        Path key = Files.writeString(work.resolve("ledger-key.pem"), get(port, "/api/v1/gateway/ledger-key", null)
                .body());
        CommandLine cli = SpieCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("audit", "verify", zipFile.toString(), "--public-key", key.toString());
        assertThat(code).as(out.toString()).isZero();
    }

    /** Rows of a query, each as its columns joined by spaces: for failure messages. */
    static String rows(String jdbcUrl, String sql) {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    out.append(i == 1 ? "" : " ").append(rs.getString(i));
                }
                out.append('\n');
            }
        } catch (SQLException e) {
            out.append(e);
        }
        return out.toString();
    }

    static long count(String jdbcUrl, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, PostgresServer.USER, "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
