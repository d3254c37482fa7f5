package fr.spie.gateway.it;

import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.awaitStatus;
import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.cli.SpieCli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ledger end to end: exchanges through the running gateway, a signed tree head, proofs, exports, and the offline
 * verifier (plain files, no database) accepting the exports and naming the first bad entry of tampered copies.
 */
class LedgerAuditTest extends RunningGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String AUDITOR = token("auditor");

    @TempDir
    Path work;

    record Run(int code, String out) {
    }

    static Run verify(Path export, Path key) {
        CommandLine cli = SpieCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("audit", "verify", export.toString(), "--public-key", key.toString());
        return new Run(code, out.toString());
    }

    private String nir;

    /** Three exchanges about one new person, delivered, and a signed head covering all their events. */
    private List<String> exchangesAboutOnePerson() {
        nir = "18507" + "75" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode envelope = example("person.applicant-with-nir");
            ((ObjectNode) envelope.path("subject")).put("nir", nir);
            ids.add(envelope.path("exchangeId").asString());
            assertThat(submit(port, "caf-51", envelope).statusCode()).isEqualTo(202);
        }
        for (String id : ids) {
            awaitStatus(port, "caf-51", id, s -> "DELIVERED".equals(s.path("status").asString()), WAIT);
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode events = json(get(port, "/api/v1/audit/events?nir=" + nir + "&limit=1000", AUDITOR)).path("events");
            HttpResponse<String> head = get(port, "/api/v1/audit/tree-head", AUDITOR);
            if (events.isEmpty() || head.statusCode() != 200) {
                return false;
            }
            long size = json(head).path("treeSize").asLong();
            for (JsonNode e : events) {
                if (e.path("ledgerIndex").isNull() || e.path("ledgerIndex").asLong() >= size) {
                    return false;
                }
            }
            return true;
        });
        return ids;
    }

    private Path publicKey() throws IOException {
        HttpResponse<String> key = get(port, "/api/v1/gateway/ledger-key", null);
        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(key.body()).startsWith("-----BEGIN PUBLIC KEY-----");
        return Files.writeString(work.resolve("ledger-key.pem"), key.body());
    }

    private Path download(String path, String file) throws IOException {
        HttpResponse<String> r = get(port, path, AUDITOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Files.writeString(work.resolve(file), r.body());
    }

    @Test
    void treeHeadProofsAndPersonFilter() {
        List<String> ids = exchangesAboutOnePerson();
        JsonNode head = json(get(port, "/api/v1/audit/tree-head", AUDITOR));
        assertThat(head.path("algorithm").asString()).isEqualTo("Ed25519");
        assertThat(head.path("rootHash").asString()).hasSize(64);
        assertThat(head.path("keyId").asString()).hasSize(16);
        assertThat(get(port, "/api/v1/audit/tree-head", null).statusCode()).isEqualTo(401);
        assertThat(get(port, "/api/v1/audit/tree-head", token("caf-51")).statusCode()).isEqualTo(403);

        JsonNode events = json(get(port, "/api/v1/audit/events?nir=" + nir, AUDITOR)).path("events");
        assertThat(events).hasSizeGreaterThanOrEqualTo(3 * 4);
        List<String> exchanges = new ArrayList<>();
        events.forEach(e -> exchanges.add(e.path("exchangeId").asString()));
        assertThat(exchanges).containsOnly(ids.toArray(String[]::new));
        // the same person named by the pivot identity gives another key (the NIR wins at intake): no mix-up
        JsonNode byScheme = json(get(port, "/api/v1/audit/events?identifierScheme=caf-matricule&identifierValue=x",
                AUDITOR)).path("events");
        assertThat(byScheme).isEmpty();
        assertThat(get(port, "/api/v1/audit/events?identifierScheme=caf-matricule", AUDITOR).statusCode())
                .isEqualTo(400);

        long index = events.get(0).path("ledgerIndex").asLong();
        long size = head.path("treeSize").asLong();
        JsonNode proof = json(get(port, "/api/v1/audit/proofs/inclusion?index=" + index + "&treeSize=" + size,
                AUDITOR));
        assertThat(proof.path("leafHash").asString()).hasSize(64);
        assertThat(proof.path("rootHash").asString()).isEqualTo(head.path("rootHash").asString());
        assertThat(get(port, "/api/v1/audit/proofs/inclusion?index=" + size + "&treeSize=" + size, AUDITOR)
                .statusCode()).isEqualTo(400);
        JsonNode consistency = json(get(port, "/api/v1/audit/proofs/consistency?first=1&second=" + size, AUDITOR));
        assertThat(consistency.path("secondRootHash").asString()).isEqualTo(head.path("rootHash").asString());

        JsonNode health = json(get(port, "/actuator/health", null));
        assertThat(health.path("status").asString()).isEqualTo("UP");
    }

    @Test
    void aPersonsExportVerifiesOfflineAndEveryTamperingIsNamed() throws IOException {
        exchangesAboutOnePerson();
        Path key = publicKey();
        Path export = download("/api/v1/audit/export?nir=" + nir + "&format=jsonl", "person.jsonl");
        assertThat(Files.readString(export)).doesNotContain(nir);

        Run ok = verify(export, key);
        assertThat(ok.code()).as(ok.out()).isZero();
        assertThat(ok.out()).startsWith("OK");

        List<String> lines = Files.readAllLines(export);
        List<Integer> eventLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"record\":\"event\"")) {
                eventLines.add(i);
            }
        }
        assertThat(eventLines).hasSizeGreaterThanOrEqualTo(12);
        int second = eventLines.get(1);
        long secondIndex = JSON.readTree(lines.get(second)).path("ledgerIndex").asLong();

        // one field of one event changed
        List<String> changed = new ArrayList<>(lines);
        changed.set(second, lines.get(second).replace("\\\"actor\\\":\\\"", "\\\"actor\\\":\\\"x"));
        assertThat(changed.get(second)).isNotEqualTo(lines.get(second));
        assertTampered(changed, "changed", secondIndex);

        // one event deleted
        List<String> deleted = new ArrayList<>(lines);
        deleted.remove(second);
        assertThat(assertTampered(deleted, "deleted", secondIndex).out()).contains("deleted");

        // two events swapped
        List<String> swapped = new ArrayList<>(lines);
        swapped.set(second, lines.get(eventLines.get(2)));
        swapped.set(eventLines.get(2), lines.get(second));
        Run swap = assertTampered(swapped, "swapped", secondIndex);
        assertThat(swap.out()).contains("reordered");

        // one genuine event of the ledger that is not part of this selection inserted
        Path other = download("/api/v1/audit/export?eventType=RECEIVED&format=jsonl", "received.jsonl");
        String foreign = Files.readAllLines(other).stream()
                .filter(l -> l.contains("\"record\":\"event\"") && !l.contains(nir)).filter(l -> {
                    long i = JSON.readTree(l).path("ledgerIndex").asLong();
                    return lines.stream().noneMatch(x -> x.contains("\"ledgerIndex\":" + i + ","));
                }).findFirst().orElseThrow();
        long foreignIndex = JSON.readTree(foreign).path("ledgerIndex").asLong();
        List<String> inserted = new ArrayList<>(lines);
        int at = eventLines.get(0);
        for (int i : eventLines) {
            if (JSON.readTree(lines.get(i)).path("ledgerIndex").asLong() < foreignIndex) {
                at = i + 1;
            }
        }
        inserted.add(at, foreign);
        assertThat(assertTampered(inserted, "inserted", foreignIndex).out()).contains("inserted");

        // a forged tree head (other root, same signature)
        List<String> forged = new ArrayList<>(lines);
        int headLine = 1;
        JsonNode head = JSON.readTree(lines.get(headLine));
        String root = head.path("rootHash").asString();
        forged.set(headLine, lines.get(headLine).replace(root, (root.charAt(0) == '0' ? "1" : "0") + root.substring(1)));
        Run forgedRun = assertTampered(forged, "forged-head", null);
        assertThat(forgedRun.out()).contains("tree head at size " + head.path("treeSize").asLong()).contains("signature");

        // a head signed by another key
        Path otherKey = Files.writeString(work.resolve("other.pem"),
                fr.spie.gateway.ledger.GatewayKeys.generate().publicKeyPem());
        assertThat(verify(export, otherKey).code()).isEqualTo(1);
    }

    @Test
    void csvExportVerifiesAndItsReadableColumnsAreChecked() throws IOException {
        exchangesAboutOnePerson();
        Path key = publicKey();
        Path csv = download("/api/v1/audit/export?nir=" + nir + "&format=csv", "person.csv");
        Run ok = verify(csv, key);
        assertThat(ok.code()).as(ok.out()).isZero();

        List<String> rows = Files.readAllLines(csv);
        int row = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).startsWith("event,") && rows.get(i).contains(",ROUTED,")) {
                row = i;
                break;
            }
        }
        assertThat(row).isPositive();
        List<String> changed = new ArrayList<>(rows);
        changed.set(row, rows.get(row).replace(",ROUTED,", ",BLOCKED,"));
        Path bad = Files.write(work.resolve("changed.csv"), changed);
        Run run = verify(bad, key);
        assertThat(run.code()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("CSV column 'type'");
    }

    @Test
    void theFullExportVerifiesAndAChangedEntryIsNamed() throws Exception {
        exchangesAboutOnePerson();
        Path key = publicKey();
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/audit/export/full"))
                .header("Authorization", "Bearer " + AUDITOR).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        Path zipFile = Files.write(work.resolve("full.zip"), zip.body());
        Run ok = verify(zipFile, key);
        assertThat(ok.code()).as(ok.out()).isZero();

        Path dir = Files.createDirectories(work.resolve("full"));
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Files.copy(in, dir.resolve(e.getName()));
            }
        }
        assertThat(verify(dir, key).code()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("ledger.jsonl"));
        int target = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"record\":\"event\"") && lines.get(i).contains("\\\"type\\\":\\\"DELIVERED")) {
                target = i;
            }
        }
        long index = JSON.readTree(lines.get(target)).path("ledgerIndex").asLong();
        JsonNode event = JSON.readTree(lines.get(target));
        String entry = event.path("entry").asString();
        String altered = entry.replace("\"type\":\"DELIVERED\"", "\"type\":\"DEAD_LETTERED\"");
        String leaf = fr.spie.gateway.ledger.MerkleHash.hex(fr.spie.gateway.ledger.MerkleHash.leafHash(
                altered.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // a careful forger also fixes the recorded leaf hash: the signed roots and leaves.bin still name the entry
        ((ObjectNode) event).put("entry", altered).put("leafHash", leaf);
        lines.set(target, JSON.writeValueAsString(event));
        Files.write(dir.resolve("ledger.jsonl"), lines);
        Run bad = verify(dir, key);
        assertThat(bad.code()).as(bad.out()).isEqualTo(1);
        assertThat(bad.out()).contains("entry " + index);
    }

    private Run assertTampered(List<String> lines, String name, Long index) throws IOException {
        Path file = Files.write(work.resolve(name + ".jsonl"), lines);
        Run run = verify(file, work.resolve("ledger-key.pem"));
        assertThat(run.code()).as(name + ": " + run.out()).isEqualTo(1);
        assertThat(run.out()).startsWith("TAMPERED");
        if (index != null) {
            assertThat(run.out()).as(name).contains("ledger index " + index);
        }
        return run;
    }
}
