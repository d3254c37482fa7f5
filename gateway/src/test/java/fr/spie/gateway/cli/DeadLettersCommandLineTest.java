package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code dead-letters} command-line mistakes, without a gateway: exit 2 for the command line, 3 when unreachable. */
class DeadLettersCommandLineTest {

    @Test
    void aUrlWithoutItsSchemeIsACommandLineMistakeNotAnUnreachableGateway() {
        SpieCliTest.Run run = SpieCliTest.run("dead-letters", "list", "--url", "localhost:8080", "--token", "t");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("--url must be an http:// or https:// URL", "'localhost:8080'");
        assertThat(SpieCliTest.run("dead-letters", "replay", "--recipient", "ml-reims", "--all", "--url",
                "ftp://gateway", "--token", "t").exitCode()).isEqualTo(2);
    }

    @Test
    void aRefusedConnectionSaysSoAndHowToPointAtTheGateway() throws IOException {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }

        SpieCliTest.Run run = SpieCliTest.run("dead-letters", "list", "--url", "http://127.0.0.1:" + freePort,
                "--token", "t");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("cannot reach the gateway at http://127.0.0.1:" + freePort
                + ": connection refused", "--url", "SPIE_GATEWAY_URL");
    }
}
