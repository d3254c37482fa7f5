package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A --url that reaches something other than the gateway's API (another web server, or the gateway under a path such
 * as /api/v1 copied from an API address): the commands say to check --url, not only the HTTP status.
 */
class WrongGatewayUrlTest {
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            int status;
            if (path.startsWith("/web/")) {
                // a web server that is not the gateway
                status = 404;
                body = "<html><body>Not Found</body></html>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html");
            } else if (path.startsWith("/empty/")) {
                status = 404;
                body = new byte[0];
            } else {
                // the gateway answers a path it does not serve as it answers a role that may not use it
                status = 403;
                body = ("{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"your role may not use GET " + path
                        + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Before: "the gateway answered HTTP 404 without JSON", and "the gateway refused: HTTP 404 " for no body. */
    @Test
    void anAnswerThatIsNotTheGatewaysSaysToCheckTheUrl() {
        SpieCliTest.Run web = SpieCliTest.run("files", "list", "--url", base + "/web", "--token", "t");
        SpieCliTest.Run empty = SpieCliTest.run("dead-letters", "list", "--url", base + "/empty", "--token", "t");

        assertThat(web.exitCode()).isEqualTo(1);
        assertThat(web.err()).contains("the gateway answered HTTP 404 without JSON: is " + base + "/web the gateway? "
                + "--url (or SPIE_GATEWAY_URL) takes the gateway's address, e.g. http://localhost:8080");
        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(empty.err()).contains("the gateway answered HTTP 404 without JSON: is " + base + "/empty the "
                + "gateway?");
    }

    /** Before: only "your role may not use GET /api/v1/api/v1/files": the operator looked for a token problem. */
    @Test
    void aUrlWithTheApisPathSaysSoBesidesTheRefusal() {
        SpieCliTest.Run run = SpieCliTest.run("files", "list", "--url", base + "/api/v1", "--token", "t");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("the gateway refused: HTTP 403 Forbidden: your role may not use GET "
                + "/api/v1/api/v1/files", "note: --url " + base + "/api/v1 has a path, /api/v1, before the API's "
                + "/api/v1/...: unless the gateway is served under that path, --url (or SPIE_GATEWAY_URL) takes the "
                + "gateway's address");
        SpieCliTest.Run atTheRoot = SpieCliTest.run("files", "list", "--url", base + "/", "--token", "t");
        assertThat(atTheRoot.err()).contains("HTTP 403").doesNotContain("has a path");
    }
}
