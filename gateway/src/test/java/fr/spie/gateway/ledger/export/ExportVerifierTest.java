package fr.spie.gateway.ledger.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.cli.SpieCli;
import fr.spie.gateway.ledger.CanonicalJson;
import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.MerkleLog;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHead;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.export.ExportVerifier.Result;
import fr.spie.gateway.ledger.store.InMemoryLeafHashStore;
import fr.spie.gateway.ledger.tsa.TestTsa;
import fr.spie.gateway.ledger.tsa.TimestampClient;
import fr.spie.gateway.ledger.tsa.TimestampToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.core.type.TypeReference;

/**
 * The offline verifier on exports built here, without a gateway, by the classes the gateway writes them with (the
 * records of {@link ExportRecord}, the signed {@link ExportManifest}, {@link ExportCodec.RecordWriter}): the checks of
 * the tree heads, the manifest, the records and the zip that the exports of a running gateway never exercise.
 */
class ExportVerifierTest {
    private static final GatewayKeys KEYS = GatewayKeys.generate();
    private static final TreeHeadSigner SIGNER = new TreeHeadSigner(KEYS);
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final int EVENTS = 10;

    @TempDir
    Path work;

    private final MerkleLog log = new MerkleLog(new InMemoryLeafHashStore());
    private final List<String> entries = new ArrayList<>();
    private final ExportVerifier verifier = new ExportVerifier(KEYS.publicKey());

    ExportVerifierTest() {
        for (int i = 0; i < EVENTS; i++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("v", 1);
            entry.put("ledgerIndex", i);
            entry.put("sequence", 100 + i);
            entry.put("recordedAt", T0.plusSeconds(i).toString());
            entry.put("type", i % 2 == 0 ? "RECEIVED" : "DELIVERED");
            entry.put("exchangeId", "ex-" + i);
            entry.put("actor", "caf-51");
            entry.put("detail", "d" + i);
            byte[] bytes = CanonicalJson.toBytes(entry);
            entries.add(new String(bytes, StandardCharsets.UTF_8));
            log.append(bytes);
        }
    }

    // ---- building exports

    private SignedTreeHead head(long size) {
        return SIGNER.sign(new TreeHead(size, log.rootHash(size), T0.plusSeconds(60 + size)));
    }

    /** A head validly signed by the gateway's key over a root that is not this ledger's. */
    private SignedTreeHead forkedHead(long size) {
        byte[] root = log.rootHash(size).clone();
        root[0] ^= 1;
        return SIGNER.sign(new TreeHead(size, root, T0.plusSeconds(90 + size)));
    }

    private static Map<String, Object> header(String kind) {
        return ExportRecord.header(kind, T0, Map.of(), KEYS.keyId(), KEYS.publicKeyPem());
    }

    private Map<String, Object> event(long index, Long proofSize) {
        return ExportRecord.event(index, log.leafHash(index), entries.get((int) index), proofSize,
                proofSize == null ? null : log.inclusionProof(index, proofSize));
    }

    /**
     * A selection of {@code indexes} as the gateway writes it: header, {@code heads}, events proved at
     * {@code proofSize}, then the manifest signed for {@code manifestSize}.
     */
    private List<Map<String, Object>> selection(List<Map<String, Object>> heads, long proofSize, long manifestSize,
                                                long... indexes) {
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(header(ExportRecord.KIND_SELECTION));
        records.addAll(heads);
        ExportManifest manifest = new ExportManifest();
        for (long i : indexes) {
            records.add(event(i, proofSize));
            manifest.add(i, log.leafHash(i));
        }
        records.add(manifest.sign(manifestSize, T0.toString(), KEYS.privateKey(), KEYS.publicKey()));
        return records;
    }

    /** A selection as the gateway writes it: one head at {@code size}, proofs and manifest for that size. */
    private List<Map<String, Object>> selection(long size, long... indexes) {
        return selection(List.of(ExportRecord.treeHead(head(size))), size, size, indexes);
    }

    /** A full export's ledger.jsonl records: header, {@code heads}, every event. */
    private List<Map<String, Object>> full(List<SignedTreeHead> heads) {
        return fullWith(heads.stream().map(ExportRecord::treeHead).toList());
    }

    /** A full export's ledger.jsonl records: header, the head records, every event. */
    private List<Map<String, Object>> fullWith(List<Map<String, Object>> heads) {
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(header(ExportRecord.KIND_FULL));
        records.addAll(heads);
        for (long i = 0; i < EVENTS; i++) {
            records.add(event(i, null));
        }
        return records;
    }

    private byte[] leaves() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long i = 0; i < EVENTS; i++) {
            out.writeBytes(log.leafHash(i));
        }
        return out.toByteArray();
    }

    private static byte[] bytes(List<Map<String, Object>> records, ExportCodec.Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExportCodec.RecordWriter w = new ExportCodec.RecordWriter(out, format)) {
            records.forEach(w::write);
        }
        return out.toByteArray();
    }

    private static List<String> lines(List<Map<String, Object>> records) {
        return new String(bytes(records, ExportCodec.Format.JSONL), StandardCharsets.UTF_8).lines().toList();
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(work.resolve(name), lines);
    }

    private Path write(String name, List<Map<String, Object>> records, ExportCodec.Format format) throws IOException {
        return Files.write(work.resolve(name), bytes(records, format));
    }

    /** A zip of {@code files} (name, content), in order; a name {@code ledger.json#} is stored as ledger.jsonl. */
    private Path zip(String name, Object... files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < files.length; i += 2) {
                z.putNextEntry(new ZipEntry((String) files[i]));
                z.write((byte[]) files[i + 1]);
                z.closeEntry();
            }
        }
        // ZipOutputStream refuses a name twice: the second is renamed in the bytes (the names are stored as is)
        byte[] zip = out.toByteArray();
        byte[] marker = "ledger.json#".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + marker.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + marker.length, marker, 0, marker.length)) {
                zip[i + marker.length - 1] = 'l';
            }
        }
        return Files.write(work.resolve(name), zip);
    }

    private static Map<String, Object> parse(String line) {
        return ExportCodec.JSON.readValue(line, MAP);
    }

    private static int lineOf(List<String> lines, String record) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"record\":\"" + record + "\"")) {
                return i;
            }
        }
        throw new AssertionError("no " + record + " line");
    }

    /** {@code audit verify export --public-key ...}: the exit code, then what it printed. */
    private String cli(Path export) throws IOException {
        Path key = Files.writeString(work.resolve("ledger-key.pem"), KEYS.publicKeyPem());
        CommandLine cli = SpieCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute("audit", "verify", export.toString(), "--public-key", key.toString());
        return code + " " + out;
    }

    private static void assertRefused(Result r, String... parts) {
        assertThat(r.ok()).as(r.message()).isFalse();
        for (String part : parts) {
            assertThat(r.message()).contains(part);
        }
    }

    // ---- the exports built here verify

    @Test
    void theExportsBuiltHereVerify() throws IOException {
        Result jsonl = verifier.verify(write("sel.jsonl", selection(8, 1, 4, 7), ExportCodec.Format.JSONL));
        assertThat(jsonl.ok()).as(jsonl.message()).isTrue();
        assertThat(jsonl.events()).isEqualTo(3);
        Result csv = verifier.verify(write("sel.csv", selection(8, 1, 4, 7), ExportCodec.Format.CSV));
        assertThat(csv.ok()).as(csv.message()).isTrue();
        Result empty = verifier.verify(write("empty.jsonl", selection(8), ExportCodec.Format.JSONL));
        assertThat(empty.ok()).as(empty.message()).isTrue();
        Result full = verifier.verify(zip("full.zip", "ledger.jsonl", bytes(full(List.of(head(5), head(10))),
                ExportCodec.Format.JSONL), "leaves.bin", leaves()));
        assertThat(full.ok()).as(full.message()).isTrue();
        assertThat(full.message()).startsWith("ok: 10 entries, 2 signed tree head(s) verified");
        // two heads of one size over one root (signed at two times) are no fork
        Result twice = verifier.verify(write("twice.jsonl", selection(List.of(ExportRecord.treeHead(head(8)),
                ExportRecord.treeHead(SIGNER.sign(new TreeHead(8, log.rootHash(8), T0.plusSeconds(999))))), 8, 8,
                2, 3), ExportCodec.Format.JSONL));
        assertThat(twice.ok()).as(twice.message()).isTrue();
    }

    // ---- 1. forks

    @Test
    void aForkInASelectionIsReportedAsInAFullExport() throws IOException {
        String fork = "two validly signed tree heads at size 8 have different roots (log fork)";
        // the forked head first: the genuine one, later in the file, used to win and the selection verified
        Path selection = write("fork.jsonl", selection(List.of(ExportRecord.treeHead(forkedHead(8)),
                ExportRecord.treeHead(head(8))), 8, 8, 1, 4, 7), ExportCodec.Format.JSONL);
        assertRefused(verifier.verify(selection), fork, "lines 2 and 3");
        Path csv = write("fork.csv", selection(List.of(ExportRecord.treeHead(head(8)),
                ExportRecord.treeHead(forkedHead(8))), 8, 8, 1, 4, 7), ExportCodec.Format.CSV);
        assertRefused(verifier.verify(csv), fork, "lines 3 and 4");

        // the same words for a full export, whichever head comes first (the forged one first used to be reported as
        // a head that does not match the entries)
        Path full = write("full.jsonl", full(List.of(head(5), head(8), forkedHead(8))), ExportCodec.Format.JSONL);
        assertRefused(verifier.verify(full), fork, "lines 3 and 4");
        Path forgedFirst = write("forged-first.jsonl", full(List.of(head(5), forkedHead(8), head(8))),
                ExportCodec.Format.JSONL);
        assertRefused(verifier.verify(forgedFirst), fork, "lines 3 and 4");
    }

    // ---- 2. the manifest's tree size

    @Test
    void theManifestsTreeSizeMustBeTheSizeOfTheHeadTheSelectionIsProvedAgainst() throws IOException {
        Result larger = verifier.verify(write("m10.jsonl", selection(List.of(ExportRecord.treeHead(head(8))), 8, 10,
                1, 4, 7), ExportCodec.Format.JSONL));
        assertRefused(larger, "manifest", "tree size 10", "size 8");
        Result empty = verifier.verify(write("m6.jsonl", selection(List.of(ExportRecord.treeHead(head(8))), 8, 6),
                ExportCodec.Format.JSONL));
        assertRefused(empty, "manifest", "tree size 6", "size 8");
        // two heads, the manifest names one, the events are proved against the other
        Result other = verifier.verify(write("m8p5.jsonl", selection(List.of(ExportRecord.treeHead(head(5)),
                ExportRecord.treeHead(head(8))), 5, 8, 1, 4), ExportCodec.Format.JSONL));
        assertRefused(other, "entry 1 (line 4", "tree size 5", "manifest is for tree size 8");
        assertThat(other.firstBadLedgerIndex()).isEqualTo(1L);
        Result both = verifier.verify(write("m5and8.jsonl", selection(List.of(ExportRecord.treeHead(head(5)),
                ExportRecord.treeHead(head(8))), 8, 8, 1, 4), ExportCodec.Format.JSONL));
        assertThat(both.ok()).as(both.message()).isTrue();
    }

    // ---- 3. a second manifest

    @Test
    void aSecondManifestIsRefusedLikeASecondHeader() throws IOException {
        List<String> lines = new ArrayList<>(lines(selection(8, 1, 4, 7)));
        List<String> second = new ArrayList<>(lines);
        second.add(lines.get(lineOf(lines, "manifest")));
        assertRefused(verifier.verify(write("two-manifests.jsonl", second)), "line 7: second manifest");
        // the manifest of another selection after the genuine one used to replace it
        List<String> other = lines(selection(8, 2));
        List<String> replaced = new ArrayList<>(lines);
        replaced.add(2, other.get(lineOf(other, "manifest")));
        assertRefused(verifier.verify(write("replaced.jsonl", replaced)), "line 7: second manifest");
        List<String> rows = new ArrayList<>(new String(bytes(selection(8, 1, 4, 7), ExportCodec.Format.CSV),
                StandardCharsets.UTF_8).lines().toList());
        rows.add(rows.get(rows.size() - 1));
        // the verifier's own refusal, not "data is not a JSON object" (ExportCodec reads CSV data outside its try)
        assertRefused(verifier.verify(write("two-manifests.csv", rows)), "8: second manifest");
        List<String> header = new ArrayList<>(lines);
        header.add(lines.get(0));
        assertRefused(verifier.verify(write("two-headers.jsonl", header)), "line 7: second header");
    }

    // ---- 4. nulls

    @Test
    void aNullLineIsNamed() throws IOException {
        List<String> lines = new ArrayList<>(lines(selection(8, 1, 4, 7)));
        lines.add(2, "null");
        Path file = write("null-line.jsonl", lines);
        assertRefused(verifier.verify(file), "line 3: not a JSON object");
        assertThat(cli(file)).startsWith("1 TAMPERED: ").contains("null-line.jsonl: line 3: not a JSON object")
                .doesNotContain("unreadable export");
        // and in a full export
        List<String> full = new ArrayList<>(lines(full(List.of(head(10)))));
        full.add(5, "null");
        assertRefused(verifier.verify(write("null-line-full.jsonl", full)), "line 6: not a JSON object");
        // a CSV record whose data is null
        List<String> rows = new ArrayList<>(new String(bytes(selection(8, 1), ExportCodec.Format.CSV),
                StandardCharsets.UTF_8).lines().toList());
        rows.add(2, "manifest" + ",".repeat(18) + "null");
        assertRefused(verifier.verify(write("null-data.csv", rows)), "row 3: data is not a JSON object");
    }

    @Test
    void aNullEntryIsNamed() throws IOException {
        List<String> lines = new ArrayList<>(lines(selection(8, 1, 4, 7)));
        int at = lineOf(lines, "event") + 1;
        Map<String, Object> event = parse(lines.get(at));
        event.put("entry", "null");
        lines.set(at, ExportCodec.JSON.writeValueAsString(event));
        Result text = verifier.verify(write("null-entry.jsonl", lines));
        assertRefused(text, "entry 4 (line 4): entry is not a JSON object");
        assertThat(text.firstBadLedgerIndex()).isEqualTo(4L);
        event.put("entry", null);
        lines.set(at, ExportCodec.JSON.writeValueAsString(event));
        assertRefused(verifier.verify(write("no-entry.jsonl", lines)), "entry 4 (line 4): no entry");
        // in a full export
        List<String> full = new ArrayList<>(lines(full(List.of(head(10)))));
        Map<String, Object> first = parse(full.get(2));
        first.put("entry", "null");
        full.set(2, ExportCodec.JSON.writeValueAsString(first));
        assertRefused(verifier.verify(write("null-entry-full.jsonl", full)),
                "entry 0 (line 3): entry is not a JSON object");
    }

    @Test
    void aNullInAnInclusionProofIsNamed() throws IOException {
        List<String> lines = new ArrayList<>(lines(selection(8, 1, 4, 7)));
        int at = lineOf(lines, "event") + 2;
        Map<String, Object> event = parse(lines.get(at));
        List<Object> proof = new ArrayList<>((List<?>) event.get("inclusionProof"));
        proof.set(1, null);
        event.put("inclusionProof", proof);
        lines.set(at, ExportCodec.JSON.writeValueAsString(event));
        Result r = verifier.verify(write("null-proof.jsonl", lines));
        assertRefused(r, "entry 7 (line 5, DELIVERED of exchange ex-7): unreadable inclusion proof");
        assertThat(r.firstBadLedgerIndex()).isEqualTo(7L);
    }

    // ---- 5. a full export as CSV

    @Test
    void aFullExportInCsvIsRefusedUpFront() throws IOException {
        Path csv = write("ledger.csv", full(List.of(head(10))), ExportCodec.Format.CSV);
        assertRefused(verifier.verify(csv), "ledger.csv: a full export must be JSON Lines");
        Path dir = Files.createDirectories(work.resolve("csv-full"));
        Files.copy(csv, dir.resolve("ledger.csv"));
        Files.write(dir.resolve("leaves.bin"), leaves());
        assertRefused(verifier.verify(dir), "ledger.csv: a full export must be JSON Lines");
    }

    // ---- 6. zips

    @Test
    void aZipWithItsFilesInAFolderIsRefusedClearly() throws IOException {
        byte[] ledger = bytes(full(List.of(head(10))), ExportCodec.Format.JSONL);
        Path nested = zip("nested.zip", "sub/", new byte[0], "sub/ledger.jsonl", ledger, "sub/leaves.bin", leaves());
        assertThatThrownBy(() -> verifier.verify(nested)).isInstanceOf(IOException.class)
                .hasMessageContaining("zip entry 'sub/ledger.jsonl'").hasMessageContaining("top level");
        assertThat(cli(nested)).startsWith("2 cannot read ").contains("nested.zip: zip entry 'sub/ledger.jsonl' is not "
                + "a file at the top level of the zip");
        // as before: names that normalise to the top level are extracted, names outside the directory skipped
        Result ok = verifier.verify(zip("dots.zip", "./ledger.jsonl", ledger, "x/../leaves.bin", leaves(),
                "../escape.jsonl", "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(ok.ok()).as(ok.message()).isTrue();
    }

    @Test
    void aZipHoldingAFileTwiceIsRefusedClearly() throws IOException {
        byte[] ledger = bytes(full(List.of(head(10))), ExportCodec.Format.JSONL);
        Path twice = zip("twice.zip", "ledger.jsonl", ledger, "leaves.bin", leaves(), "ledger.json#", ledger);
        assertThatThrownBy(() -> verifier.verify(twice)).isInstanceOf(IOException.class)
                .hasMessageContaining("zip entry 'ledger.jsonl'").hasMessageContaining("twice");
        Path same = zip("same.zip", "ledger.jsonl", ledger, "./ledger.jsonl", ledger);
        assertThatThrownBy(() -> verifier.verify(same)).isInstanceOf(IOException.class)
                .hasMessageContaining("zip entry './ledger.jsonl'").hasMessageContaining("twice");
    }

    /**
     * A zip cut short (a download that stopped), a file named .zip that is not one, and a zip without a ledger file are
     * said to be so (exit 2, unreadable). Before: "Unexpected end of ZLIB input stream", and "no ledger.jsonl (or
     * .jsonl/.csv file) in /tmp/spie-ledger-export123...", a temporary directory the operator never made.
     */
    @Test
    void aZipCutShortOrThatIsNotAnExportZipIsSaidToBeSo() throws IOException {
        byte[] ledger = bytes(full(List.of(head(10))), ExportCodec.Format.JSONL);
        byte[] whole = Files.readAllBytes(zip("whole.zip", "ledger.jsonl", ledger, "leaves.bin", leaves()));
        Path cut = Files.write(work.resolve("cut.zip"), Arrays.copyOf(whole, whole.length / 2));
        Path notAZip = Files.write(work.resolve("selection.zip"), ledger);
        Path other = zip("other.zip", "readme.txt", "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(cli(cut)).startsWith("2 cannot read " + cut + ": not a complete zip (cut short or damaged: "
                + "download it again)");
        assertThat(cli(notAZip)).startsWith("2 cannot read " + notAZip + ": not a zip, or an empty one: a full "
                + "export zip (GET /api/v1/audit/export/full) holds ledger.jsonl, leaves.bin and ledger-public-key.pem");
        assertThat(cli(other)).startsWith("2 cannot read " + other + ": no ledger.jsonl (or .jsonl/.csv file) in the "
                + "zip").doesNotContain("spie-ledger-export");
    }

    // ---- the timestamp note

    @Test
    void theLatestTimestampNamedIsTheLargestTimestampedHead() throws Exception {
        try (TestTsa tsa = new TestTsa()) {
            TimestampClient client = new TimestampClient(tsa.url(), Duration.ofSeconds(10), null);
            SignedTreeHead h5 = head(5);
            SignedTreeHead h8 = head(8);
            TimestampToken t8 = client.timestamp(h8.treeHead());
            TimestampToken t5 = client.timestamp(h5.treeHead());
            // the larger head first in the file
            Result r = verifier.verify(write("stamped.jsonl", selection(List.of(ExportRecord.treeHead(h8, t8),
                    ExportRecord.treeHead(h5, t5)), 8, 8, 1, 4), ExportCodec.Format.JSONL));
            assertThat(r.ok()).as(r.message()).isTrue();
            assertThat(r.message()).contains("2 heads have valid RFC 3161 timestamps, the latest: tree head at size 8 "
                    + "timestamped by");
            Result full = verifier.verify(write("stamped-full.jsonl", fullWith(List.of(ExportRecord.treeHead(h8, t8),
                    ExportRecord.treeHead(h5, t5))), ExportCodec.Format.JSONL));
            assertThat(full.ok()).as(full.message()).isTrue();
            assertThat(full.message()).contains("the latest: tree head at size 8 timestamped by");
        }
    }

    // ---- the shortcut for plain event lines, and the one reading of a full export

    /** A full export (heads at 5 and 8: events 8 and 9 are covered by no head) whose event 9 is {@code line}. */
    private Path fullWithLastEvent(String name, String line) throws IOException {
        List<String> lines = new ArrayList<>(lines(full(List.of(head(5), head(8)))));
        lines.set(lines.size() - 1, line);
        return write(name, lines);
    }

    /** Event 9's line with its members in this order, the entry and its leaf hash given. */
    private static String eventLine(String entry, String leafHash, String before, String after) {
        return "{" + before + "\"record\":\"event\",\"ledgerIndex\":9,\"leafHash\":"
                + ExportCodec.JSON.writeValueAsString(leafHash) + ",\"entry\":"
                + ExportCodec.JSON.writeValueAsString(entry) + after + "}";
    }

    private static String leafOf(String entry) {
        return fr.spie.gateway.ledger.MerkleHash.hex(
                fr.spie.gateway.ledger.MerkleHash.leafHash(entry.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eventLinesThatAreNotPlainAreJudgedAsJsonReadsThem() throws IOException {
        // event 9 is after the latest head: only the event checks stand between it and "ok", not the roots
        String entry = entries.get(9);
        String leaf = leafOf(entry);
        assertThat(verifier.verify(fullWithLastEvent("plain.jsonl", eventLine(entry, leaf, "", ""))).message())
                .startsWith("ok: 10 entries, 2 signed tree head(s) verified; the last 2 entries are after");
        // spaces and another order of members change nothing
        String spaced = "{ \"entry\" : " + ExportCodec.JSON.writeValueAsString(entry) + " , \"leafHash\" : \""
                + leaf.toUpperCase() + "\" , \"ledgerIndex\" : 9 , \"record\" : \"event\" }";
        assertThat(verifier.verify(fullWithLastEvent("spaced.jsonl", spaced)).ok()).isTrue();
        // a member twice: the last one counts, as for every JSON object the verifier reads
        assertThat(verifier.verify(fullWithLastEvent("index-twice.jsonl",
                eventLine(entry, leaf, "\"ledgerIndex\":4,", ""))).ok()).isTrue();
        assertRefused(verifier.verify(fullWithLastEvent("index-twice-last.jsonl",
                eventLine(entry, leaf, "", ",\"ledgerIndex\":4"))), "entry 4 (line 13", "the entry says ledger index 9");
        assertRefused(verifier.verify(fullWithLastEvent("entry-twice.jsonl",
                eventLine(entry, leaf, "", ",\"entry\":" + ExportCodec.JSON.writeValueAsString(entries.get(8))))),
                "entry 9 (line 13, RECEIVED of exchange ex-8): the entry says ledger index 8");
        assertRefused(verifier.verify(fullWithLastEvent("record-twice.jsonl",
                eventLine(entry, leaf, "", ",\"record\":\"header\""))), "second header");
        // entries that are not one JSON object declaring index 9, each with the leaf hash of its own bytes
        String trailing = entry + " {}";
        assertRefused(verifier.verify(fullWithLastEvent("entry-trailing.jsonl",
                eventLine(trailing, leafOf(trailing), "", ""))), "entry is not JSON");
        String declaredTwice = entry.substring(0, entry.length() - 1) + ",\"ledgerIndex\":3}";
        assertRefused(verifier.verify(fullWithLastEvent("entry-index-twice.jsonl",
                eventLine(declaredTwice, leafOf(declaredTwice), "", ""))), "the entry says ledger index 3");
        String nested = entry.replace("\"ledgerIndex\":9", "\"ledgerIndex\":{\"ledgerIndex\":9}");
        assertRefused(verifier.verify(fullWithLastEvent("entry-nested.jsonl",
                eventLine(nested, leafOf(nested), "", ""))), "the entry says ledger index {ledgerIndex=9}");
        // a JSON Lines event may carry the readable columns of a CSV row: they are checked against the entry
        assertRefused(verifier.verify(fullWithLastEvent("readable.jsonl", eventLine(entry, leaf, "",
                ",\"csvReadable\":{\"type\":\"REJECTED\"}"))), "CSV column 'recordedAt' says 'null'");
        // something after the object
        assertRefused(verifier.verify(fullWithLastEvent("line-trailing.jsonl",
                eventLine(entry, leaf, "", "") + " {}")), "line 13: not a JSON object");
    }

    @Test
    void aFullExportWithAHeadAfterItsEventsIsVerifiedAllTheSame() throws IOException {
        List<String> lines = new ArrayList<>(lines(full(List.of(head(5), head(10)))));
        lines.add(lines.remove(2));
        Result r = verifier.verify(write("head-last.jsonl", lines));
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(r.message()).isEqualTo("ok: 10 entries, 2 signed tree head(s) verified");
        // and a head that is not the ledger's, found after the events, is a fork
        lines.add(ExportCodec.JSON.writeValueAsString(ExportRecord.treeHead(forkedHead(10))));
        assertRefused(verifier.verify(write("fork-last.jsonl", lines)), "log fork");
    }

    @Test
    void whatTheOutlineRefusesIsReportedBeforeABadEventFoundEarlierInTheFile() throws IOException {
        List<String> lines = new ArrayList<>(lines(full(List.of(head(5), head(10)))));
        Map<String, Object> altered = parse(lines.get(5));
        altered.put("entry", ((String) altered.get("entry")).replace("RECEIVED", "REJECTED"));
        lines.set(5, ExportCodec.JSON.writeValueAsString(altered));
        assertRefused(verifier.verify(write("altered.jsonl", lines)), "entry 2 (line 6", "entry altered");
        lines.add("{\"record\":\"note\"}");
        Result r = verifier.verify(write("altered-then-unknown.jsonl", lines));
        assertThat(r.message()).isEqualTo("altered-then-unknown.jsonl: line 14: unknown record note");
        lines.set(lines.size() - 1, "not json");
        assertRefused(verifier.verify(write("altered-then-garbage.jsonl", lines)), "line 14: not a JSON object");
    }

    @Test
    void aLongFullExportIsCheckedLineByLineAcrossItsBatches() throws IOException {
        // 3,000 events: several batches of lines, hashed by worker threads, taken back in file order
        MerkleLog big = new MerkleLog(new InMemoryLeafHashStore());
        List<String> lines = new ArrayList<>();
        lines.add(ExportCodec.JSON.writeValueAsString(header(ExportRecord.KIND_FULL)));
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ledgerIndex", i);
            entry.put("type", "RECEIVED");
            entry.put("exchangeId", "ex-" + i);
            entry.put("detail", "x".repeat(i % 700));
            String text = new String(CanonicalJson.toBytes(entry), StandardCharsets.UTF_8);
            big.append(text.getBytes(StandardCharsets.UTF_8));
            events.add(ExportCodec.JSON.writeValueAsString(ExportRecord.event(i, big.leafHash(i), text, null, null)));
        }
        lines.add(ExportCodec.JSON.writeValueAsString(ExportRecord.treeHead(
                SIGNER.sign(new TreeHead(3000, big.rootHash(3000), T0)))));
        lines.addAll(events);
        lines.add(1500, "");
        Result ok = verifier.verify(write("big.jsonl", lines));
        assertThat(ok.message()).isEqualTo("ok: 3000 entries, 1 signed tree head(s) verified");
        // the progress of a long verification is told every so many entries, counting up
        List<Long> told = new ArrayList<>();
        ExportVerifier.Progress progress = new ExportVerifier.Progress() {
            @Override
            public void entriesRead(long n) {
                told.add(n);
            }

            @Override
            public long every() {
                return 1000;
            }
        };
        assertThat(verifier.verify(write("big.jsonl", lines), progress).ok()).isTrue();
        assertThat(told).containsExactly(1000L, 2000L, 3000L);
        // an entry altered far down is named with its line (the blank line counted)
        Map<String, Object> altered = parse(lines.get(2500));
        altered.put("entry", ((String) altered.get("entry")).replace("RECEIVED", "REJECTED"));
        lines.set(2500, ExportCodec.JSON.writeValueAsString(altered));
        assertRefused(verifier.verify(write("big-altered.jsonl", lines)), "entry 2497 (line 2501, REJECTED of exchange "
                + "ex-2497): the entry hashes to", "(entry altered)");
        // and an event moved across batches is out of place where it lands
        lines.add(lines.remove(100));
        assertRefused(verifier.verify(write("big-moved.jsonl", lines)), "entry 99 (line 101", "expected ledger index 98 "
                + "at this position (an event was deleted before it)");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedAtTheirLine() throws IOException {
        // an invalid byte far enough down that a reader decoding ahead would have met it lines earlier
        List<String> lines = new ArrayList<>(lines(full(List.of(head(5), head(10)))));
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        int line9 = 0;
        for (int i = 0, n = 1; n < 9; i++) {
            if (text[i] == '\n') {
                n++;
                line9 = i + 1;
            }
        }
        int at = line9 + 40;
        text[at] = (byte) 0xC3;
        text[at + 1] = (byte) 0x28;
        Path full = Files.write(work.resolve("bad-utf8.jsonl"), text);
        assertThat(verifier.verify(full).message()).isEqualTo(
                "bad-utf8.jsonl: line 9: not UTF-8 text (bytes that do not decode)");
        assertThat(cli(full)).startsWith("1 TAMPERED: ").contains("line 9: not UTF-8 text");

        byte[] csv = bytes(selection(8, 1, 4, 7), ExportCodec.Format.CSV);
        int row3 = 0;
        for (int i = 0, n = 1; n < 3; i++) {
            if (csv[i] == '\n') {
                n++;
                row3 = i + 1;
            }
        }
        csv[row3 + 20] = (byte) 0xFF;
        assertThat(verifier.verify(Files.write(work.resolve("bad-utf8.csv"), csv)).message()).isEqualTo(
                "bad-utf8.csv: row 3: not UTF-8 text (bytes that do not decode)");
    }
}
