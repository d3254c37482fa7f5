package fr.spie.gateway.files;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.post;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.cluster.InstanceId;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.it.DataDeletedAfterClass;
import fr.spie.gateway.it.GatewayTestSupport;
import fr.spie.gateway.privacy.Digests;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Several gateway instances on one database share the file channel: two (or three) {@link FileIntake}s with their own
 * instance ids on the test's database, each with a data directory of its own or one shared volume. The gateway's own
 * file intake sweeps once at start-up only (inbox poll of an hour): the instances here are driven by hand.
 */
@ExtendWith(DataDeletedAfterClass.class) // first: its after-class step runs after the context is closed
@SpringBootTest(classes = SpieGatewayMain.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
// The 60,000 records of its two large files were still being delivered minutes after the class, under the next
// classes, while the embedded database's file grew to 3.6 GB (H2 reuses a file's space only slowly under steady
// writes): the gateway of this class is closed after it, and its data deleted.
@DirtiesContext
class FileLeaseTest {
    static final WireMockServer RECIPIENTS = GatewayTestSupport.startRecipient();
    static final Path DATA = GatewayTestSupport.tempDataDir();
    static final Duration WAIT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ReceivedFileStore store;
    @Autowired
    RoutingConfigHolder config;
    @Autowired
    IntakeService intake;
    @Autowired
    Pseudonymizer pseudonymizer;

    private final List<FileIntake> instances = new ArrayList<>();

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("spie.data-dir", DATA::toString);
        registry.add("spie.config-dir", () -> "src/test/resources/files/config");
        registry.add("spie.files.inbox-poll", () -> "1h");
        String url = RECIPIENTS.baseUrl() + "/spie/records";
        registry.add("TEST_URL_CD_51", () -> url);
        registry.add("TEST_URL_FT_51", () -> url);
        registry.add("TEST_URL_ML_REIMS", () -> url);
    }

    @BeforeEach
    void recipientsUp() {
        RECIPIENTS.resetAll();
        RECIPIENTS.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stopInstances() throws Exception {
        for (FileIntake instance : instances) {
            instance.destroy();
        }
    }

    /** An instance named {@code name} with the data directory {@code data} (one per instance, or shared). */
    FileIntake instance(String name, Path data, Duration lease, Duration renewal) {
        FileIntake instance = new FileIntake(store, config, intake, pseudonymizer,
                new SpieProperties(data.toString(), null, null, null, null, null),
                new FilesProperties(null, null, false, 2, 100, null, 3, 200, null, lease, renewal), new InstanceId(name));
        instances.add(instance);
        return instance;
    }

    FileIntake instance(String name, Path data) {
        return instance(name, data, Duration.ofSeconds(60), Duration.ofSeconds(15));
    }

    /** A file received by {@code at}: its bytes in at's file store, its row recorded, at's first lease already over. */
    UUID received(FileIntake at, String partner, String format, byte[] bytes) throws Exception {
        UUID id = UUID.randomUUID();
        Files.createDirectories(at.storage().root());
        Files.write(at.storage().path(id), bytes);
        store.insert(id, partner, "file-" + id + ".dat", Digests.sha256Hex(bytes), bytes.length, format,
                ReceivedFile.UPLOAD, Instant.now(), new ReceivedFileStore.Origin(at.storeId(), at.instance(),
                        Duration.ZERO));
        Thread.sleep(5); // the first lease (of no duration) is over
        return id;
    }

    UUID receivedCnaf(FileIntake at) throws Exception {
        return received(at, "caf-51", "cnaf-vrsb0801", FileChannelTest.cnaf("cnaf-monthly.xml"));
    }

    ReceivedFile file(UUID id) {
        return store.find(id).orElseThrow();
    }

    long auditEvents(String type, UUID id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = ? AND detail LIKE ?",
                Long.class, type, "file " + id + "%");
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sweeps like the inbox watcher does, until the file is finished. */
    void sweepUntilFinished(UUID id, FileIntake... sweeping) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (FileIntake instance : sweeping) {
                instance.sweep();
            }
            return file(id).status().finished();
        });
    }

    // ---------------------------------------------------------------- (a) one instance at a time

    @Test
    void twoInstancesOnOneSharedVolumeNeverProcessTheSameFileTwice() throws Exception {
        Path shared = GatewayTestSupport.tempDataDir();
        FileIntake a = instance("instance-a", shared);
        FileIntake b = instance("instance-b", shared);
        assertThat(a.storeId()).as("one shared volume: one file store").isEqualTo(b.storeId());

        // while a lease is held by another instance, neither takes the file
        UUID held = receivedCnaf(a);
        assertThat(store.claim(held, "instance-c", Duration.ofMinutes(1))).isTrue();
        for (int i = 0; i < 10; i++) {
            a.sweep();
            b.sweep();
            pause(50);
        }
        assertThat(file(held).status()).isEqualTo(FileStatus.RECEIVED);
        assertThat(file(held).attempts()).isZero();
        store.release(held, "instance-c");
        sweepUntilFinished(held, a, b);
        assertThat(file(held).status()).isEqualTo(FileStatus.DONE);
        assertThat(file(held).attempts()).isEqualTo(1);

        // many files, both instances sweeping at once: each file is read once, by one of them
        List<UUID> files = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            files.add(receivedCnaf(i % 2 == 0 ? a : b));
        }
        Thread other = new Thread(() -> files.forEach(id -> sweepUntilFinished(id, b)));
        other.start();
        files.forEach(id -> sweepUntilFinished(id, a));
        other.join(WAIT.toMillis());
        for (UUID id : files) {
            ReceivedFile f = file(id);
            assertThat(f.status()).as("file %s", id).isEqualTo(FileStatus.DONE);
            assertThat(f.attempts()).as("attempts of file %s", id).isEqualTo(1);
            assertThat(f.accepted()).isEqualTo(6);
            assertThat(f.leaseHolder()).as("released when done").isNull();
            assertThat(auditEvents("FILE_PROCESSED", id)).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- (b) an instance without the bytes

    @Test
    void anInstanceWithoutTheBytesNeitherReadsNorCountsNorQuarantinesAndSaysSoOnce(CapturedOutput output)
            throws Exception {
        FileIntake a = instance("instance-a", GatewayTestSupport.tempDataDir());
        FileIntake b = instance("instance-b", GatewayTestSupport.tempDataDir());
        assertThat(a.storeId()).isNotEqualTo(b.storeId());
        UUID id = receivedCnaf(a);

        for (int i = 0; i < 10; i++) { // more sweeps than spie.files.max-attempts
            b.sweep();
            b.schedule(id); // as an upload's scheduling would, straight to a worker
            pause(50);
        }
        ReceivedFile waiting = file(id);
        assertThat(waiting.status()).isEqualTo(FileStatus.RECEIVED);
        assertThat(waiting.attempts()).isZero();
        assertThat(waiting.leaseHolder()).isEqualTo("instance-a"); // its first lease, never taken by b
        assertThat(output.getOut()).containsOnlyOnce("file " + id + " from caf-51 waits for an instance that has "
                + "its bytes: they are in file store " + a.storeId() + " (received by instance instance-a), used by "
                + "instance instance-a");

        // an administrator sees where the bytes are and that their store is in use
        JsonNode report = json(get(port, "/api/v1/files/" + id, token("admin")));
        assertThat(report.path("bytes").path("store").asString()).isEqualTo(a.storeId());
        assertThat(report.path("bytes").path("receivedBy").asString()).isEqualTo("instance-a");
        assertThat(report.path("bytes").path("storeLastUsedBy").asString()).isEqualTo("instance-a");
        assertThat(report.path("bytes").path("storeRunning").asBoolean()).isTrue();
        // the partner's report does not name the instances
        assertThat(json(get(port, "/api/v1/files/" + id, token("caf-51"))).has("bytes")).isFalse();

        sweepUntilFinished(id, a, b);
        assertThat(file(id).status()).isEqualTo(FileStatus.DONE);
        assertThat(file(id).attempts()).isEqualTo(1);
    }

    @Test
    void aFileWhoseStoreNoRunningInstanceUsesWaitsAndSaysSo(CapturedOutput output) throws Exception {
        FileIntake b = instance("instance-b", GatewayTestSupport.tempDataDir());
        b.storeId();
        byte[] bytes = FileChannelTest.cnaf("cnaf-monthly.xml");
        UUID id = UUID.randomUUID();
        // received by an instance gone with its data directory: its store was last seen long ago
        store.insert(id, "caf-51", "gone.xml", Digests.sha256Hex(bytes), bytes.length, "cnaf-vrsb0801",
                ReceivedFile.UPLOAD, Instant.now(), new ReceivedFileStore.Origin("store-of-a-gone-instance",
                        "instance-gone", Duration.ZERO));
        store.fileStoreSeen("store-of-a-gone-instance", "instance-gone", "/var/lib/spie/files");
        jdbc.update("UPDATE file_store SET seen_at = CURRENT_TIMESTAMP - INTERVAL '1' HOUR WHERE store_id = ?",
                "store-of-a-gone-instance");

        for (int i = 0; i < 5; i++) {
            b.sweep();
            pause(50);
        }
        assertThat(file(id).status()).isEqualTo(FileStatus.RECEIVED);
        assertThat(file(id).attempts()).isZero();
        assertThat(output.getOut()).containsOnlyOnce("file " + id + " from caf-51: no running instance has its "
                + "bytes: they are in file store store-of-a-gone-instance (received by instance instance-gone), last "
                + "used by instance instance-gone (/var/lib/spie/files) at ");
        assertThat(output.getOut()).contains("if that store is lost, an administrator quarantines the file (POST "
                + "/api/v1/admin/files/" + id + "/quarantine");
        JsonNode report = json(get(port, "/api/v1/files/" + id, token("admin")));
        assertThat(report.path("lease").path("holder").isNull()).isTrue();
        assertThat(report.path("bytes").path("storeRunning").asBoolean()).isFalse();
        assertThat(report.path("bytes").path("storeLocation").asString()).isEqualTo("/var/lib/spie/files");
    }

    // ---------------------------------------------------------------- (b') an administrator settles it

    HttpResponse<String> quarantine(Object fileId, String who, String body) {
        return post(port, "/api/v1/admin/files/" + fileId + "/quarantine", token(who), "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> upload(String partner, byte[] bytes) {
        return post(port, "/api/v1/partners/" + partner + "/files?name=again.xml", token(partner), "application/xml",
                bytes);
    }

    static String problem(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        return json(response).path("type").asString();
    }

    @Test
    void anAdministratorQuarantinesAFileNoInstanceCanReadAndTheSameBytesAreThenProcessed(CapturedOutput output)
            throws Exception {
        byte[] bytes = FileChannelTest.cnaf("cnaf-monthly.xml");
        UUID id = UUID.randomUUID();
        // received by an instance gone with its data directory: its store was last seen long ago
        store.insert(id, "caf-51", "gone.xml", Digests.sha256Hex(bytes), bytes.length, "cnaf-vrsb0801",
                ReceivedFile.UPLOAD, Instant.now(), new ReceivedFileStore.Origin("store-of-a-pod-deleted",
                        "instance-deleted", Duration.ZERO));
        store.fileStoreSeen("store-of-a-pod-deleted", "instance-deleted", "/var/lib/spie/files");
        jdbc.update("UPDATE file_store SET seen_at = CURRENT_TIMESTAMP - INTERVAL '1' HOUR WHERE store_id = ?",
                "store-of-a-pod-deleted");
        Thread.sleep(5); // its first lease (of no duration) is over

        // as long as it waits, the partner's same bytes are a duplicate of it, and nothing is read
        JsonNode duplicate = json(upload("caf-51", bytes));
        assertThat(duplicate.path("status").asString()).isEqualTo("DUPLICATE");
        assertThat(duplicate.path("duplicateOf").asString()).isEqualTo(id.toString());

        // refused: no reason, a blank one, one too long, an unknown file, a file id that is no UUID
        assertThat(problem(quarantine(id, "admin", "{}"))).endsWith("/reason-required");
        assertThat(problem(quarantine(id, "admin", "{\"reason\": \"  \"}"))).endsWith("/reason-required");
        assertThat(problem(quarantine(id, "admin", "{\"reason\": \"" + "x".repeat(501) + "\"}")))
                .endsWith("/reason-too-long");
        HttpResponse<String> unknown = quarantine(UUID.randomUUID(), "admin", "{\"reason\": \"gone\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(problem(unknown)).endsWith("/file-not-found");
        assertThat(quarantine("not-a-uuid", "admin", "{\"reason\": \"gone\"}").statusCode()).isEqualTo(400);
        // a partner may not, even its own file
        assertThat(quarantine(id, "caf-51", "{\"reason\": \"gone\"}").statusCode()).isEqualTo(403);
        assertThat(file(id).status()).isEqualTo(FileStatus.RECEIVED);

        String reason = "pod gw-1 deleted with its volume, ticket OPS-4711";
        HttpResponse<String> done = quarantine(id, "admin", "{\"reason\": \"" + reason + "\"}");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        JsonNode report = json(done);
        assertThat(report.path("status").asString()).isEqualTo("QUARANTINED");
        assertThat(report.path("quarantine").path("reason").asString())
                .startsWith("quarantined by an administrator before it was read to its end: the same file may be "
                        + "sent again").doesNotContain(reason);
        ReceivedFile quarantined = file(id);
        assertThat(quarantined.status()).isEqualTo(FileStatus.QUARANTINED);
        assertThat(quarantined.leaseHolder()).isNull();
        assertThat(quarantined.attempts()).as("not read").isZero();
        // audited with the administrator as actor and their reason; the reason is in no log line
        assertThat(jdbc.queryForList("SELECT actor || ' | ' || source_partner || ' | ' || detail FROM audit_event "
                + "WHERE event_type = 'FILE_QUARANTINED' AND detail LIKE ?", String.class, "file " + id + "%"))
                .containsExactly("test-admin | caf-51 | file " + id + " quarantined by an administrator (it was "
                        + "RECEIVED, 0 attempt(s), bytes in file store store-of-a-pod-deleted received by instance "
                        + "instance-deleted): " + reason);
        assertThat(output.getOut()).contains("file " + id + " from caf-51 quarantined by administrator test-admin")
                .doesNotContain(reason);

        // once only: a quarantined file is finished
        HttpResponse<String> again = quarantine(id, "admin", "{\"reason\": \"twice\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(problem(again)).endsWith("/file-finished");

        // the digest is free: the same bytes sent again are read, not a duplicate
        JsonNode resent = json(upload("caf-51", bytes));
        assertThat(resent.path("status").asString()).isEqualTo("RECEIVED");
        UUID resentId = UUID.fromString(resent.path("fileId").asString());
        await().atMost(WAIT).until(() -> file(resentId).status().finished());
        assertThat(file(resentId).status()).isEqualTo(FileStatus.DONE);
        assertThat(file(resentId).accepted()).isEqualTo(6);
        HttpResponse<String> finished = quarantine(resentId, "admin", "{\"reason\": \"late\"}");
        assertThat(finished.statusCode()).isEqualTo(409);
        assertThat(problem(finished)).endsWith("/file-finished");
    }

    @Test
    void aFileAnInstanceIsReadingIsNotQuarantinedAndTheAnswerSaysByWhomAndUntilWhen() throws Exception {
        FileIntake a = instance("instance-a", GatewayTestSupport.tempDataDir());
        UUID id = receivedCnaf(a);
        assertThat(store.claim(id, "instance-c", Duration.ofMinutes(5))).isTrue();
        Instant until = file(id).leaseUntil();

        HttpResponse<String> refused = quarantine(id, "admin", "{\"reason\": \"stuck?\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(problem(refused)).endsWith("/file-being-read");
        JsonNode body = json(refused);
        assertThat(body.path("leaseHolder").asString()).isEqualTo("instance-c");
        assertThat(Instant.parse(body.path("leaseUntil").asString())).isEqualTo(until);
        assertThat(body.path("detail").asString()).contains("instance instance-c").contains(until.toString());
        ReceivedFile untouched = file(id);
        assertThat(untouched.status()).isEqualTo(FileStatus.RECEIVED);
        assertThat(untouched.leaseHolder()).isEqualTo("instance-c");
        assertThat(auditEvents("FILE_QUARANTINED", id)).isZero();

        // once its lease is over (the instance stopped), it can be quarantined
        store.release(id, "instance-c");
        assertThat(quarantine(id, "admin", "{\"reason\": \"instance-c stopped\"}").statusCode()).isEqualTo(200);
        assertThat(file(id).status()).isEqualTo(FileStatus.QUARANTINED);
        // and no instance takes it any more
        assertThat(store.claim(id, "instance-a", Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void anInstanceWhoseExpiredLeaseWasFollowedByAnAdministratorsQuarantineSaysSoAndStops(CapturedOutput output)
            throws Exception {
        FileIntake a = instance("instance-a", GatewayTestSupport.tempDataDir());
        UUID id = received(a, "cd-51", "departement-file", departementCsv(RECORDS));
        a.sweep();
        await().atMost(WAIT).until(() -> file(id).recordsDone() > 0);
        // its renewals did not get through (a long pause, the database out of reach...): the lease ran out
        jdbc.update("UPDATE received_file SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND "
                + "WHERE file_id = ?", id);

        HttpResponse<String> quarantined = quarantine(id, "admin", "{\"reason\": \"instance-a hangs\"}");
        assertThat(quarantined.statusCode()).as(quarantined.body()).isEqualTo(200);

        String lost = "file " + id + ": this instance (instance-a) lost its lease";
        await().atMost(WAIT).until(() -> output.getOut().contains(lost));
        assertThat(output.getOut().lines().filter(line -> line.contains(lost)).toList()).isNotEmpty()
                .allMatch(line -> line.contains("the file was quarantined meanwhile by an administrator"))
                .noneMatch(line -> line.contains("another instance"));
        ReceivedFile f = file(id);
        assertThat(f.status()).isEqualTo(FileStatus.QUARANTINED);
        assertThat(f.recordsDone()).isLessThan(RECORDS);
        assertThat(auditEvents("FILE_PROCESSED", id)).isZero();
    }

    // ---------------------------------------------------------------- (c) a crashed holder

    @Test
    void anExpiredLeaseIsTakenOverAndTheFileCompletes() throws Exception {
        Path shared = GatewayTestSupport.tempDataDir();
        FileIntake b = instance("instance-b", shared);
        UUID id = receivedCnaf(b);
        // instance-a took it, started it, then crashed: its lease runs out in 500 ms
        assertThat(store.claim(id, "instance-a", Duration.ofMillis(500))).isTrue();
        store.start(id, "instance-a", Instant.now());

        b.sweep();
        pause(100);
        assertThat(file(id).attempts()).as("not taken while the lease lasts").isEqualTo(1);
        assertThat(file(id).leaseHolder()).isEqualTo("instance-a");

        sweepUntilFinished(id, b);
        ReceivedFile done = file(id);
        assertThat(done.status()).isEqualTo(FileStatus.DONE);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.accepted() + done.unchanged()).isEqualTo(6);
        // what the instance that lost the lease might still try to write is refused, and changes nothing
        assertThat(store.renew(id, "instance-a", Duration.ofMinutes(1))).isFalse();
        assertThatThrownBy(() -> store.progress(id, "instance-a", new ReceivedFileStore.Counts(1, 1, 0, 0),
                List.of(new ReceivedFileStore.Rejection(0, "line 1", "late")), Instant.now()))
                .isInstanceOf(ReceivedFileStore.LeaseLostException.class);
        assertThatThrownBy(() -> store.done(id, "instance-a", "{}", Instant.now()))
                .isInstanceOf(ReceivedFileStore.LeaseLostException.class);
        assertThat(file(id).recordsDone()).isEqualTo(6);
        assertThat(store.rejections(id, 10)).isEmpty();
        assertThat(auditEvents("FILE_PROCESSED", id)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- (d) the heartbeat

    private static final int RECORDS = 30_000;

    /** A département file of {@code records} persons, new ones on every call. */
    static byte[] departementCsv(int records) throws Exception {
        String header = new String(FileChannelTest.fixture("carnet-de-bord-beneficiaires.csv"), StandardCharsets.UTF_8)
                .lines().findFirst().orElseThrow();
        String empty = ";".repeat(header.split(";", -1).length - 4);
        String run = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder(header).append('\n');
        for (int i = 0; i < records; i++) {
            csv.append("FT-L-").append(run).append('-').append(i).append(";Marc;Testeur;1990-07-01").append(empty)
                    .append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theHeartbeatKeepsTheLeaseOfAFileReadForManyLeaseDurations() throws Exception {
        Duration lease = Duration.ofMillis(1500);
        Path shared = GatewayTestSupport.tempDataDir();
        FileIntake a = instance("instance-a", shared, lease, Duration.ofMillis(300));
        FileIntake b = instance("instance-b", shared, lease, Duration.ofMillis(300));
        // long enough to outlast several leases on a fast machine too (~3,000 records/s here when quiet)
        UUID id = received(a, "cd-51", "departement-file", departementCsv(RECORDS));

        a.sweep();
        await().atMost(WAIT).until(() -> file(id).status() == FileStatus.PROCESSING);
        // b keeps looking while a reads: the lease a renews is never free
        Set<String> holders = ConcurrentHashMap.newKeySet();
        AtomicBoolean finished = new AtomicBoolean();
        while (!finished.get()) {
            b.sweep();
            ReceivedFile f = file(id);
            if (f.status().finished()) {
                finished.set(true);
            } else {
                holders.add(String.valueOf(f.leaseHolder()));
            }
            pause(50);
        }
        ReceivedFile done = file(id);
        assertThat(done.status()).isEqualTo(FileStatus.DONE);
        assertThat(Duration.between(done.startedAt(), done.finishedAt()))
                .as("the file was read for several lease durations").isGreaterThan(lease.multipliedBy(3));
        assertThat(holders).containsExactly("instance-a");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.accepted()).isEqualTo(RECORDS);
        assertThat(auditEvents("FILE_PROCESSED", id)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- (d) one inbox folder shared

    @Test
    void twoInstancesRecoveringOneSharedIncomingFolderRecordEachFileOnceAndSayNothingMisleading(
            CapturedOutput output) throws Exception {
        Path shared = GatewayTestSupport.tempDataDir();
        FileIntake a = instance("instance-a", shared);
        FileIntake b = instance("instance-b", shared);
        FilesProperties files = new FilesProperties(null, null, false, null, null, null, null, null, null, null,
                null);
        SpieProperties spie = new SpieProperties(shared.toString(), null, null, null, null, null);
        InboxWatcher watcherA = new InboxWatcher(a, config, spie, files);
        InboxWatcher watcherB = new InboxWatcher(b, config, spie, files);
        Path incoming = shared.resolve("files").resolve(".incoming").resolve("caf-51");
        Files.createDirectories(incoming);
        List<UUID> taken = new ArrayList<>();
        try {
            for (int round = 0; round < 6; round++) {
                // files one instance has just taken from the inbox (moved to .incoming), not yet recorded: both
                // instances' recoveries see them at once
                for (int i = 0; i < 8; i++) {
                    UUID id = UUID.randomUUID();
                    Files.write(incoming.resolve(id + "--RSABEM_shared_" + id + ".xml"),
                            FileChannelTest.cnaf("cnaf-monthly.xml"));
                    taken.add(id);
                }
                CyclicBarrier together = new CyclicBarrier(2);
                List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
                Thread other = new Thread(() -> at(together, watcherB::recoverClaimed, failures));
                other.start();
                at(together, watcherA::recoverClaimed, failures);
                other.join(WAIT.toMillis());
                assertThat(failures).isEmpty();
            }
        } finally {
            watcherA.destroy();
            watcherB.destroy();
        }

        try (var left = Files.list(incoming)) {
            assertThat(left).as("every file moved into the store").isEmpty();
        }
        for (UUID id : taken) {
            sweepUntilFinished(id, a, b);
            ReceivedFile f = file(id);
            assertThat(f.status()).as("file %s", id).isEqualTo(FileStatus.DONE);
            assertThat(f.attempts()).as("attempts of file %s", id).isEqualTo(1);
            assertThat(auditEvents("FILE_RECEIVED", id)).isEqualTo(1);
            assertThat(auditEvents("FILE_PROCESSED", id)).isEqualTo(1);
            assertThat(output.getOut()).containsOnlyOnce("file " + id + " taken from the inbox of caf-51");
        }
        assertThat(output.getOut()).doesNotContain("could not be recorded", "could not be taken", "will try again",
                "could not be processed");
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs the step once both threads are ready, keeping its failure for the test. */
    private static void at(CyclicBarrier together, Step step, List<Throwable> failures) {
        try {
            together.await();
            step.run();
        } catch (Exception e) {
            failures.add(e);
        }
    }

    // ---------------------------------------------------------------- a clean stop

    /**
     * A gateway stopped while it reads a file (an upgrade, a restart) interrupts its file workers. That stop is no
     * failure of the file: it counted as an attempt, so that a large file caught by three restarts was quarantined
     * unread ("processing failed 3 times"), was logged as an ERROR, and an interrupted read of the stored file could
     * be taken for an unreadable file and quarantined at once. The file is read again from the beginning by the next
     * instance, as its first attempt.
     */
    @Test
    void aStopInTheMiddleOfAFileIsNoFailedAttemptAndTheFileIsReadAgain(CapturedOutput output) throws Exception {
        Path shared = GatewayTestSupport.tempDataDir();
        FileIntake a = instance("instance-a", shared);
        UUID id = received(a, "cd-51", "departement-file", departementCsv(RECORDS));
        a.sweep();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> file(id).recordsDone() > 0);

        a.destroy();

        ReceivedFile stopped = file(id);
        assertThat(stopped.status()).as("neither done nor quarantined").isEqualTo(FileStatus.PROCESSING);
        assertThat(stopped.attempts()).as("attempts counted for a stop").isZero();
        assertThat(stopped.leaseHolder()).isNull();
        assertThat(output.getAll()).doesNotContain("file " + id + " could not be processed")
                .contains("file " + id + ": stopped with the gateway");

        FileIntake b = instance("instance-b", shared);
        sweepUntilFinished(id, b);
        ReceivedFile done = file(id);
        assertThat(done.status()).isEqualTo(FileStatus.DONE);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.accepted() + done.unchanged()).isEqualTo(RECORDS);
    }

    @Test
    void aCleanStopGivesTheLeaseBack() throws Exception {
        FileIntake a = instance("instance-a", GatewayTestSupport.tempDataDir());
        UUID id = receivedCnaf(a);
        FileLeases leases = new FileLeases(store, "instance-z", Duration.ofMinutes(1), Duration.ofSeconds(15));
        assertThat(leases.claim(id)).isTrue();
        assertThat(store.claim(id, "instance-y", Duration.ofMinutes(1))).isFalse();

        leases.close();

        assertThat(file(id).leaseHolder()).isNull();
        sweepUntilFinished(id, a);
        assertThat(file(id).status()).isEqualTo(FileStatus.DONE);
    }
}
