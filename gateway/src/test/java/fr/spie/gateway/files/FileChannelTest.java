package fr.spie.gateway.files;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.observability.PrometheusScrape;
import fr.spie.gateway.privacy.Digests;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The file channel end to end: uploads and inbox drops read by the partner connectors, records submitted to the
 * intake and delivered to WireMock recipients, file reports, duplicates, change detection and quarantine.
 */
@SpringBootTest(classes = SpieGatewayMain.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FileChannelTest {
    static final WireMockServer CD_51 = GatewayTestSupport.startRecipient();
    static final WireMockServer FT_51 = GatewayTestSupport.startRecipient();
    static final WireMockServer ML_REIMS = GatewayTestSupport.startRecipient();
    static final Path DATA = GatewayTestSupport.tempDataDir();
    static final Duration WAIT = Duration.ofSeconds(30);
    static final AtomicInteger HOUSEHOLDS = new AtomicInteger(10);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ReceivedFileStore store;
    @Autowired
    IntakeService intake;
    @Autowired
    ReceivedFileRetention retention;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("spie.data-dir", DATA::toString);
        registry.add("spie.config-dir", () -> "src/test/resources/files/config");
        registry.add("spie.files.inbox-poll", () -> "200ms");
        registry.add("spie.files.inbox-quiet-period", () -> "1500ms");
        registry.add("spie.files.max-size", () -> "1MB");
        registry.add("spie.files.batch-size", () -> "2"); // several batches per file, stored while the next is read
        registry.add("TEST_URL_CD_51", () -> CD_51.baseUrl() + "/spie/records");
        registry.add("TEST_URL_FT_51", () -> FT_51.baseUrl() + "/spie/records");
        registry.add("TEST_URL_ML_REIMS", () -> ML_REIMS.baseUrl() + "/spie/records");
    }

    @BeforeEach
    void recipientsUp() {
        for (WireMockServer server : new WireMockServer[] {CD_51, FT_51, ML_REIMS}) {
            server.resetAll();
            server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        }
    }

    // ---------------------------------------------------------------- CAF files

    @Test
    void aCnafFileIsStoredReadAndDeliveredThenTheSameFileIsADuplicate() throws Exception {
        byte[] file = cnaf("cnaf-monthly.xml");
        HttpResponse<String> response = upload("caf-51", file, "RSABEM_202502.xml", "application/xml");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode accepted = json(response);
        String fileId = accepted.path("fileId").asString();
        assertThat(accepted.path("statusUrl").asString()).isEqualTo("/api/v1/files/" + fileId);
        assertThat(accepted.path("digest").asString()).isEqualTo(Digests.sha256Hex(file));
        assertThat(DATA.resolve("files").resolve(fileId)).hasBinaryContent(file);

        JsonNode done = awaitFile("caf-51", fileId, f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("name").asString()).isEqualTo("RSABEM_202502.xml");
        assertThat(done.path("format").asString()).isEqualTo("cnaf-vrsb0801");
        assertThat(done.path("size").asLong()).isEqualTo(file.length);
        assertThat(done.path("counts").path("records").asInt()).isEqualTo(6);
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(6);
        assertThat(done.path("counts").path("unchanged").asInt()).isZero();
        assertThat(done.path("counts").path("rejected").asInt()).isZero();
        assertThat(done.path("progress").path("recordsDone").asInt()).isEqualTo(6);
        assertThat(done.path("progress").path("recordsTotal").asInt()).isEqualTo(6);
        assertThat(done.path("progress").has("ratePerSecond")).isTrue();
        assertThat(done.path("receivedAt").isNull()).isFalse();
        assertThat(done.path("startedAt").isNull()).isFalse();
        assertThat(done.path("finishedAt").isNull()).isFalse();
        assertThat(done.path("rejections")).isEmpty();
        assertThat(done.path("facts").path("fluxType").asString()).isEqualTo("M");
        Set<String> ids = exchangeIds("caf-51", file, 6);
        awaitDeliveries(CD_51, ids, 6);
        awaitDeliveries(ML_REIMS, ids, 6);

        HttpResponse<String> again = upload("caf-51", file, "RSABEM_202502-bis.xml", "application/xml");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).path("status").asString()).isEqualTo("DUPLICATE");
        assertThat(json(again).path("duplicateOf").asString()).isEqualTo(fileId);
        JsonNode duplicate = fileStatus("caf-51", json(again).path("fileId").asString());
        assertThat(duplicate.path("status").asString()).isEqualTo("DUPLICATE");
        assertThat(duplicate.path("duplicateOf").asString()).isEqualTo(fileId);
        Thread.sleep(1000);
        assertThat(deliveries(CD_51, ids)).isEqualTo(6);
        assertThat(deliveries(ML_REIMS, ids)).isEqualTo(6);

        // the ledger tells of the file itself: received, read, and the duplicate (never by its name)
        List<String> fileEvents = jdbc.queryForList("SELECT event_type || ' ' || actor || ' ' || detail FROM audit_event "
                + "WHERE payload_digest = ? AND event_type LIKE 'FILE_%' ORDER BY seq", String.class,
                Digests.sha256Hex(file));
        assertThat(fileEvents).containsExactly(
                "FILE_RECEIVED caf-51 file " + fileId + ": " + file.length + " bytes, format cnaf-vrsb0801, by UPLOAD",
                "FILE_PROCESSED caf-51 file " + fileId + ": 6 records, 6 accepted, 0 unchanged, 0 rejected",
                "FILE_RECEIVED caf-51 file " + json(again).path("fileId").asString() + ": " + file.length
                        + " bytes, format cnaf-vrsb0801, by UPLOAD; the same bytes as file " + fileId
                        + ": a duplicate, not read again");
    }

    @Test
    void aMonthlyFileRepeatingUnchangedRecordsOnlySendsWhatChanged() {
        byte[] january = cnaf("cnaf-monthly.xml");
        String first = json(upload("caf-51", january, "RSABEM_202501.xml", "application/xml")).path("fileId")
                .asString();
        awaitFile("caf-51", first, f -> "DONE".equals(f.path("status").asString()));
        awaitDeliveries(CD_51, exchangeIds("caf-51", january, 6), 6);

        // February: the same households, the second one with a new request number (its rsa-situation changes)
        byte[] february = new String(january, StandardCharsets.UTF_8).replace("51100000002", "51100000022")
                .getBytes(StandardCharsets.UTF_8);
        String second = json(upload("caf-51", february, "RSABEM_202502.xml", "application/xml")).path("fileId")
                .asString();
        JsonNode done = awaitFile("caf-51", second, f -> "DONE".equals(f.path("status").asString()));

        assertThat(done.path("counts").path("records").asInt()).isEqualTo(6);
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(1);
        assertThat(done.path("counts").path("unchanged").asInt()).isEqualTo(5);
        Set<String> februaryIds = exchangeIds("caf-51", february, 6);
        awaitDeliveries(CD_51, februaryIds, 1);
        assertThat(CD_51.findAll(postRequestedFor(anyUrl())).stream()
                .filter(r -> februaryIds.contains(r.getHeader("X-Spie-Exchange-Id")))
                .map(r -> parse(r.getBodyAsString()).path("recordType").asString()).toList())
                .containsExactly("rsa-situation");
    }

    @Test
    void aBadRecordIsReportedWithItsElementPathAndTheOthersAreDelivered() {
        byte[] file = cnaf("cnaf-bad-person.xml");
        String fileId = json(upload("caf-51", file, "RSABEI_bad.xml", "application/xml")).path("fileId").asString();

        JsonNode done = awaitFile("caf-51", fileId, f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(4);
        assertThat(done.path("counts").path("rejected").asInt()).isEqualTo(1);
        assertThat(done.path("rejectionsTotal").asInt()).isEqualTo(1);
        JsonNode rejection = done.path("rejections").get(0);
        assertThat(rejection.path("location").asString()).isEqualTo("/Racine/InfosFoyerRSA[2]/Personne[1]");
        assertThat(rejection.path("reason").asString()).contains("PRENOM");
        awaitDeliveries(CD_51, exchangeIds("caf-51", file, 4), 4);
    }

    /** What docs/operations.md says of the file meters: a file read to its end moves them, by its counts. */
    @Test
    void aProcessedFileMovesTheFileMeters() {
        await().atMost(WAIT).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM received_file WHERE status IN "
                + "('RECEIVED', 'PROCESSING')", Long.class) == 0);
        PrometheusScrape before = scrape();
        byte[] file = cnaf("cnaf-bad-person.xml");
        String fileId = json(upload("caf-51", file, "RSABEI_meters.xml", "application/xml")).path("fileId").asString();
        JsonNode done = awaitFile("caf-51", fileId, f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("counts").path("records").asInt()).isEqualTo(5);

        PrometheusScrape after = scrape();
        assertThat(after.sum("spie_files", "status=done") - before.sum("spie_files", "status=done")).isEqualTo(1);
        assertThat(after.sum("spie_files", "status=processing")).isZero();
        assertThat(after.sum("spie_files_records_remaining")).isZero();
        assertThat(after.sum("spie_files_records_total") - before.sum("spie_files_records_total")).isEqualTo(5);
        String[] received = {"event=received", "partner=caf-51"};
        await().atMost(WAIT).untilAsserted(() -> assertThat(scrape().sum("spie_exchanges_total", received)
                - before.sum("spie_exchanges_total", received)).isEqualTo(4));
    }

    PrometheusScrape scrape() {
        HttpResponse<String> r = get(port, "/actuator/prometheus", token("admin"));
        assertThat(r.statusCode()).isEqualTo(200);
        return new PrometheusScrape(r.body());
    }

    @Test
    void anXxeFileIsQuarantinedAndNothingIsDelivered() throws Exception {
        byte[] file = fixture("cnaf-xxe.xml");
        HttpResponse<String> response = multipart("caf-51", file, "RSABEI_xxe.xml");
        assertThat(response.statusCode()).isEqualTo(202);
        String fileId = json(response).path("fileId").asString();

        JsonNode quarantined = awaitFile("caf-51", fileId, f -> "QUARANTINED".equals(f.path("status").asString()));
        assertThat(quarantined.path("name").asString()).isEqualTo("RSABEI_xxe.xml");
        assertThat(quarantined.path("quarantine").path("reason").asString()).contains("DTD");
        assertThat(quarantined.path("counts").path("accepted").asInt()).isZero();
        assertThat(quarantined.path("counts").path("records").asInt()).isZero();
        assertThat(quarantined.path("quarantine").path("reason").asString()).doesNotContain("root:");
        Thread.sleep(500);
        assertThat(deliveries(CD_51, exchangeIds("caf-51", file, 3))).isZero();
    }

    @Test
    void theBytesOfFinishedFilesAreDeletedAfterTheirRetentionAndTheFileIsStillRecognised() throws Exception {
        byte[] old = cnaf("cnaf-monthly.xml");
        String oldId = json(upload("caf-51", old, "RSABEM_old.xml", "application/xml")).path("fileId").asString();
        byte[] whole = cnaf("cnaf-monthly.xml");
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
        String quarantinedId = json(upload("caf-51", truncated, "RSABEM_cut.xml", "application/xml")).path("fileId")
                .asString();
        byte[] recent = cnaf("cnaf-monthly.xml");
        String recentId = json(upload("caf-51", recent, "RSABEM_recent.xml", "application/xml")).path("fileId")
                .asString();
        awaitFile("caf-51", oldId, f -> "DONE".equals(f.path("status").asString()));
        awaitFile("caf-51", quarantinedId, f -> "QUARANTINED".equals(f.path("status").asString()));
        awaitFile("caf-51", recentId, f -> "DONE".equals(f.path("status").asString()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // what the database keeps of it
        jdbc.update("UPDATE received_file SET finished_at = ? WHERE file_id IN (?, ?)",
                Timestamp.from(now.minus(Duration.ofDays(91))), UUID.fromString(oldId), UUID.fromString(quarantinedId));
        // bytes an instance stored before it stopped, without their row: two hours ago, and a moment ago
        Path files = DATA.resolve("files");
        Path unnamed = Files.write(files.resolve(UUID.randomUUID().toString()), whole);
        Files.setLastModifiedTime(unnamed, FileTime.from(now.minus(Duration.ofHours(2))));
        Path beingRecorded = Files.write(files.resolve(UUID.randomUUID().toString()), whole);

        assertThat(retention.purge(now)).isEqualTo(2);
        assertThat(retention.purge(now)).as("each file's bytes deleted and recorded once").isZero();

        assertThat(unnamed).as("stored two hours ago, no row names it").doesNotExist();
        assertThat(beingRecorded).as("its row may be committed in a moment").exists();
        assertThat(files.resolve(oldId)).doesNotExist();
        assertThat(files.resolve(quarantinedId)).doesNotExist();
        assertThat(files.resolve(recentId)).as("finished 91 days later than the others").hasBinaryContent(recent);
        JsonNode report = fileStatus("caf-51", oldId);
        assertThat(report.path("status").asString()).isEqualTo("DONE");
        assertThat(report.path("counts").path("accepted").asInt()).isEqualTo(6);
        assertThat(Instant.parse(report.path("bytesDeletedAt").asString())).isEqualTo(now);
        assertThat(fileStatus("caf-51", recentId).path("bytesDeletedAt").isNull()).isTrue();
        assertThat(jdbc.queryForList("SELECT actor || ' ' || detail FROM audit_event WHERE event_type = "
                + "'FILE_BYTES_DELETED' AND payload_digest = ?", String.class, Digests.sha256Hex(old)))
                .containsExactly("caf-51 file " + oldId + " (DONE): bytes deleted, retention PT2160H over");

        HttpResponse<String> again = upload("caf-51", old, "RSABEM_old-again.xml", "application/xml");
        assertThat(json(again).path("status").asString()).as("still recognised by its digest")
                .isEqualTo("DUPLICATE");
        assertThat(json(again).path("duplicateOf").asString()).isEqualTo(oldId);
    }

    @Test
    void aFileWhoseBytesCannotBeDeletedHoldsUpNoOther() throws Exception {
        String stuckId = json(upload("caf-51", cnaf("cnaf-monthly.xml"), "RSABEM_stuck.xml", "application/xml"))
                .path("fileId").asString();
        String otherId = json(upload("caf-51", cnaf("cnaf-monthly.xml"), "RSABEM_other.xml", "application/xml"))
                .path("fileId").asString();
        awaitFile("caf-51", stuckId, f -> "DONE".equals(f.path("status").asString()));
        awaitFile("caf-51", otherId, f -> "DONE".equals(f.path("status").asString()));
        Path stuck = DATA.resolve("files").resolve(stuckId);
        Files.delete(stuck);
        Files.createDirectories(stuck.resolve("not-empty"));   // what deleteIfExists cannot delete
        Instant now = Instant.now();
        jdbc.update("UPDATE received_file SET finished_at = ? WHERE file_id IN (?, ?)",
                Timestamp.from(now.minus(Duration.ofDays(91))), UUID.fromString(stuckId), UUID.fromString(otherId));
        try {
            assertThat(retention.purge(now)).isEqualTo(1);
            assertThat(DATA.resolve("files").resolve(otherId)).doesNotExist();
            assertThat(fileStatus("caf-51", stuckId).path("bytesDeletedAt").isNull()).as("tried again next run")
                    .isTrue();
        } finally {
            Files.delete(stuck.resolve("not-empty"));
        }
        assertThat(retention.purge(now)).isEqualTo(1);
        assertThat(fileStatus("caf-51", stuckId).path("bytesDeletedAt").isNull()).isFalse();
    }

    @Test
    void aTruncatedFileIsQuarantinedWithNothingEmitted() throws Exception {
        byte[] whole = cnaf("cnaf-monthly.xml");
        // cut inside the second household: the first one is complete, yet nothing of the file may be emitted
        byte[] file = Arrays.copyOf(whole, new String(whole, StandardCharsets.UTF_8).indexOf("TESTSEUL"));
        String fileId = json(upload("caf-51", file, "RSABEM_truncated.xml", "application/xml")).path("fileId")
                .asString();

        JsonNode quarantined = awaitFile("caf-51", fileId, f -> "QUARANTINED".equals(f.path("status").asString()));
        assertThat(quarantined.path("quarantine").path("reason").asString()).isNotBlank();
        assertThat(quarantined.path("quarantine").path("location").asString()).contains("line");
        assertThat(quarantined.path("counts").path("accepted").asInt()).isZero();
        Thread.sleep(500);
        assertThat(deliveries(CD_51, exchangeIds("caf-51", file, 4))).isZero();
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'FILE_QUARANTINED' "
                + "AND payload_digest = ?", String.class, Digests.sha256Hex(file))).singleElement().asString()
                .startsWith("file " + fileId + " quarantined at line");
    }

    @Test
    void aDatabaseFailureMidFileStoresNothingOfTheFailedBatchAndTheFileIsQuarantinedAfterItsAttempts() {
        byte[] file = cnaf("cnaf-monthly.xml"); // 6 records, batches of 2
        String digest = Digests.sha256Hex(file);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(FileProcessor.exchangeId("caf-51", digest, i).toString());
        }
        // the database refuses the third record (second batch): a failure that is not the record's fault
        jdbc.execute("ALTER TABLE exchange ADD CONSTRAINT test_refuse_third CHECK (exchange_id <> '" + ids.get(2)
                + "')");
        try {
            String fileId = json(upload("caf-51", file, "RSABEM_dbfail.xml", "application/xml")).path("fileId")
                    .asString();
            JsonNode quarantined = awaitFile("caf-51", fileId,
                    f -> "QUARANTINED".equals(f.path("status").asString()));
            assertThat(quarantined.path("quarantine").path("reason").asString()).contains("processing failed 3 times");
            // the first batch is stored whole, the failed batch and the ones after it not at all
            assertThat(exchangeRows(ids.subList(0, 2))).isEqualTo(2);
            assertThat(exchangeRows(ids.subList(2, 6))).isZero();
            assertThat(rows("SELECT COUNT(*) FROM audit_event WHERE event_type = 'RECEIVED' AND exchange_id IN ",
                    ids.subList(0, 2))).isEqualTo(2);
            assertThat(rows("SELECT COUNT(*) FROM audit_event WHERE exchange_id IN ", ids.subList(2, 6))).isZero();
            assertThat(rows("SELECT COUNT(*) FROM delivery WHERE exchange_id IN ", ids.subList(2, 6))).isZero();
            assertThat(rows("SELECT COUNT(*) FROM record_fingerprint WHERE exchange_id IN ", ids)).isEqualTo(2);
        } finally {
            jdbc.execute("ALTER TABLE exchange DROP CONSTRAINT test_refuse_third");
        }

        // once fixed, the same bytes again: same exchange ids, the first batch is unchanged, nothing is stored twice
        String again = json(upload("caf-51", file, "RSABEM_dbfail-again.xml", "application/xml")).path("fileId")
                .asString();
        JsonNode done = awaitFile("caf-51", again, f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(4);
        assertThat(done.path("counts").path("unchanged").asInt()).isEqualTo(2);
        assertThat(done.path("counts").path("rejected").asInt()).isZero();
        assertThat(exchangeRows(ids)).isEqualTo(6);
        assertThat(rows("SELECT COUNT(*) FROM audit_event WHERE event_type = 'RECEIVED' AND exchange_id IN ", ids))
                .isEqualTo(6);
        awaitDeliveries(CD_51, Set.copyOf(ids), 6);
    }

    private long exchangeRows(List<String> ids) {
        return rows("SELECT COUNT(*) FROM exchange WHERE exchange_id IN ", ids);
    }

    private long rows(String countQuery, List<String> ids) {
        return jdbc.queryForObject(countQuery + "(" + String.join(",", Collections.nCopies(ids.size(), "CAST(? AS UUID)"))
                + ")", Long.class, ids.toArray());
    }

    // ---------------------------------------------------------------- inbox

    /** On the embedded database, a lease left by a crashed run is given back at start-up, not waited out. */
    @Test
    void aLeaseLeftByAPreviousRunOnTheEmbeddedDatabaseIsGivenBackAtStart(@Autowired EmbeddedDatabaseLeases leases)
            throws Exception {
        HttpResponse<String> response = upload("caf-51", cnaf("cnaf-monthly.xml"), "RSABEM_lease.xml",
                "application/xml");
        String fileId = json(response).path("fileId").asString();
        awaitFile("caf-51", fileId, f -> "DONE".equals(f.path("status").asString()));
        jdbc.update("UPDATE received_file SET lease_holder = 'crashed-run-1234', lease_until = ? WHERE file_id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().plusSeconds(3600)), UUID.fromString(fileId));

        assertThat(leases.releaseLeftOverLeases()).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.queryForMap("SELECT lease_holder, lease_until FROM received_file WHERE file_id = ?",
                UUID.fromString(fileId))).containsEntry("LEASE_HOLDER", null).containsEntry("LEASE_UNTIL", null);
    }

    /**
     * A file written in place (no rename-on-complete) by a writer that pauses longer than a scan interval, as a slow
     * SFTP transfer does: it is taken only once it has stayed unchanged for the quiet period, whole.
     */
    @Test
    void aFileWrittenInPlaceWithPausesIsNotTakenHalfWritten() throws Exception {
        byte[] file = cnaf("cnaf-monthly.xml");
        Path inbox = DATA.resolve("inbox").resolve("caf-51");
        Files.createDirectories(inbox);
        String name = "RSABEM_slow_" + UUID.randomUUID() + ".xml";
        Path target = inbox.resolve(name);
        int chunk = file.length / 4 + 1;
        for (int from = 0; from < file.length; from += chunk) {
            Files.write(target, java.util.Arrays.copyOfRange(file, from, Math.min(file.length, from + chunk)),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            if (from + chunk < file.length) {
                Thread.sleep(600); // three scans of 200 ms see the same size: enough to be taken before
                assertThat(target).as("taken while still being written").exists();
            }
        }

        String fileId = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "SELECT file_id FROM received_file WHERE original_name = ?", String.class, name), l -> !l.isEmpty())
                .get(0);
        JsonNode done = awaitFile("caf-51", fileId, f -> !"RECEIVED".equals(f.path("status").asString())
                && !"PROCESSING".equals(f.path("status").asString()));
        assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("DONE");
        assertThat(DATA.resolve("files").resolve(fileId)).hasBinaryContent(file);
    }

    @Test
    void aFileDroppedInTheInboxIsTakenOnceCompleteAndProcessed() throws Exception {
        byte[] file = cnaf("cnaf-monthly.xml");
        Path inbox = DATA.resolve("inbox").resolve("caf-51");
        Files.createDirectories(inbox);
        String name = "RSABEM_inbox_" + UUID.randomUUID() + ".xml";
        Path part = inbox.resolve(name + ".part");
        Files.write(part, file);

        Thread.sleep(1000); // several scans: a .part file is never taken
        assertThat(part).exists();
        Files.move(part, inbox.resolve(name));

        await().atMost(WAIT).until(() -> !Files.exists(inbox.resolve(name)));
        String fileId = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "SELECT file_id FROM received_file WHERE original_name = ?", String.class, name), l -> !l.isEmpty())
                .get(0);
        JsonNode done = awaitFile("caf-51", fileId, f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("channel").asString()).isEqualTo("INBOX");
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(6);
        assertThat(DATA.resolve("files").resolve(fileId)).hasBinaryContent(file);
        awaitDeliveries(CD_51, exchangeIds("caf-51", file, 6), 6);
    }

    @Test
    void filesStillBeingWrittenByCommonSftpClientsAreNotTaken() throws Exception {
        Path inbox = DATA.resolve("inbox").resolve("caf-51");
        Files.createDirectories(inbox);
        String stem = "RSABEM_" + UUID.randomUUID();
        // WinSCP writes 'name.filepart', then renames it; some clients write in upper case
        List<Path> partial = List.of(inbox.resolve(stem + ".xml.filepart"), inbox.resolve(stem + ".XML.PART"),
                inbox.resolve(stem + ".xml.TMP"));
        byte[] half = Arrays.copyOf(cnaf("cnaf-monthly.xml"), 1000);
        for (Path p : partial) {
            Files.write(p, half);
        }
        try {
            Thread.sleep(1000); // five scans: unchanged, yet never taken
            assertThat(partial).allSatisfy(p -> assertThat(p).exists());
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM received_file WHERE original_name LIKE ?",
                    Long.class, stem + "%")).isZero();
        } finally {
            for (Path p : partial) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aFileThatCannotBeRecordedDoesNotStopTheInbox() throws Exception {
        // a file taken from the inbox that cannot be read any more (here a folder where the file was expected)
        Path stuck = DATA.resolve("files").resolve(".incoming").resolve("caf-51")
                .resolve(UUID.randomUUID() + "--unreadable.xml");
        Files.createDirectories(stuck);
        try {
            String fileId = dropAndAwaitTaken("caf-51", "RSABEM_after_unreadable_" + UUID.randomUUID() + ".xml",
                    cnaf("cnaf-monthly.xml"));
            awaitFile("caf-51", fileId, f -> "DONE".equals(f.path("status").asString()));
            assertThat(stuck).isDirectory(); // left where it is for the operator, with one WARN line
        } finally {
            Files.deleteIfExists(stuck);
        }
    }

    @Test
    void aFileWhoseNameIsLongInUnicodeIsTakenWithItsName() throws Exception {
        // 245 bytes: a valid name in the inbox, too long once the gateway prefixes its id to take it
        String name = "é".repeat(100) + "_" + UUID.randomUUID() + ".xml";
        String fileId = dropAndAwaitTaken("caf-51", name, cnaf("cnaf-monthly.xml"));

        JsonNode done = awaitFile("caf-51", fileId, f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("name").asString()).isEqualTo(name);
        assertThat(DATA.resolve("inbox").resolve("caf-51").resolve(name)).doesNotExist();
    }

    /** Drops a file in a partner's inbox and waits until the gateway has recorded it: its file id. */
    String dropAndAwaitTaken(String partner, String name, byte[] content) throws Exception {
        Path inbox = DATA.resolve("inbox").resolve(partner);
        Files.createDirectories(inbox);
        Path part = Files.write(inbox.resolve(name + ".part"), content);
        Files.move(part, inbox.resolve(name));
        return await().atMost(WAIT).until(() -> jdbc.queryForList(
                "SELECT file_id FROM received_file WHERE original_name = ?", String.class, name), l -> !l.isEmpty())
                .get(0);
    }

    @Test
    void anUnknownPartnerFolderIsIgnored() throws Exception {
        Path folder = DATA.resolve("inbox").resolve("nobody-99");
        Files.createDirectories(folder);
        Path dropped = Files.write(folder.resolve("file.xml"), fixture("cnaf-monthly.xml"));
        Thread.sleep(1000);
        assertThat(dropped).exists();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aFileLeftProcessingByAStopIsResumedWithTheSameExchangeIds(CapturedOutput output) throws Exception {
        // as a crash leaves it: stored, recorded, processing started, then nothing
        byte[] file = cnaf("cnaf-monthly.xml");
        UUID id = UUID.randomUUID();
        Files.createDirectories(DATA.resolve("files"));
        Files.write(DATA.resolve("files").resolve(id.toString()), file);
        store.insert(id, "caf-51", "RSABEM_resumed.xml", Digests.sha256Hex(file), file.length, "cnaf-vrsb0801",
                ReceivedFile.UPLOAD, java.time.Instant.now(), new ReceivedFileStore.Origin(
                        FileStoreId.of(DATA.resolve("files")), "crashed-instance", Duration.ofMinutes(5)));
        // the instance that crashed had started it; its lease has expired since
        jdbc.update("UPDATE received_file SET status = 'PROCESSING', attempts = 1, started_at = CURRENT_TIMESTAMP, "
                + "lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND WHERE file_id = ?", id);

        JsonNode done = awaitFile("caf-51", id.toString(), f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(6);
        awaitDeliveries(CD_51, exchangeIds("caf-51", file, 6), 6);
        // the partner and the operator see that the file was read again from its start
        assertThat(done.path("attempts").asInt()).isEqualTo(2);
        assertThat(output.getOut()).contains("file " + id + " from caf-51 (" + file.length
                + " bytes, cnaf-vrsb0801): processing, attempt 2 (read again from the beginning");
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void aPathInTheNameIsRefused() {
        HttpResponse<String> response = post(port, "/api/v1/partners/caf-51/files?name="
                + URLEncoder.encode("../../etc/passwd", StandardCharsets.UTF_8), token("caf-51"),
                "application/xml", cnaf("cnaf-monthly.xml"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(response).path("type").asString()).endsWith("/invalid-file-name");
    }

    @Test
    void aMultipartUploadWithSeveralFilesIsRefusedAndNothingIsKept() {
        String boundary = "spie-" + UUID.randomUUID();
        String name = "several_" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "-1.xml\"\r\n\r\n" + new String(cnaf("cnaf-monthly.xml"), StandardCharsets.UTF_8) + "\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "-2.xml\"\r\n\r\n" + new String(cnaf("cnaf-monthly.xml"), StandardCharsets.UTF_8) + "\r\n--"
                + boundary + "--\r\n";
        HttpResponse<String> response = post(port, "/api/v1/partners/caf-51/files", token("caf-51"),
                "multipart/form-data; boundary=" + boundary, body.getBytes(StandardCharsets.UTF_8));

        // before: 202 for the first file, the second silently lost
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(response).path("type").asString()).endsWith("/several-file-parts");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM received_file WHERE original_name LIKE ?", Long.class,
                name + "%")).isZero();
    }

    @Test
    void anotherPartnersCredentialIsForbiddenAndCannotReadTheReport() {
        HttpResponse<String> response = upload("cd-51", "caf-51", cnaf("cnaf-monthly.xml"), "x.xml", "application/xml");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).path("type").asString()).endsWith("/partner-mismatch");

        String fileId = json(upload("caf-51", cnaf("cnaf-monthly.xml"), "y.xml", "application/xml"))
                .path("fileId").asString();
        assertThat(get(port, "/api/v1/files/" + fileId, token("cd-51")).statusCode()).isEqualTo(404);
        assertThat(get(port, "/api/v1/files/" + fileId, "test-token-admin").statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/v1/files/" + fileId, null).statusCode()).isEqualTo(401);
        awaitFile("caf-51", fileId, f -> "DONE".equals(f.path("status").asString()));
    }

    @Test
    void aFileOverTheLimitIsRefused() {
        byte[] big = new byte[1024 * 1024 + 1];
        HttpResponse<String> response = upload("caf-51", big, "big.xml", "application/octet-stream");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("type").asString()).endsWith("/file-too-large");

        // the same file in a multipart body: the same problem (it was Spring's untyped 413)
        HttpResponse<String> multipart = multipart("caf-51", big, "big.xml");
        assertThat(multipart.statusCode()).isEqualTo(413);
        assertThat(multipart.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(multipart).path("type").asString()).endsWith("/file-too-large");
    }

    @Test
    void aCompressedFileIsQuarantinedAsCompressed() throws Exception {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(zipped)) {
            gzip.write(fixture("carnet-de-bord-beneficiaires.csv"));
        }
        String fileId = json(upload("cd-51", zipped.toByteArray(), "import_beneficiaires.csv.gz",
                "application/gzip")).path("fileId").asString();

        JsonNode quarantined = awaitFile("cd-51", fileId, f -> f.path("status").asString().matches("QUARANTINED|DONE"));
        assertThat(quarantined.path("status").asString()).isEqualTo("QUARANTINED");
        assertThat(quarantined.path("quarantine").path("reason").asString())
                .isEqualTo("the file is compressed (gzip): the gateway reads uncompressed files only, send it"
                        + " uncompressed");
        assertThat(quarantined.path("counts").path("records").asInt()).isZero();
    }

    @Test
    void anEmptyFileIsQuarantinedAsEmpty() {
        String fileId = json(upload("caf-51", new byte[0], "RSABEM_empty.xml", "application/xml")).path("fileId")
                .asString();

        JsonNode quarantined = awaitFile("caf-51", fileId, f -> "QUARANTINED".equals(f.path("status").asString()));
        // not 'malformed XML (truncated file, wrong encoding or not XML): Premature end of file.'
        assertThat(quarantined.path("quarantine").path("reason").asString()).isEqualTo("the file is empty (0 bytes)");
    }

    // ---------------------------------------------------------------- other formats

    @Test
    void aDepartementCsvIsReadWithItsMappingAndDelivered() throws Exception {
        byte[] file = fixture("carnet-de-bord-beneficiaires.csv");
        String fileId = json(upload("cd-51", file, "import_beneficiaires.csv", "text/csv")).path("fileId")
                .asString();

        JsonNode done = awaitFile("cd-51", fileId, f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("format").asString()).isEqualTo("departement-file");
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(3);
        assertThat(done.path("counts").path("rejected").asInt()).isEqualTo(1);
        assertThat(done.path("rejections").get(0).path("location").asString()).isEqualTo("line 4");
        assertThat(done.path("rejections").get(0).path("reason").asString()).contains("Date de naissance");
        awaitDeliveries(FT_51, exchangeIds("cd-51", file, 3), 3);
    }

    /** The same dossier twice in one file, both lines in one storage batch (batch size 2, one record per line). */
    @Test
    void aRecordRepeatedWithinOneBatchIsUnchangedAndTheFileIsNotHeldUp() throws Exception {
        String header = new String(fixture("carnet-de-bord-beneficiaires.csv"), StandardCharsets.UTF_8).lines()
                .findFirst().orElseThrow();
        String line = "FT-R-" + UUID.randomUUID().toString().substring(0, 8) + ";Marc;Testeur;1990-07-01"
                + ";".repeat(header.split(";", -1).length - 4);
        byte[] file = (header + "\n" + line + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8);
        String fileId = json(upload("cd-51", file, "import_doublon.csv", "text/csv")).path("fileId").asString();

        JsonNode done = awaitFile("cd-51", fileId, f -> !"RECEIVED".equals(f.path("status").asString())
                && !"PROCESSING".equals(f.path("status").asString()));
        assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("DONE");
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(1);
        assertThat(done.path("counts").path("unchanged").asInt()).isEqualTo(1);
        assertThat(done.path("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void aFileWithMoreBadRecordsThanTheReportShowsSaysItsListIsTruncated() throws Exception {
        String csv = new String(fixture("carnet-de-bord-beneficiaires.csv"), StandardCharsets.UTF_8);
        StringBuilder file = new StringBuilder(csv.lines().findFirst().orElseThrow()).append('\n');
        int bad = ReceivedFileStore.MAX_REJECTIONS_KEPT + 5;
        for (int i = 0; i < bad; i++) {
            file.append("TR-").append(i).append(";Léa;Testard;31/02/1991;;;;;;;;;;;;;;;;;;;;;\n"); // no such date
        }
        String fileId = json(upload("cd-51", file.toString().getBytes(StandardCharsets.UTF_8),
                "bad_" + UUID.randomUUID() + ".csv", "text/csv")).path("fileId").asString();

        JsonNode done = awaitFile("cd-51", fileId, f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("counts").path("rejected").asInt()).isEqualTo(bad);
        assertThat(done.path("rejectionsTotal").asInt()).isEqualTo(bad);
        assertThat(done.path("rejections")).hasSize(FileController.REJECTIONS_SHOWN);
        assertThat(done.path("rejectionsTruncated").asBoolean()).isTrue();
        assertThat(done.path("rejections").get(0).path("location").asString()).isEqualTo("line 2");

        String few = csv.lines().findFirst().orElseThrow() + "\nTR-" + UUID.randomUUID()
                + ";Léa;Testard;31/02/1991;;;;;;;;;;;;;;;;;;;;;\n";
        String fewId = json(upload("cd-51", few.getBytes(StandardCharsets.UTF_8), "few_bad.csv", "text/csv"))
                .path("fileId").asString();
        JsonNode whole = awaitFile("cd-51", fewId, f -> "DONE".equals(f.path("status").asString()));
        assertThat(whole.path("rejectionsTotal").asInt()).isEqualTo(1);
        assertThat(whole.path("rejectionsTruncated").isBoolean()).isTrue();
        assertThat(whole.path("rejectionsTruncated").asBoolean()).isFalse();
    }

    @Test
    void anImiloDossierIsReadAndDelivered() throws Exception {
        byte[] file = fixture("imilo-dossier-cej.json");
        String fileId = json(multipart("ml-reims", file, "dossier.json")).path("fileId").asString();

        JsonNode done = awaitFile("ml-reims", fileId, f -> "DONE".equals(f.path("status").asString()));
        assertThat(done.path("format").asString()).isEqualTo("imilo-dossier-json");
        assertThat(done.path("counts").path("accepted").asInt()).isEqualTo(2);
        Set<String> ids = exchangeIds("ml-reims", file, 2);
        awaitDeliveries(CD_51, ids, 2);
        assertThat(CD_51.findAll(postRequestedFor(anyUrl())).stream()
                .filter(r -> ids.contains(r.getHeader("X-Spie-Exchange-Id")))
                .map(r -> parse(r.getBodyAsString()).path("recordType").asString()))
                .containsExactlyInAnyOrder("person", "youth-support");
    }

    // ---------------------------------------------------------------- helpers

    static byte[] fixture(String name) throws Exception {
        try (InputStream in = FileChannelTest.class.getResourceAsStream("/files/" + name)) {
            return in.readAllBytes();
        }
    }

    /** A CNAF fixture with fresh matricules, so that change detection sees new households in every test. */
    static byte[] cnaf(String name) {
        try {
            String text = new String(fixture(name), StandardCharsets.UTF_8);
            return text.replace("77777", String.format("3%04d", HOUSEHOLDS.incrementAndGet()))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> upload(String partner, byte[] body, String name, String contentType) {
        return upload(partner, partner, body, name, contentType);
    }

    HttpResponse<String> upload(String who, String partner, byte[] body, String name, String contentType) {
        return post(port, "/api/v1/partners/" + partner + "/files?name=" + URLEncoder.encode(name,
                StandardCharsets.UTF_8), token(who), contentType, body);
    }

    HttpResponse<String> multipart(String partner, byte[] content, String filename) {
        String boundary = "spie-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return post(port, "/api/v1/partners/" + partner + "/files", token(partner),
                "multipart/form-data; boundary=" + boundary, body);
    }

    JsonNode fileStatus(String partner, String fileId) {
        HttpResponse<String> response = get(port, "/api/v1/files/" + fileId, token(partner));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    JsonNode awaitFile(String partner, String fileId, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = fileStatus(partner, fileId);
            return condition.test(last[0]);
        });
        return last[0];
    }

    @Test
    void aBatchsFingerprintsAndCountsAreWrittenInTheTransactionOfItsExchanges() {
        ObjectNode envelope = GatewayTestSupport.example("person.applicant-with-nir");
        UUID id = UUID.fromString(envelope.path("exchangeId").asString());
        IntakeService.CheckedItem checked = intake.check("caf-51", new IntakeService.BatchItem(envelope,
                envelope.toString().getBytes(StandardCharsets.UTF_8)));
        String exchangeRows = "SELECT COUNT(*) FROM exchange WHERE exchange_id = ?";

        // the file channel writes its fingerprints and counts there: when that fails, nothing of the batch is kept
        assertThatThrownBy(() -> intake.storeChecked("caf-51", List.of(checked), outcomes -> {
            assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.isAccepted()).isTrue());
            assertThat(jdbc.queryForObject(exchangeRows, Long.class, id)).isEqualTo(1); // same transaction
            throw new IllegalStateException("the file's counts could not be written");
        })).hasMessageContaining("counts could not be written");
        assertThat(jdbc.queryForObject(exchangeRows, Long.class, id)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE exchange_id = ?", Long.class, id))
                .isZero();

        List<IntakeService.BatchOutcome> stored = intake.storeChecked("caf-51", List.of(checked), outcomes -> { });
        assertThat(stored).singleElement().satisfies(o -> assertThat(o.accepted().replay()).isFalse());
        assertThat(jdbc.queryForObject(exchangeRows, Long.class, id)).isEqualTo(1);
    }

    static JsonNode parse(String text) {
        return GatewayTestSupport.JSON.readTree(text);
    }

    /** The exchange ids the gateway derives for the first {@code count} records of a file. */
    static Set<String> exchangeIds(String partner, byte[] file, int count) {
        Set<String> ids = new HashSet<>();
        String digest = Digests.sha256Hex(file);
        for (int i = 0; i < count; i++) {
            ids.add(FileProcessor.exchangeId(partner, digest, i).toString());
        }
        return ids;
    }

    static long deliveries(WireMockServer server, Set<String> ids) {
        return server.findAll(postRequestedFor(anyUrl())).stream()
                .filter(r -> ids.contains(r.getHeader("X-Spie-Exchange-Id"))).count();
    }

    static void awaitDeliveries(WireMockServer server, Set<String> ids, int expected) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> deliveries(server, ids) >= expected);
        assertThat(deliveries(server, ids)).isEqualTo(expected);
    }

}
