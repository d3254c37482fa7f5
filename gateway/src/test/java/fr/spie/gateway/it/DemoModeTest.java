package fr.spie.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.SpieGatewayMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The demo profile: the repository's config/, simulated Marne partners, exchanges delivered and audited. */
class DemoModeTest {

    @Test
    void theDemoExchangesEveryExampleThroughTheGatewayAndItsDocumentedCredentialsWork() {
        Path data = GatewayTestSupport.tempDataDir();
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=demo", "--server.port=0",
                "--spie.data-dir=" + data, "--spie.config-dir=../config", "--spie.demo.interval=0s", "--spie.tls.port=0"));
        for (String partner : List.of("CAF_51", "FT_51", "CD_51", "ML_REIMS", "MSA_51")) {
            args.add("--SPIE_DELIVERY_URL_" + partner + "=http://localhost:" + freePort() + "/spie/v1/records");
        }
        try (ConfigurableApplicationContext demo = new SpringApplicationBuilder(SpieGatewayMain.class)
                .run(args.toArray(String[]::new))) {
            JdbcTemplate jdbc = demo.getBean(JdbcTemplate.class);
            int port = Integer.parseInt(demo.getEnvironment().getProperty("local.server.port"));

            await().atMost(Duration.ofSeconds(60)).until(() -> count(jdbc, "SELECT COUNT(*) FROM exchange") >= 19
                    && count(jdbc, "SELECT COUNT(*) FROM delivery WHERE status <> 'DELIVERED'") == 0);

            // the nine routed record types, and the consent records the demo registers (not routed)
            assertThat(count(jdbc, "SELECT COUNT(DISTINCT record_type) FROM exchange")).isEqualTo(10);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM consent")).isEqualTo(2);
            assertThat(count(jdbc, "SELECT COUNT(DISTINCT recipient) FROM delivery")).isGreaterThanOrEqualTo(3);
            assertThat(count(jdbc, "SELECT COUNT(*) FROM audit_event WHERE event_type = 'DELIVERY_FAILED' "
                    + "AND recipient = 'ml-reims'")).as("the flaky mission locale shows retries").isPositive();
            assertThat(count(jdbc, "SELECT COUNT(*) FROM audit_event WHERE event_type = 'REJECTED'")).isZero();
            // the mTLS-only partners (ft-51, cd-51) submitted with the client certificates of the generated PKI
            assertThat(data.resolve("pki/clients/cd-51.p12")).isRegularFile();
            assertThat(count(jdbc, "SELECT COUNT(*) FROM exchange WHERE source_partner = 'cd-51'")).isPositive();
            assertThat(GatewayTestSupport.get(port, "/api/v1/audit/events", "demo-token-cd-51").statusCode())
                    .as("no demo token for an mTLS-only partner").isEqualTo(401);
            assertThat(GatewayTestSupport.get(port, "/api/v1/audit/events", "demo-token-auditor").statusCode())
                    .isEqualTo(200);
            String anExchange = jdbc.queryForObject("SELECT CAST(exchange_id AS VARCHAR) FROM exchange "
                    + "WHERE source_partner = 'caf-51' LIMIT 1", String.class);
            assertThat(GatewayTestSupport.get(port, "/api/v1/exchanges/" + anExchange, "demo-token-caf-51")
                    .statusCode()).isEqualTo(200);
            assertThat(GatewayTestSupport.get(port, "/api/v1/exchanges/" + anExchange, "demo-token-admin")
                    .statusCode()).isEqualTo(200);

            // the next rounds (one per spie.demo.interval) are accepted whole too: no 409 for a consent given again
            fr.spie.gateway.demo.DemoTraffic traffic = demo.getBean(fr.spie.gateway.demo.DemoTraffic.class);
            fr.spie.gateway.demo.DemoClients clients = new fr.spie.gateway.demo.DemoClients(
                    demo.getBean(fr.spie.gateway.routing.RoutingConfigHolder.class),
                    demo.getBean(fr.spie.gateway.demo.DemoPki.class).pki().layout(), port,
                    demo.getBean(fr.spie.gateway.tls.MutualTlsConnector.class).port());
            assertThat(traffic.round(clients)).hasSize(traffic.exampleCount());
            assertThat(count(jdbc, "SELECT COUNT(*) FROM audit_event WHERE event_type = 'REJECTED'")).isZero();
        }
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
