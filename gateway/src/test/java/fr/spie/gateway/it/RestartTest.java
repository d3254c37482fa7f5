package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Accepted means durable: what was accepted but not yet delivered is delivered after the gateway restarts. */
class RestartTest {
    @RegisterExtension
    final TestRecipients recipients = new TestRecipients();
    private final WireMockServer cd = recipients.cd;
    private final WireMockServer ft = recipients.ft;
    private final WireMockServer ml = recipients.ml;
    private final Path data = GatewayTestSupport.tempDataDir();

    @Test
    void acceptedButUndeliveredExchangesAreDeliveredAfterTheGatewayRestarts() {
        ft.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        List<String> ids = new ArrayList<>();

        try (ConfigurableApplicationContext first = start()) {
            int port = port(first);
            for (int i = 0; i < 5; i++) {
                var envelope = example("orientation.ped-france-travail");
                // five different persons: their deliveries are not ordered after one another
                ((ObjectNode) envelope.path("subject")).put("nir", "282025110803" + i);
                ids.add(envelope.path("exchangeId").asString());
                assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
            }
            // the recipient's consumers are all busy retrying when the gateway stops
            await().atMost(Duration.ofSeconds(20)).until(() -> ft.findAll(postRequestedFor(anyUrl())).stream()
                    .map(r -> r.getHeader("X-Spie-Exchange-Id")).distinct().count() >= 4);
        }

        ft.resetAll();
        ft.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        try (ConfigurableApplicationContext second = start()) {
            int port = port(second);
            for (String id : ids) {
                awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(s.path("status").asString()),
                        Duration.ofSeconds(30));
                ft.verify(1, postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(id)));
            }
        }
    }

    /**
     * A recipient taken out of the routes while records wait for it, then a restart: no consumer is started for it
     * any more, so its waiting records are blocked at start-up, as they would have been at their next attempt had the
     * gateway gone on running (route-not-in-config), instead of staying pending for ever.
     */
    @Test
    void recordsWaitingForARecipientTheRoutesNoLongerDeliverToAreBlockedAfterARestart() throws Exception {
        ft.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        List<String> ids = new ArrayList<>();
        try (ConfigurableApplicationContext first = start()) {
            int port = port(first);
            for (int i = 0; i < 2; i++) {
                var envelope = example("orientation.ped-france-travail");
                ((ObjectNode) envelope.path("subject")).put("nir", "282025110805" + i);
                ids.add(envelope.path("exchangeId").asString());
                assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> ft.findAll(postRequestedFor(anyUrl())).stream()
                    .map(r -> r.getHeader("X-Spie-Exchange-Id")).distinct().count() >= 2);
        }

        Path config = withoutRoutesTo(GatewayTestSupport.tempDir("spie-config-without-ft"));
        ft.resetAll();
        ft.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        try (ConfigurableApplicationContext second = start(config)) {
            int port = port(second);
            for (String id : ids) {
                JsonNode status = awaitStatus(port, "cd-51", id,
                        s -> "BLOCKED".equals(delivery(s, "ft-51").path("status").asString()), Duration.ofSeconds(10));
                // the sender reads the rule; the admin the whole reason
                assertThat(delivery(status, "ft-51").path("blockRule").asString()).isEqualTo("route-not-in-config");
                assertThat(delivery(GatewayTestSupport.status(port, "admin", id), "ft-51").path("lastError")
                        .asString()).contains("no longer releases orientation from 'cd-51' to 'ft-51'");
            }
            assertThat(ft.findAll(postRequestedFor(anyUrl()))).isEmpty();
        }
    }

    /** The test configuration in {@code dir}, where no route delivers to ft-51 any more. */
    private static Path withoutRoutesTo(Path dir) throws java.io.IOException {
        for (String file : List.of("access.yaml", "partners.yaml")) {
            Files.copy(Path.of(GatewayTestSupport.TEST_CONFIG, file), dir.resolve(file));
        }
        String routes = Files.readString(Path.of(GatewayTestSupport.TEST_CONFIG, "routes.yaml"));
        String withoutFt = routes.replace("to: [ml-reims, ft-51]", "to: [ml-reims]");
        int from = withoutFt.indexOf("  - id: orientation-cd-to-ft");
        int to = withoutFt.indexOf("  - id: ", from + 1);
        withoutFt = withoutFt.substring(0, from) + withoutFt.substring(to);
        assertThat(withoutFt.lines().filter(l -> l.trim().startsWith("to:") && l.contains("ft-51")))
                .as("routes to ft-51").isEmpty();
        Files.writeString(dir.resolve("routes.yaml"), withoutFt);
        return dir;
    }

    private ConfigurableApplicationContext start() {
        return start(Path.of(GatewayTestSupport.TEST_CONFIG));
    }

    private ConfigurableApplicationContext start(Path configDir) {
        return new SpringApplicationBuilder(SpieGatewayMain.class).run(recipients.with(
                "--server.port=0",
                "--spie.data-dir=" + data,
                "--spie.config-dir=" + configDir,
                "--TEST_FT_MAX_ATTEMPTS=20",
                "--TEST_FT_BACKOFF=2s",
                "--TEST_FT_BACKOFF_MAX=2s"));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
