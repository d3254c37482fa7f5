package fr.spie.gateway.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.it.TestRecipients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway stopped while deliveries are under way (docs/operations.md, "Graceful shutdown", step 4): their tasks go
 * back to their queue, the stop says so in a line (no ERROR, no stack trace, no forced stop after the routes' shutdown
 * timeout), and after the restart they are settled.
 */
@ExtendWith(OutputCaptureExtension.class)
class StopWhileDeliveringTest {
    private static final String[] SLOW_RETRIES = {"--TEST_FT_MAX_ATTEMPTS=20", "--TEST_FT_BACKOFF=20s",
            "--TEST_FT_BACKOFF_MAX=20s"};
    @RegisterExtension
    final TestRecipients recipients = new TestRecipients();
    private final WireMockServer cd = recipients.cd;
    private final WireMockServer ft = recipients.ft;
    private final WireMockServer ml = recipients.ml;
    private final Path data = GatewayTestSupport.tempDataDir();

    @Test
    void aRecordRefusedForGoodWhileTheGatewayStopsGoesBackToItsQueueQuietlyAndIsDeadLetteredAfterTheRestart(
            CapturedOutput output) {
        ft.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404).withFixedDelay(2000)));
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();
        int stopStartsAt;
        try (ConfigurableApplicationContext first = start()) {
            assertThat(submit(port(first), "cd-51", envelope).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(15)).until(() -> !ft.findAll(postRequestedFor(anyUrl())).isEmpty());
            stopStartsAt = output.getAll().length();
        }   // the 404 comes back while the gateway stops
        String stop = output.getAll().substring(stopStartsAt);
        assertThat(stop).doesNotContain("FatalFallbackErrorHandler")
                .doesNotContain("Exception occurred while trying to handle previously thrown exception")
                .doesNotContainPattern("\\n\\s+at [a-z]+\\.");

        try (ConfigurableApplicationContext second = start()) {
            var status = awaitStatus(port(second), "cd-51", id,
                    s -> "DEAD_LETTERED".equals(delivery(s, "ft-51").path("status").asString()),
                    Duration.ofSeconds(20));
            assertThat(delivery(status, "ft-51").path("lastError").asString()).contains("404");
        }
    }

    @Test
    void consumersWaitingBetweenRetriesGiveTheirTasksBackAtOnceWhenTheGatewayStops(CapturedOutput output) {
        ft.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        List<String> ids = new ArrayList<>();
        int stopStartsAt;
        long stopMillis;
        try (ConfigurableApplicationContext first = start(SLOW_RETRIES)) {
            for (int i = 0; i < 3; i++) {
                ObjectNode envelope = example("orientation.ped-france-travail");
                ((ObjectNode) envelope.path("subject")).put("nir", "282025110806" + i);
                ids.add(envelope.path("exchangeId").asString());
                assertThat(submit(port(first), "cd-51", envelope).statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> ft.findAll(postRequestedFor(anyUrl())).size() >= 3);
            stopStartsAt = output.getAll().length();
            long t0 = System.nanoTime();
            first.close();
            stopMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        String stop = output.getAll().substring(stopStartsAt);
        assertThat(stop).doesNotContain(" ERROR ").doesNotContain("Forced stopped");
        assertThat(stopMillis).as("the stop waited for the retrying consumers").isLessThan(12_000);

        ft.resetAll();
        ft.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        try (ConfigurableApplicationContext second = start(SLOW_RETRIES)) {
            for (String id : ids) {
                awaitStatus(port(second), "cd-51", id,
                        s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()), Duration.ofSeconds(30));
            }
        }
    }

    private ConfigurableApplicationContext start(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spie.data-dir=" + data,
                "--spie.config-dir=" + GatewayTestSupport.TEST_CONFIG,
                "--spie.shutdown.intake-drain=0s"));
        args.addAll(recipients.urlArguments());
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(SpieGatewayMain.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
