package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.cli.SpieCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.node.ObjectNode;

/** {@code spie-gateway dead-letters list|replay|discard} against the running gateway. */
class DeadLettersCommandTest extends RunningGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private record Run(int exit, String out, String err) {
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SpieCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String[] withGateway(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = "http://127.0.0.1:" + port;
        all[args.length + 2] = "--token";
        all[args.length + 3] = token("admin");
        return all;
    }

    @Test
    void listReplayAndDiscardFromTheCommandLine() {
        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(422)));
        String first = deadLetter();
        String second = deadLetter();

        Run list = cli(withGateway("dead-letters", "list", "--recipient", "ml-reims", "--limit", "500"));
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("EXCHANGE ID", first, second, "HTTP 422").containsPattern("\\d+ of \\d+ dead");

        ML_REIMS.resetAll();
        ML_REIMS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        Run replay = cli(withGateway("dead-letters", "replay", "--recipient", "ml-reims", "--exchange-id", first));
        assertThat(replay.exit()).as(replay.err() + replay.out()).isZero();
        assertThat(replay.out()).contains("REPLAYED", first, "1 dead letter(s): 1 replayed");
        awaitStatus(port, "caf-51", first, s -> "DELIVERED".equals(delivery(s, "ml-reims").path("status")
                .asString()), WAIT);

        Run discard = cli(withGateway("dead-letters", "discard", "--recipient", "ml-reims", "--exchange-id",
                second + "," + first, "--reason", "superseded"));
        assertThat(discard.exit()).as("one was not a dead letter any more").isEqualTo(1);
        assertThat(discard.out()).contains("DISCARDED", second, "SKIPPED", first);
    }

    @Test
    void badCommandLinesAndAnUnreachableGatewayHaveTheirExitCodes() {
        assertThat(cli("dead-letters", "--help").out()).contains("list", "replay", "discard");
        assertThat(cli("dead-letters", "replay", "--help").out()).contains("--exchange-id", "--all", "--url",
                "--token");
        // discard without a reason, replay without a selection, or with both
        assertThat(cli(withGateway("dead-letters", "discard", "--recipient", "ml-reims", "--all")).exit())
                .isEqualTo(2);
        assertThat(cli(withGateway("dead-letters", "replay", "--recipient", "ml-reims")).exit()).isEqualTo(2);
        assertThat(cli(withGateway("dead-letters", "replay", "--recipient", "ml-reims", "--all", "--exchange-id",
                UUID.randomUUID().toString())).exit()).isEqualTo(2);
        // a token that is not an admin's: the gateway refuses
        Run partner = cli("dead-letters", "list", "--url", "http://127.0.0.1:" + port, "--token", token("caf-51"));
        assertThat(partner.exit()).isEqualTo(1);
        assertThat(partner.err()).contains("HTTP 403");
        Run down = cli("dead-letters", "list", "--url", "http://127.0.0.1:1", "--token", "x");
        assertThat(down.exit()).isEqualTo(3);
        assertThat(down.err()).contains("cannot reach the gateway");
    }

    private String deadLetter() {
        ObjectNode envelope = example("person.applicant-with-nir");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "caf-51", id, s -> "DEAD_LETTERED".equals(s.path("status").asString()), WAIT);
        return id;
    }
}
