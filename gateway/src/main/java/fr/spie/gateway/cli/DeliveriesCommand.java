package fr.spie.gateway.cli;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code spie-gateway deliveries requeue}: queues again the pending deliveries whose tasks the broker lost, through
 * the running gateway's API ({@code POST /api/v1/admin/deliveries/requeue}; docs/operations.md, Backup and restore).
 */
@Command(name = "deliveries", mixinStandardHelpOptions = true,
        description = {"Queue again the pending deliveries whose tasks the broker no longer holds (a database restored "
                + "without the broker's journal: docs/operations.md, \"Backup and restore\"), through the running "
                + "gateway's API. Admin only; audited as DELIVERIES_REQUEUED with the admin as actor.", "",
                "Reads no configuration, data directory or gateway setting: only --url and --token, else the "
                        + "environment variables SPIE_GATEWAY_URL and SPIE_ADMIN_TOKEN."},
        subcommands = {DeliveriesCommand.Requeue.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the gateway refused the request", "2:invalid command line",
                "3:the gateway could not be reached"})
public final class DeliveriesCommand extends CommandGroup {
    @Command(name = "requeue", mixinStandardHelpOptions = true,
            description = {"Give every delivery that is PENDING and marked queued a new task (of one recipient, or of "
                    + "all). A task still on its queue is then there twice: the second finds the delivery settled "
                    + "and is dropped; a record delivered since the backup is sent again with its Idempotency-Key. "
                    + "The gateway says at start-up which recipients need it (WARN 'the queue of ... holds ... "
                    + "fewer')."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:queued again (the count is printed)", "1:the gateway refused (unknown recipient, "
                    + "reason missing or too long, not an admin)", "2:invalid command line",
                    "3:the gateway could not be reached"})
    static final class Requeue extends AdminApiCommand {
        @ArgGroup(multiplicity = "1")
        Which which;

        static final class Which {
            @Option(names = "--recipient", paramLabel = "PARTNER", required = true,
                    description = "the recipient whose pending deliveries to queue again")
            String recipient;

            @Option(names = "--all", required = true, description = "every recipient's")
            boolean all;
        }

        @Option(names = "--reason", paramLabel = "TEXT", required = true,
                description = "why, at most 300 characters (audited; name the incident, no personal data)")
        String reason;

        @Override
        HttpResponse<String> send() throws GatewayApi.Unreachable {
            Map<String, Object> body = new LinkedHashMap<>();
            if (which.all) {
                body.put("all", true);
            } else {
                body.put("recipient", which.recipient);
            }
            body.put("reason", reason);
            return api.post("/api/v1/admin/deliveries/requeue", JSON.writeValueAsString(body));
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            String recipient = body.path("recipient").isString() ? body.path("recipient").asString()
                    : "every recipient";
            out.println(body.path("requeued").asInt() + " pending deliver" + (body.path("requeued").asInt() == 1
                    ? "y" : "ies") + " to " + recipient + " queued again (DELIVERIES_REQUEUED in the audit trail)");
        }
    }
}
