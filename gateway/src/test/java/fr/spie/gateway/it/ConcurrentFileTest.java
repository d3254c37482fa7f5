package fr.spie.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fr.spie.gateway.files.ReceivedFileStore;
import fr.spie.gateway.privacy.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The same file uploaded several times at once (a partner's client retrying an upload): one file is read, the others
 * are duplicates of it, its records are emitted once.
 */
class ConcurrentFileTest extends RunningGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Households of these tests: matricules 4nnnn..., apart from the other tests' fixtures. */
    private static final AtomicInteger HOUSEHOLDS = new AtomicInteger(ThreadLocalRandom.current().nextInt(5000));
    private static final int RECORDS = 6; // cnaf-monthly.xml: 6 SPIE records, each to cd-51

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theSameFileUploadedConcurrentlyIsReadOnceAndTheOthersAreDuplicatesOfIt() {
        for (int round = 0; round < 3; round++) {
            String household = household();
            byte[] file = cnaf(household);
            String digest = Digests.sha256Hex(file);

            List<HttpResponse<String>> answers = SameInstant.run(8, i -> upload(file, "RSABEM_race_" + i + ".xml"));

            assertThat(answers).allSatisfy(a -> {
                assertThat(a.statusCode()).as(a.body()).isEqualTo(202);
                assertThat(json(a).path("digest").asString()).isEqualTo(digest);
            });
            String first = theOneReadAndTheOthersDuplicates(digest, 8);
            awaitReadOnceAndDelivered(first, household);
        }
    }

    @Test
    void aChangeCarriedByFilesReadAtTheSameTimeIsEmittedOnce() {
        for (int round = 0; round < 3; round++) {
            String household = household();
            String base = new String(cnaf(household), StandardCharsets.UTF_8);
            awaitReadOnceAndDelivered(json(upload(base.getBytes(StandardCharsets.UTF_8), "RSABEM_base.xml"))
                    .path("fileId").asString(), household);
            // the next month's flux sent 4 times at once under other names (other creation times, same records):
            // the same change of each household's situation (its reference date)
            List<HttpResponse<String>> answers = SameInstant.run(4, i -> upload(base
                    .replace("<DTREF>2025-02-28</DTREF>", "<DTREF>2025-03-31</DTREF>")
                    .replace("<HEUCREAFLUX>02:10:00.0000</HEUCREAFLUX>",
                            "<HEUCREAFLUX>02:1" + i + ":00.0000</HEUCREAFLUX>")
                    .getBytes(StandardCharsets.UTF_8), "RSABEM_next_" + i + ".xml"));

            List<JsonNode> done = answers.stream().map(a -> json(a).path("fileId").asString())
                    .map(id -> await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                            .until(() -> json(get(port, "/api/v1/files/" + id, token("caf-51"))),
                                    f -> "DONE".equals(f.path("status").asString())))
                    .toList();
            List<Integer> accepted = done.stream().map(f -> f.path("counts").path("accepted").asInt()).toList();
            assertThat(accepted.stream().filter(n -> n > 0)).as("files that emitted the change: %s", accepted)
                    .hasSize(1);
            int changed = accepted.stream().mapToInt(Integer::intValue).sum();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> CD_51.findAll(postRequestedFor(
                    anyUrl()).withRequestBody(containing(household))).size() >= RECORDS + changed);
            assertThat(CD_51.findAll(postRequestedFor(anyUrl()).withRequestBody(containing(household))))
                    .hasSize(RECORDS + changed);
        }
    }

    @Test
    void aFingerprintInsertedOrChangedByAnotherFileSinceItWasReadIsAConflict(@Autowired ReceivedFileStore store) {
        String key = Digests.sha256Hex(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        store.writeFingerprints(List.of(fingerprint(key, "a", null)));
        // another file inserted it since this one found none
        assertThatThrownBy(() -> store.writeFingerprints(List.of(fingerprint(key, "b", null))))
                .isInstanceOf(ReceivedFileStore.FingerprintConflict.class);
        // another file changed it (a to c) since this one found a
        store.writeFingerprints(List.of(fingerprint(key, "c", "a")));
        assertThatThrownBy(() -> store.writeFingerprints(List.of(fingerprint(key, "b", "a"))))
                .isInstanceOf(ReceivedFileStore.FingerprintConflict.class);
        assertThat(store.fingerprint("caf-51", key, "person")).contains("c".repeat(64));
    }

    private static ReceivedFileStore.Fingerprint fingerprint(String key, String content, String previous) {
        return new ReceivedFileStore.Fingerprint("caf-51", key, "person", content.repeat(64), UUID.randomUUID(),
                java.time.Instant.now(), previous == null ? null : previous.repeat(64));
    }

    /** Of the files with these bytes, one is read and every other is a DUPLICATE of it: the one's id. */
    private String theOneReadAndTheOthersDuplicates(String digest, int files) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT file_id, status, duplicate_of FROM received_file "
                + "WHERE partner = 'caf-51' AND digest = ?", digest);
        assertThat(rows).hasSize(files);
        List<Map<String, Object>> read = rows.stream().filter(r -> !"DUPLICATE".equals(r.get("status"))).toList();
        assertThat(read).as("files read of %s", rows).hasSize(1);
        String first = read.get(0).get("file_id").toString();
        assertThat(rows.stream().filter(r -> "DUPLICATE".equals(r.get("status")))
                .map(r -> r.get("duplicate_of").toString())).containsOnly(first);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE event_type = 'FILE_RECEIVED' AND payload_digest = ? "
                + "AND detail NOT LIKE '%a duplicate, not read again'", digest)).isEqualTo(1);
        return first;
    }

    /** The file is DONE with its records accepted once, and each record reached cd-51 exactly once. */
    private void awaitReadOnceAndDelivered(String fileId, String household) {
        JsonNode done = await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> json(get(port, "/api/v1/files/" + fileId, token("caf-51"))),
                        f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(RECORDS);
        assertThat(done.path("attempts").asInt()).isEqualTo(1);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> CD_51.findAll(postRequestedFor(anyUrl()).withRequestBody(containing(household))).size()
                        >= RECORDS);
        List<LoggedRequest> sent = CD_51.findAll(postRequestedFor(anyUrl()).withRequestBody(containing(household)));
        Set<String> exchanges = sent.stream().map(r -> r.getHeader("X-Spie-Exchange-Id")).collect(Collectors.toSet());
        assertThat(sent).hasSize(RECORDS);
        assertThat(exchanges).hasSize(RECORDS);
    }

    private HttpResponse<String> upload(byte[] file, String name) {
        return post(port, "/api/v1/partners/caf-51/files?name=" + name, token("caf-51"), "application/xml", file);
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    private static String household() {
        return String.format("4%04d", HOUSEHOLDS.incrementAndGet() % 10000);
    }

    /** cnaf-monthly.xml with this household's matricule prefix, so that change detection sees new records. */
    private static byte[] cnaf(String household) {
        try (InputStream in = ConcurrentFileTest.class.getResourceAsStream("/files/cnaf-monthly.xml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("77777", household)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
