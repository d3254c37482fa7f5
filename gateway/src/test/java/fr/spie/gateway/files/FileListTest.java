package fr.spie.gateway.files;

import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.it.RunningGatewayTest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/files}: the operators' list of files, newest first, filtered, a page at a time. The files are
 * rows written directly (ReceivedFileRows), each test in a time window of its own far from the files other tests
 * upload.
 */
class FileListTest extends RunningGatewayTest {
    private static final AtomicInteger WINDOWS = new AtomicInteger();

    @Autowired
    JdbcTemplate jdbc;

    /** A day of 2031 no other test uses. */
    private static Instant window() {
        return Instant.parse("2031-01-01T00:00:00Z").plus(Duration.ofDays(2L * WINDOWS.incrementAndGet()))
                .plusSeconds(ThreadLocalRandom.current().nextInt(3600));
    }

    private static String day(Instant start) {
        return "since=" + enc(start.toString()) + "&until=" + enc(start.plus(Duration.ofDays(1)).toString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> list(String who, String query) {
        return get(port, "/api/v1/files" + (query.isEmpty() ? "" : "?" + query), token(who));
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(i -> ids.add(i.path("fileId").asString()));
        return ids;
    }

    private record Row(UUID id, Instant at) {
    }

    @Test
    void administratorsAndAuditorsPageThroughEveryPartnersFilesNewestFirst() {
        ReceivedFileRows rows = new ReceivedFileRows(jdbc);
        Instant start = window();
        // ids whose order is the same read as signed or unsigned numbers (H2 and PostgreSQL order UUIDs unsigned)
        long prefix = ThreadLocalRandom.current().nextLong(1, 1L << 40);
        List<Row> files = new ArrayList<>();
        int[] minutes = {0, 1, 2, 3, 4, 5, 5, 9, 10, -1 + 60};
        String[] partners = {"caf-51", "cd-51", "ml-reims", "ft-51"};
        String[] statuses = {"DONE", "RECEIVED", "QUARANTINED", "PROCESSING", "DUPLICATE"};
        for (int i = 0; i < minutes.length; i++) {
            UUID id = new UUID(prefix + i, ThreadLocalRandom.current().nextLong());
            Instant at = start.plus(Duration.ofMinutes(minutes[i]));
            rows.insert(id, partners[i % partners.length], statuses[i % statuses.length], at, null, null);
            files.add(new Row(id, at));
        }
        List<String> newestFirst = files.stream()
                .sorted(Comparator.comparing(Row::at).thenComparing(Row::id).reversed())
                .map(r -> r.id().toString()).toList();

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String next = "/api/v1/files?" + day(start) + "&limit=3";
        while (next != null) {
            HttpResponse<String> response = get(port, next, token("admin"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode page = json(response);
            seen.addAll(ids(page));
            sizes.add(page.path("items").size());
            for (JsonNode item : page.path("items")) {
                assertThat(item.has("rejections")).as("the list never shows the rejected records").isFalse();
                assertThat(item.path("counts").has("records")).isTrue();
                boolean unfinished = List.of("RECEIVED", "PROCESSING").contains(item.path("status").asString());
                assertThat(item.has("store")).as(item.toString()).isEqualTo(unfinished);
                assertThat(item.has("lease")).as(item.toString()).isEqualTo(unfinished);
            }
            next = page.path("next").isNull() ? null : page.path("next").asString();
            if (next != null) {
                assertThat(next).contains("since=", "until=", "limit=3", "after=");
            }
        }
        assertThat(sizes).as("four pages, the last one not followed by an empty one").containsExactly(3, 3, 3, 1);
        assertThat(seen).as("newest first; two files received at the same time by id, across a page boundary")
                .isEqualTo(newestFirst);

        JsonNode auditors = json(list("auditor", day(start) + "&limit=500"));
        assertThat(ids(auditors)).isEqualTo(newestFirst);
        assertThat(auditors.path("next").isNull()).isTrue();
        JsonNode one = auditors.path("items").get(0);
        assertThat(one.path("fileId").asString()).isEqualTo(newestFirst.get(0));
        assertThat(one.path("partner").asString()).isNotEmpty();
        // a file's name may name someone: auditors, who read no personal data, are not shown it; admins are
        assertThat(one.has("name") && one.path("name").isNull()).as(one.toString()).isTrue();
        assertThat(one.has("receivedAt") && one.has("finishedAt")).isTrue();
        JsonNode admins = json(list("admin", day(start) + "&limit=500"));
        assertThat(admins.path("items").get(0).path("name").asString()).startsWith("RSABEM_");
    }

    @Test
    void filtersByPartnerStatusAndReceptionTime() {
        ReceivedFileRows rows = new ReceivedFileRows(jdbc);
        Instant start = window();
        UUID received = rows.insert("caf-51", "RECEIVED", start, null, null);
        UUID processing = rows.insert("caf-51", "PROCESSING", start.plusSeconds(60), "gw-other",
                Instant.now().plus(Duration.ofHours(1)));
        UUID done = rows.insert("caf-51", "DONE", start.plusSeconds(120), null, null);
        UUID quarantined = rows.insert("caf-51", "QUARANTINED", start.plusSeconds(180), null, null);
        UUID cdReceived = rows.insert("cd-51", "RECEIVED", start.plusSeconds(240), null, null);

        JsonNode unfinished = json(list("admin", day(start) + "&partner=caf-51&status=RECEIVED,PROCESSING"));
        assertThat(ids(unfinished)).containsExactly(processing.toString(), received.toString());
        assertThat(unfinished.path("items").get(0).path("lease").path("holder").asString()).isEqualTo("gw-other");
        assertThat(unfinished.path("items").get(0).path("store").asString()).isEqualTo(ReceivedFileRows.ELSEWHERE);
        assertThat(unfinished.path("items").get(1).path("lease").path("holder").isNull()).isTrue();

        // repeated, in any case
        assertThat(ids(json(list("admin", day(start) + "&status=received&status=Quarantined"))))
                .containsExactly(cdReceived.toString(), quarantined.toString(), received.toString());
        // since inclusive, until exclusive
        assertThat(ids(json(list("admin", "since=" + enc(start.plusSeconds(120).toString()) + "&until="
                + enc(start.plusSeconds(180).toString()))))).containsExactly(done.toString());
        // an offset other than Z, written %2B
        // (with the seconds written even when they are 0: LocalDateTime.toString() then drops them, which RFC 3339
        // does not allow, and the test failed one run in 60)
        assertThat(ids(json(list("admin", "partner=cd-51&since=" + start.atOffset(java.time.ZoneOffset.ofHours(1))
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")) + "%2B01:00"))))
                .contains(cdReceived.toString());
        JsonNode quarantine = json(list("admin", day(start) + "&status=QUARANTINED")).path("items").get(0);
        assertThat(quarantine.path("quarantine").path("reason").asString()).isEqualTo("the file is empty (0 bytes)");
        assertThat(quarantine.path("rejectionsTotal").asLong())
                .isEqualTo(quarantine.path("counts").path("rejected").asLong());
    }

    @Test
    void aPartnerListsItsOwnFilesOnlyAndNeverAnInstanceName() {
        ReceivedFileRows rows = new ReceivedFileRows(jdbc);
        Instant start = window();
        UUID own = rows.insert("caf-51", "PROCESSING", start, "gw-other", Instant.now().plus(Duration.ofHours(1)));
        UUID ownDone = rows.insert("caf-51", "DONE", start.plusSeconds(1), null, null);
        rows.insert("cd-51", "RECEIVED", start.plusSeconds(2), null, null);

        for (String query : List.of(day(start), day(start) + "&partner=caf-51")) {
            JsonNode page = json(list("caf-51", query));
            assertThat(ids(page)).containsExactly(ownDone.toString(), own.toString());
            assertThat(page.toString()).doesNotContain("gw-other", ReceivedFileRows.ELSEWHERE, "gw-gone");
        }

        HttpResponse<String> other = list("caf-51", day(start) + "&partner=cd-51");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = json(other);
        assertThat(problem.path("type").asString()).endsWith("/partner-mismatch");
        assertThat(problem.path("detail").asString()).isEqualTo("your credential is not the one of partner 'cd-51'");
        assertThat(list("cd-51", day(start)).body()).doesNotContain(own.toString(), ownDone.toString());
    }

    @Test
    void aBadFilterIs400NamingTheParameter() {
        Map<String, String> bad = Map.ofEntries(
                Map.entry("status=FINISHED", "status"),
                Map.entry("status=DONE,", "status"),
                Map.entry("since=2026-03-02", "since"),
                Map.entry("since=2026-03-02T10:15Z", "since"),
                Map.entry("until=2026-03-02T10:15:00+01:00", "until"), // the '+' unencoded: a space
                Map.entry("since=2026-03-02T10:00:00Z&until=2026-03-02T10:00:00Z", "until"),
                Map.entry("limit=0", "limit"),
                Map.entry("limit=501", "limit"),
                Map.entry("limit=ten", "limit"),
                Map.entry("after=not-a-cursor", "after"),
                Map.entry("after=" + new FileListCursor(Instant.now(), UUID.randomUUID()).encode() + "x", "after"),
                Map.entry("partner=CAF_51", "partner"),
                Map.entry("partner=caf-51&partner=cd-51", "partner"),
                Map.entry("partners=caf-51", "partners"));
        for (Map.Entry<String, String> query : bad.entrySet()) {
            HttpResponse<String> response = list("admin", query.getKey());
            assertThat(response.statusCode()).as(query.getKey() + " → " + response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("application/problem+json");
            JsonNode problem = json(response);
            assertThat(problem.path("type").asString()).endsWith("/invalid-parameter");
            assertThat(problem.path("detail").asString()).as(query.getKey()).startsWith(query.getValue() + ": ");
            assertThat(problem.path("errors").get(0).path("pointer").asString()).isEqualTo(query.getValue());
        }
        assertThat(json(list("admin", "until=2026-03-02T10:15:00+01:00")).path("detail").asString())
                .contains("%2B");
    }

    @Test
    void aHandMadeCursorIs400NamingAfterNeverA500() {
        for (String hostile : HostileFileListCursors.all()) {
            HttpResponse<String> response = list("admin", "after=" + enc(hostile));
            assertThat(response.statusCode()).as(hostile + " → " + response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("application/problem+json");
            JsonNode problem = json(response);
            assertThat(problem.path("type").asString()).endsWith("/invalid-parameter");
            assertThat(problem.path("detail").asString()).as(hostile).startsWith("after: ");
            assertThat(problem.path("errors").get(0).path("pointer").asString()).isEqualTo("after");
        }
    }

    @Test
    void eachPageIsReadFromAnIndexInItsOrderNotBySortingEveryFile() {
        FileListCursor position = new FileListCursor(Instant.parse("2031-01-01T00:00:00Z"), UUID.randomUUID());
        for (String partner : new String[] {"caf-51", null}) {
            for (FileListCursor after : new FileListCursor[] {null, position}) {
                ReceivedFileStore.ListSql query = ReceivedFileStore.listSql(partner, java.util.Set.of(), null, null,
                        after, 51);
                String plan = jdbc.queryForObject("EXPLAIN " + query.sql(), String.class,
                        query.parameters().toArray());
                assertThat(plan).as(plan).containsIgnoringCase(partner != null
                        ? "public.received_file_partner_received" : "public.received_file_received")
                        .contains("/* index sorted */");
                if (after != null) {
                    assertThat(plan).as("the index range starts at the cursor").containsIgnoringCase("received_at <= ");
                }
            }
        }
    }
}
