package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code files} command-line mistakes, without a gateway: exit 2 for the command line, 3 when unreachable. */
class FilesCommandLineTest {

    @Test
    void theCommandsSayWhatTheyDoAndAreRegistered() {
        SpieCliTest.Run help = SpieCliTest.run("files", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("list", "show", "quarantine", "SPIE_GATEWAY_URL and SPIE_ADMIN_TOKEN",
                "Exit codes");
        assertThat(SpieCliTest.run("files", "list", "--help").out()).contains("--partner", "--status", "--since",
                "--until", "--limit", "--after", "--all", "--json", "--url", "--token");
        assertThat(SpieCliTest.run("files", "quarantine", "--help").out()).contains("--reason", "FILE-ID",
                "audit trail");
        // GET /api/v1/files/{id} is for the sending partner and admins only (auditors: 403, docs/security.md)
        String token = SpieCliTest.run("files", "show", "--help").out().replaceAll("\\s+", " ");
        assertThat(token).contains("files list also takes an auditor's or a partner's")
                .contains("files show a partner's (the files it sent)").doesNotContain("files show also take an auditor");
        assertThat(SpieCli.commandNames()).contains("files");
        assertThat(SpieCliTest.run("--help").out()).contains("files");
        assertThat(SpieCliTest.run("files").exitCode()).as("a command is required").isEqualTo(2);
    }

    @Test
    void aMissingReasonOrFileIdABadFileIdOrUrlIsACommandLineMistake() {
        String id = UUID.randomUUID().toString();
        assertThat(SpieCliTest.run("files", "quarantine", id, "--url", "http://127.0.0.1:1", "--token", "t")
                .exitCode()).as("no --reason").isEqualTo(2);
        assertThat(SpieCliTest.run("files", "show", "--url", "http://127.0.0.1:1", "--token", "t").exitCode())
                .as("no FILE-ID").isEqualTo(2);
        SpieCliTest.Run notAnId = SpieCliTest.run("files", "show", "../admin/config", "--url", "http://127.0.0.1:1",
                "--token", "t");
        assertThat(notAnId.exitCode()).isEqualTo(2);
        assertThat(notAnId.err()).contains("FILE-ID must be a file's id");
        SpieCliTest.Run url = SpieCliTest.run("files", "list", "--url", "localhost:8080", "--token", "t");
        assertThat(url.exitCode()).isEqualTo(2);
        assertThat(url.err()).contains("--url must be an http:// or https:// URL");
    }

    @Test
    void aRefusedConnectionSaysSoAndHowToPointAtTheGateway() throws IOException {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        for (String[] command : new String[][] {{"files", "list"}, {"files", "show", UUID.randomUUID().toString()},
                {"files", "quarantine", UUID.randomUUID().toString(), "--reason", "ticket OPS-1"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
                    java.util.stream.Stream.of("--url", "http://127.0.0.1:" + freePort, "--token", "t"))
                    .toArray(String[]::new);
            SpieCliTest.Run run = SpieCliTest.run(args);
            assertThat(run.exitCode()).as(String.join(" ", command)).isEqualTo(3);
            assertThat(run.err()).contains("cannot reach the gateway at http://127.0.0.1:" + freePort
                    + ": connection refused", "SPIE_GATEWAY_URL");
        }
    }
}
