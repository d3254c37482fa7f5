package fr.spie.gateway.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code spie-gateway files list|show|quarantine}: the operators' file desk, through the running gateway's API
 * ({@code GET /api/v1/files}, {@code GET /api/v1/files/{id}}, {@code POST /api/v1/admin/files/{id}/quarantine}).
 */
@Command(name = "files", mixinStandardHelpOptions = true,
        description = {"List the files partners sent, show one file's report, or quarantine a file no instance can "
                + "read, through the running gateway's API (docs/files.md). A quarantine is in the audit trail with "
                + "the admin as actor.", "",
                "Reads no configuration, data directory or gateway setting: only --url and --token, else the "
                        + "environment variables SPIE_GATEWAY_URL and SPIE_ADMIN_TOKEN."},
        subcommands = {FilesCommand.List.class, FilesCommand.Show.class, FilesCommand.Quarantine.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the gateway refused the request", "2:invalid command line",
                "3:the gateway could not be reached"})
public final class FilesCommand extends CommandGroup {
    private static final String API = "/api/v1/files";

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The FILE-ID parameter, which must be a UUID (a command-line mistake otherwise, exit 2). */
    private static String fileId(CommandSpec spec, String value) {
        try {
            return java.util.UUID.fromString(value.strip()).toString();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "FILE-ID must be a file's id (a UUID, as "
                    + "files list prints it); got '" + value + "'");
        }
    }

    /** A JSON value as text, "-" when absent or null. */
    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? "-" : node.asString();
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List files, newest first (by reception time): metadata and counts, never the rejected "
                    + "records (files show). One page; --all follows the pages to the end."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed", "1:the gateway refused the request (a bad filter: the answer names it)",
                    "2:invalid command line", "3:the gateway could not be reached"})
    static final class List extends AdminApiCommand {
        @Option(names = "--partner", paramLabel = "PARTNER", description = "only this partner's files")
        String partner;

        @Option(names = "--status", paramLabel = "STATUS", split = ",", description = "only files in these statuses: "
                + "RECEIVED, PROCESSING, DONE, QUARANTINED, DUPLICATE (repeatable, or comma-separated)")
        java.util.List<String> statuses;

        @Option(names = "--since", paramLabel = "DATE-TIME", description = "received at or after this RFC 3339 "
                + "date-time, e.g. 2026-03-02T00:00:00Z or 2026-03-02T00:00:00+01:00")
        String since;

        @Option(names = "--until", paramLabel = "DATE-TIME", description = "received before this RFC 3339 date-time")
        String until;

        @Option(names = "--limit", defaultValue = "50", description = "files per page, 1-500 (default "
                + "${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--after", paramLabel = "CURSOR", description = "the page after this cursor (printed at the "
                + "end of the previous page)")
        String after;

        @Option(names = "--all", description = "follow the pages to the end (with --json: every file in one "
                + "\"items\" array)")
        boolean all;

        @Override
        HttpResponse<String> send() throws GatewayApi.Unreachable {
            java.util.List<String> query = new ArrayList<>();
            if (partner != null) {
                query.add("partner=" + encode(partner));
            }
            if (statuses != null && !statuses.isEmpty()) {
                query.add("status=" + encode(String.join(",", statuses)));
            }
            if (since != null) {
                query.add("since=" + encode(since));
            }
            if (until != null) {
                query.add("until=" + encode(until));
            }
            query.add("limit=" + limit);
            if (after != null) {
                query.add("after=" + encode(after));
            }
            return api.get(API + "?" + String.join("&", query));
        }

        @Override
        int execute(PrintWriter out) throws GatewayApi.Unreachable, AdminApiCommand.Refused {
            if (!all) {
                return super.execute(out);
            }
            JsonNode page = answer(send());
            ArrayNode items = JSON.createArrayNode();
            boolean header = true;
            while (true) {
                if (json) {
                    items.addAll((ArrayNode) page.path("items"));
                } else {
                    rows(page.path("items"), out, header);
                    header = header && page.path("items").isEmpty();
                    items.addAll((ArrayNode) page.path("items"));
                }
                String next = page.path("next").isString() ? page.path("next").asString() : null;
                if (next == null) {
                    break;
                }
                page = answer(api.get(next));
            }
            if (json) {
                ObjectNode whole = JSON.createObjectNode();
                whole.set("items", items);
                whole.putNull("next");
                out.println(whole.toPrettyString());
            } else {
                out.println(items.size() + " file(s)");
            }
            return 0;
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            JsonNode items = body.path("items");
            rows(items, out, true);
            String next = body.path("next").isString() ? body.path("next").asString() : null;
            String cursor = next == null ? null : next.substring(next.indexOf("after=") + "after=".length());
            out.println(items.size() + " file(s)" + (cursor == null ? "" : " (more: --after " + cursor
                    + ", or --all)"));
        }

        private static void rows(JsonNode items, PrintWriter out, boolean header) {
            // 27: an RFC 3339 time with the microseconds the database keeps, 2026-12-07T22:48:00.745407Z
            String format = "%-27s  %-36s  %-16s  %-11s  %8s  %8s  %9s  %8s  %-27s  %s%n";
            if (header && !items.isEmpty()) {
                out.printf(format, "RECEIVED AT", "FILE ID", "PARTNER", "STATUS", "RECORDS", "ACCEPTED",
                        "UNCHANGED", "REJECTED", "FINISHED AT / LEASE", "NAME");
            }
            for (JsonNode f : items) {
                JsonNode counts = f.path("counts");
                String end = !f.path("finishedAt").isNull() && f.has("finishedAt") ? f.path("finishedAt").asString()
                        : f.has("lease") ? (f.path("lease").path("holder").isNull() ? "no lease (waits)"
                        : "lease " + f.path("lease").path("holder").asString()) : "-";
                out.printf(format, text(f.path("receivedAt")), text(f.path("fileId")), text(f.path("partner")),
                        text(f.path("status")), counts.path("records").asLong(), counts.path("accepted").asLong(),
                        counts.path("unchanged").asLong(), counts.path("rejected").asLong(), end,
                        text(f.path("name")));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show one file's report: status, counts, progress, quarantine reason, rejected records "
                    + "(where and why, never the values), and for an unfinished file the instance reading it and the "
                    + "file store that holds its bytes."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:shown", "1:the gateway refused the request (no such file: 404)",
                    "2:invalid command line", "3:the gateway could not be reached"})
    static final class Show extends AdminApiCommand {
        @Parameters(paramLabel = "FILE-ID", description = "the file's id")
        String fileId;

        @Override
        HttpResponse<String> send() throws GatewayApi.Unreachable {
            return api.get(API + "/" + fileId(spec, fileId));
        }

        @Override
        void print(JsonNode f, PrintWriter out) {
            report(f, out);
        }
    }

    /** A file's report (GET /api/v1/files/{id}, or the quarantine's answer), readable. */
    static void report(JsonNode f, PrintWriter out) {
        String row = "%-12s %s%n";
        out.printf(row, "file", text(f.path("fileId")) + "  " + text(f.path("partner")) + "  " + text(f.path("name")));
        out.printf(row, "received", text(f.path("receivedAt")) + " by " + text(f.path("channel")) + ", "
                + text(f.path("format")) + ", " + f.path("size").asLong() + " bytes, SHA-256 " + text(f.path("digest")));
        out.printf(row, "status", text(f.path("status")) + " (attempts: " + f.path("attempts").asInt() + ")"
                + (f.has("duplicateOf") ? ", the same bytes as file " + text(f.path("duplicateOf")) : ""));
        out.printf(row, "started", text(f.path("startedAt")));
        out.printf(row, "finished", text(f.path("finishedAt")));
        if (f.path("bytesDeletedAt").isString()) {
            out.printf(row, "bytes", "deleted " + text(f.path("bytesDeletedAt")) + " (spie.retention.files after it "
                    + "finished); its digest, counts and report stay");
        }
        JsonNode counts = f.path("counts");
        out.printf(row, "records", counts.path("records").asLong() + ": " + counts.path("accepted").asLong()
                + " accepted, " + counts.path("unchanged").asLong() + " unchanged, "
                + counts.path("rejected").asLong() + " rejected");
        JsonNode progress = f.path("progress");
        out.printf(row, "progress", progress.path("recordsDone").asLong() + " of "
                + (progress.path("recordsTotal").isNull() ? "? (not counted yet)"
                : String.valueOf(progress.path("recordsTotal").asLong())) + " records done, "
                + progress.path("ratePerSecond").asDouble() + " per second");
        if (f.has("quarantine")) {
            JsonNode q = f.path("quarantine");
            out.printf(row, "quarantine", text(q.path("reason"))
                    + (q.path("location").isNull() || q.path("location").isMissingNode() ? ""
                    : " (at " + q.path("location").asString() + ")"));
        }
        if (f.has("lease")) {
            JsonNode lease = f.path("lease");
            out.printf(row, "lease", lease.path("holder").isNull() ? "none: no instance is reading the file"
                    : "instance " + lease.path("holder").asString() + ", until " + text(lease.path("until")));
        }
        if (f.has("bytes")) {
            JsonNode b = f.path("bytes");
            out.printf(row, "bytes", "file store " + text(b.path("store")) + " (received by instance "
                    + text(b.path("receivedBy")) + "), last used by instance " + text(b.path("storeLastUsedBy"))
                    + " at " + text(b.path("storeLocation")) + ", " + text(b.path("storeLastSeen")) + ": "
                    + (b.path("storeRunning").asBoolean() ? "running" : "no running instance uses it"));
        }
        if (f.has("facts")) {
            java.util.List<String> facts = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : f.path("facts").properties()) {
                facts.add(e.getKey() + "=" + (e.getValue().isValueNode() ? e.getValue().asString()
                        : e.getValue().toString()));
            }
            out.printf(row, "facts", String.join(", ", facts));
        }
        JsonNode rejections = f.path("rejections");
        out.printf(row, "rejections", f.path("rejectionsTotal").asLong()
                + (f.path("rejectionsTruncated").asBoolean() ? " (the first " + rejections.size() + " shown)" : ""));
        for (JsonNode r : rejections) {
            out.println("  " + text(r.path("location")) + "  " + text(r.path("reason")));
        }
    }

    @Command(name = "quarantine", mixinStandardHelpOptions = true,
            description = {"Quarantine an unfinished file that no instance is reading (typically one whose bytes are "
                    + "in a file store no running instance uses): it becomes QUARANTINED and its digest is released, "
                    + "so the partner can send the same bytes again. The reason goes to the audit trail only: name "
                    + "the incident or ticket, never a person. Refused for a finished file, or one an instance is "
                    + "reading (the answer says which and until when)."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:quarantined", "1:the gateway refused (finished, being read by an instance, no such "
                    + "file, reason missing or too long)", "2:invalid command line",
                    "3:the gateway could not be reached"})
    static final class Quarantine extends AdminApiCommand {
        @Parameters(paramLabel = "FILE-ID", description = "the file's id")
        String fileId;

        @Option(names = "--reason", paramLabel = "TEXT", required = true,
                description = "why, at most 500 characters (audited; no personal data)")
        String reason;

        @Override
        HttpResponse<String> send() throws GatewayApi.Unreachable {
            return api.post("/api/v1/admin/files/" + fileId(spec, fileId) + "/quarantine",
                    JSON.writeValueAsString(Map.of("reason", reason)));
        }

        @Override
        String refusal(int status, JsonNode problem) {
            if (status == 409 && problem.path("type").asString("").endsWith("/file-being-read")) {
                return "not quarantined: file " + fileId + " is being read by instance "
                        + text(problem.path("leaseHolder")) + ", whose lease on it runs until "
                        + text(problem.path("leaseUntil")) + ". Wait for it to finish the file, or stop that instance "
                        + "(its lease then expires) and try again.";
            }
            return super.refusal(status, problem);
        }

        @Override
        void print(JsonNode f, PrintWriter out) {
            out.println("file " + text(f.path("fileId")) + " of " + text(f.path("partner")) + " is now "
                    + text(f.path("status")) + ": no instance will read it, and the partner may send the same bytes "
                    + "again. The reason is in the audit trail (FILE_QUARANTINED).");
            report(f, out);
        }
    }
}
