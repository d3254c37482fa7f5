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
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

/**
 * A record the recipient refuses for good while the gateway stops: the task goes back to its queue (docs/operations.md,
 * "Graceful shutdown", step 4) and is dead-lettered after the restart, and the stop says so in one line, not as an
 * ERROR with two stack traces ("Exception occurred while trying to handle previously thrown exception").
 */
@ExtendWith(OutputCaptureExtension.class)
class StopDuringDeadLetterTest {
    private final WireMockServer cd = GatewayTestSupport.startRecipient();
    private final WireMockServer ft = GatewayTestSupport.startRecipient();
    private final WireMockServer ml = GatewayTestSupport.startRecipient();
    private final Path data = GatewayTestSupport.tempDataDir();

    @AfterEach
    void stopRecipients() {
        cd.stop();
        ft.stop();
        ml.stop();
    }

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

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SpieGatewayMain.class).run(
                "--server.port=0",
                "--spie.data-dir=" + data,
                "--spie.config-dir=" + GatewayTestSupport.TEST_CONFIG,
                "--spie.shutdown.intake-drain=0s",
                "--TEST_URL_CD_51=" + cd.baseUrl() + "/spie",
                "--TEST_URL_FT_51=" + ft.baseUrl() + "/spie",
                "--TEST_URL_ML_REIMS=" + ml.baseUrl() + "/spie");
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
