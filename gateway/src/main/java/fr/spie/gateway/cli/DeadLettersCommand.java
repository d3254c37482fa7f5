package fr.spie.gateway.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code spie-gateway dead-letters list|replay|discard}: the admins' dead-letter desk, through the running gateway's
 * API ({@code /api/v1/admin/dead-letters}).
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"List, replay or discard dead letters through the running gateway's admin API. A replay is "
                + "checked again by the gateway (route, consent, envelope, envelope copy still kept); every action is "
                + "in the audit trail with the admin as actor.", "",
                "Reads no configuration, data directory or gateway setting: only --url and --token, else the "
                        + "environment variables SPIE_GATEWAY_URL and SPIE_ADMIN_TOKEN."},
        subcommands = {DeadLettersCommand.List.class, DeadLettersCommand.Replay.class,
                DeadLettersCommand.Discard.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the gateway refused the request, or refused or skipped some dead letters",
                "2:invalid command line", "3:the gateway could not be reached"})
public final class DeadLettersCommand extends CommandGroup {
    private static final JsonMapper JSON = AdminApiCommand.JSON;
    private static final String API = "/api/v1/admin/dead-letters";

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List dead letters, oldest first: metadata only (never the envelope).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed", "1:the gateway refused the request", "2:invalid command line",
                    "3:the gateway could not be reached"})
    static final class List extends AdminApiCommand {
        @Option(names = "--recipient", paramLabel = "PARTNER", description = "only this recipient's")
        String recipient;

        @Option(names = "--record-type", paramLabel = "TYPE", description = "only this record type")
        String recordType;

        @Option(names = "--offset", defaultValue = "0", description = "skip this many (default ${DEFAULT-VALUE})")
        int offset;

        @Option(names = "--limit", defaultValue = "50", description = "at most this many, 1-500 (default "
                + "${DEFAULT-VALUE})")
        int limit;

        @Override
        HttpResponse<String> send() throws GatewayApi.Unreachable {
            StringBuilder query = new StringBuilder("?offset=" + offset + "&limit=" + limit);
            if (recipient != null) {
                query.append("&recipient=").append(URLEncoder.encode(recipient, StandardCharsets.UTF_8));
            }
            if (recordType != null) {
                query.append("&recordType=").append(URLEncoder.encode(recordType, StandardCharsets.UTF_8));
            }
            return api.get(API + query);
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            JsonNode items = body.path("items");
            if (!items.isEmpty()) {
                out.printf("%-36s  %-16s  %-28s  %-16s  %-12s  %8s  %-24s  %-10s  %s%n", "EXCHANGE ID", "RECIPIENT",
                        "ROUTE", "RECORD TYPE", "SOURCE", "ATTEMPTS", "DEAD-LETTERED AT", "REPLAYABLE", "LAST ERROR");
            }
            for (JsonNode d : items) {
                out.printf("%-36s  %-16s  %-28s  %-16s  %-12s  %8d  %-24s  %-10s  %s%n",
                        d.path("exchangeId").asString(), d.path("recipient").asString(),
                        d.path("routeId").asString(), d.path("recordType").asString(),
                        d.path("sourcePartner").asString(), d.path("attempts").asInt(),
                        d.path("deadLetteredAt").asString(),
                        d.path("replayable").asBoolean() ? "yes" : "no (copy deleted)",
                        d.path("lastError").asString(""));
            }
            long total = body.path("total").asLong();
            out.println(items.size() + " of " + total + " dead letter(s)"
                    + (offset + items.size() < total ? " (more: --offset " + (offset + items.size()) + ")" : ""));
        }
    }

    /** Which dead letters: some exchange ids, or all of the recipient's (optionally of one record type). */
    static final class Selection {
        @Option(names = "--exchange-id", paramLabel = "ID", required = true, split = ",",
                description = "these exchanges' dead letters (repeatable, or comma-separated)")
        java.util.List<String> exchangeIds;

        @Option(names = "--all", required = true, description = "every dead letter of the recipient (at most 1000 "
                + "per call; a replay leaves out those whose envelope copy was deleted, which can only be discarded)")
        boolean all;
    }

    abstract static class ActionCommand extends AdminApiCommand {
        @Option(names = "--recipient", paramLabel = "PARTNER", required = true,
                description = "the recipient whose dead letters these are")
        String recipient;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;

        @Option(names = "--record-type", paramLabel = "TYPE", description = "with --all: only this record type")
        String recordType;

        Map<String, Object> request() {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("recipient", recipient);
            if (selection.all) {
                request.put("all", true);
                if (recordType != null) {
                    request.put("recordType", recordType);
                }
            } else {
                request.put("exchangeIds", new ArrayList<>(selection.exchangeIds));
            }
            return request;
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            for (JsonNode r : body.path("results")) {
                out.printf("%-9s  %s  %s  %s%n", r.path("outcome").asString(), r.path("exchangeId").asString(),
                        r.path("recipient").asString(), r.path("reason").asString(""));
            }
            java.util.List<String> counts = new ArrayList<>();
            body.path("counts").properties().forEach(e -> counts.add(e.getValue().asInt() + " " + e.getKey()));
            out.println(body.path("requested").asInt() + " dead letter(s)"
                    + (counts.isEmpty() ? "" : ": " + String.join(", ", counts)));
        }

        @Override
        int exitCode(JsonNode body) {
            return body.path("counts").path("refused").asInt() > 0 || body.path("counts").path("skipped").asInt() > 0
                    ? AdminApiCommand.REFUSED : 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Replay dead letters: each is checked again (route and consent in force, envelope valid, "
                    + "envelope copy kept) and queued again, or refused with the reason."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every dead letter replayed", "1:some refused or skipped, or the gateway refused the "
                    + "request", "2:invalid command line", "3:the gateway could not be reached"})
    static final class Replay extends ActionCommand {
        @Override
        HttpResponse<String> send() throws GatewayApi.Unreachable {
            return api.post(API + "/replay", JSON.writeValueAsString(request()));
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = {"Discard dead letters for good, with a reason (kept in the audit trail: no personal "
                    + "data)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every dead letter discarded", "1:some skipped, or the gateway refused the request",
                    "2:invalid command line", "3:the gateway could not be reached"})
    static final class Discard extends ActionCommand {
        @Option(names = "--reason", paramLabel = "TEXT", required = true,
                description = "why (audited; no personal data)")
        String reason;

        @Override
        HttpResponse<String> send() throws GatewayApi.Unreachable {
            Map<String, Object> request = request();
            request.put("reason", reason);
            return api.post(API + "/discard", JSON.writeValueAsString(request));
        }
    }
}
