package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.delivery;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.status;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * A database restored without the broker's journal says some deliveries are PENDING on their queue when the queue no
 * longer holds them: nothing would ever deliver them. An admin queues them again (docs/operations.md, "Backup and
 * restore").
 */
class DeliveryRequeueTest extends RunningGatewayTest {
    private static final String PATH = "/api/v1/admin/deliveries/requeue";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    fr.spie.gateway.observability.LostDeliveryTasks lostTasks;

    @Test
    void pendingDeliveriesWhoseTasksTheBrokerLostAreDeliveredOnceAnAdminQueuesThemAgain() throws Exception {
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()),
                Duration.ofSeconds(20));
        // the database as a backup taken while the task was on its queue has it: pending, queued; the task is gone
        assertThat(jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0 WHERE exchange_id = ? "
                + "AND recipient = 'ft-51'", java.util.UUID.fromString(id))).isEqualTo(1);
        Thread.sleep(1500);
        assertThat(delivery(status(port, "cd-51", id), "ft-51").path("status").asString()).isEqualTo("PENDING");
        assertThat(requestsFor(id)).hasSize(1);
        // what the gateway says at start-up in that state
        assertThat(lostTasks.find()).containsEntry("ft-51", 1L);

        // only an admin, with a reason and a known recipient
        assertThat(call(token("cd-51"), "{\"recipient\":\"ft-51\",\"reason\":\"restore\"}").statusCode())
                .isEqualTo(403);
        for (String bad : new String[] {"{\"reason\":\"restore\"}", "{\"recipient\":\"ft-51\"}",
                "{\"recipient\":\"ft-51\",\"reason\":\"   \"}", "{\"recipient\":\"nobody\",\"reason\":\"restore\"}",
                "{\"recipient\":\"ft-51\",\"all\":true,\"reason\":\"restore\"}",
                "{\"recipient\":\"ft-51\",\"reason\":\"restore\",\"recipients\":[\"cd-51\"]}", "[]"}) {
            HttpResponse<String> refused = call(token("admin"), bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        assertThat(delivery(status(port, "cd-51", id), "ft-51").path("status").asString()).isEqualTo("PENDING");

        HttpResponse<String> done = call(token("admin"),
                "{\"recipient\":\"ft-51\",\"reason\":\"database restored from the 03:00 backup\"}");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(json(done).path("requeued").asInt()).isPositive();
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()),
                Duration.ofSeconds(20));
        assertThat(lostTasks.find()).doesNotContainKey("ft-51");
        List<LoggedRequest> requests = requestsFor(id);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getHeader("Idempotency-Key")).isEqualTo(requests.get(1).getHeader("Idempotency-Key"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'DELIVERIES_REQUEUED' "
                + "AND actor = 'test-admin' AND recipient = 'ft-51' AND detail LIKE '%queued again: database restored "
                + "from the 03:00 backup'", Long.class)).isEqualTo(1);
    }

    @Test
    void theCommandLineQueuesThemAgainThroughTheApi() throws Exception {
        ObjectNode envelope = example("orientation.ped-france-travail");
        String id = envelope.path("exchangeId").asString();
        assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()),
                Duration.ofSeconds(20));
        jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0 WHERE exchange_id = ? AND recipient = "
                + "'ft-51'", java.util.UUID.fromString(id));

        assertThat(cli("deliveries", "requeue", "--recipient", "ft-51").exit()).as("no reason").isEqualTo(2);
        assertThat(cli("deliveries", "requeue", "--recipient", "ft-51", "--all", "--reason", "r").exit())
                .as("both").isEqualTo(2);
        Run unknown = cli("deliveries", "requeue", "--recipient", "nobody", "--reason", "restore");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no partner 'nobody'");
        Run done = cli("deliveries", "requeue", "--recipient", "ft-51", "--reason", "restore of the 03:00 backup");
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.out()).containsPattern("[1-9][0-9]* pending deliver(y|ies) to ft-51 queued again");
        awaitStatus(port, "cd-51", id, s -> "DELIVERED".equals(delivery(s, "ft-51").path("status").asString()),
                Duration.ofSeconds(20));
        assertThat(requestsFor(id)).hasSize(2);
        assertThat(cli("deliveries", "--help").exit()).isZero();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run cli(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = fr.spie.gateway.cli.SpieCli.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        if (!all.contains("--help")) {
            all.addAll(List.of("--url", "http://127.0.0.1:" + port, "--token", token("admin")));
        }
        return new Run(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    private List<LoggedRequest> requestsFor(String id) {
        return FT_51.findAll(postRequestedFor(anyUrl()).withHeader("X-Spie-Exchange-Id", equalTo(id)));
    }

    private HttpResponse<String> call(String bearer, String body) {
        return post(port, PATH, bearer, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }
}
