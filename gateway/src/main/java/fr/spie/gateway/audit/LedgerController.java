package fr.spie.gateway.audit;

import fr.spie.gateway.cluster.LeaderElection;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.db.LedgerWriter;
import fr.spie.gateway.ledger.export.ExportCodec;
import fr.spie.gateway.ledger.export.ExportManifest;
import fr.spie.gateway.ledger.export.ExportRecord;
import fr.spie.gateway.ledger.export.FullExport;
import fr.spie.gateway.privacy.Pseudonymizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.http.HttpHeaders;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The auditors' ledger API (role AUDITOR, under /api/v1/audit): the latest signed tree head, inclusion and
 * consistency proofs, and exports that the offline verifier ({@code spie-gateway audit verify}) checks. Also the
 * public ledger key at /api/v1/gateway/ledger-key (no credential).
 */
@RestController
public class LedgerController {
    private final LedgerWriter writer;
    private final LedgerDb db;
    private final LedgerQueries queries;
    private final GatewayKeys keys;
    private final Pseudonymizer pseudonymizer;
    private final LedgerTsa tsa;
    private final LeaderElection election;

    public LedgerController(LedgerWriter writer, LedgerDb db, LedgerQueries queries, GatewayKeys keys,
                            Pseudonymizer pseudonymizer, LedgerTsa tsa, LeaderElection election) {
        this.tsa = tsa;
        this.election = election;
        this.writer = writer;
        this.db = db;
        this.queries = queries;
        this.keys = keys;
        this.pseudonymizer = pseudonymizer;
    }

    @GetMapping(value = "/api/v1/gateway/ledger-key", produces = "application/x-pem-file")
    public String ledgerKey() {
        return keys.publicKeyPem();
    }

    @GetMapping("/api/v1/audit/tree-head")
    public Map<String, Object> treeHead() {
        requireLedgerHere();
        SignedTreeHead head = latestHead();
        Map<String, Object> m = headView(head);
        tsa.token(head.treeSize()).ifPresent(t -> {
            m.put("timestampToken", t.base64());
            m.put("timestampGenTime", t.genTime().toString());
            m.put("timestampAuthority", t.tsa());
        });
        return m;
    }

    @GetMapping("/api/v1/audit/proofs/inclusion")
    public Map<String, Object> inclusion(@RequestParam long index, @RequestParam(required = false) Long treeSize) {
        requireLedgerHere();
        SignedTreeHead head = latestHead();
        long n = treeSize == null ? head.treeSize() : treeSize;
        List<byte[]> path = proof(() -> writer.inclusionProof(index, n));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("treeSize", n);
        m.put("leafHash", MerkleHash.hex(writer.leafHash(index)));
        m.put("auditPath", path.stream().map(MerkleHash::hex).toList());
        m.put("rootHash", MerkleHash.hex(writer.rootHash(n)));
        m.put("signedTreeHead", n == head.treeSize() ? headView(head) : null);
        return m;
    }

    @GetMapping("/api/v1/audit/proofs/consistency")
    public Map<String, Object> consistency(@RequestParam long first, @RequestParam(required = false) Long second) {
        requireLedgerHere();
        long n = second == null ? latestHead().treeSize() : second;
        List<byte[]> path = proof(() -> writer.consistencyProof(first, n));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first", first);
        m.put("second", n);
        m.put("firstRootHash", MerkleHash.hex(writer.rootHash(first)));
        m.put("secondRootHash", MerkleHash.hex(writer.rootHash(n)));
        m.put("proof", path.stream().map(MerkleHash::hex).toList());
        return m;
    }

    /**
     * The events matching the filters (those of /events, person included) that the latest signed head covers, each
     * with its canonical entry, leaf hash and inclusion proof, then the signed manifest of the selection.
     */
    @GetMapping("/api/v1/audit/export")
    public void export(AuditQueryParams query,
                       @RequestParam(defaultValue = "jsonl") String format,
                       HttpServletResponse response) throws IOException {
        requireLedgerHere();
        ExportCodec.Format fmt;
        try {
            fmt = ExportCodec.Format.parse(format);
        } catch (IllegalArgumentException e) {
            throw AuditController.badParameter("format", "must be jsonl or csv");
        }
        List<String> pseudonyms = query.person().pseudonyms(pseudonymizer);
        AuditQueries.AuditFilter filter = query.filter(pseudonyms);
        Map<String, String> described = new LinkedHashMap<>();
        put(described, "exchangeId", query.exchangeId());
        put(described, "partner", query.partner());
        put(described, "subjectPseudonym", pseudonyms == null ? null : String.join(",", pseudonyms));
        put(described, "eventType", query.eventType());
        put(described, "purpose", query.purpose());
        put(described, "from", query.from());
        put(described, "to", query.to());
        SignedTreeHead head = latestHead();
        long n = head.treeSize();
        Instant now = Instant.now();
        String ext = fmt == ExportCodec.Format.CSV ? "csv" : "jsonl";
        response.setContentType(fmt == ExportCodec.Format.CSV ? "text/csv;charset=UTF-8"
                : "application/jsonl;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"spie-ledger-export." + ext + "\"");
        OutputStream out = response.getOutputStream();
        {
            ExportCodec.RecordWriter w = new ExportCodec.RecordWriter(out, fmt);
            w.write(ExportRecord.header(ExportRecord.KIND_SELECTION, now, described, keys.keyId(),
                    keys.publicKeyPem()));
            w.write(ExportRecord.treeHead(head, tsa.token(head.treeSize()).orElse(null)));
            ExportManifest manifest = new ExportManifest();
            queries.forEachInLedger(filter, n, row -> {
                long index = row.ledgerIndex();
                byte[] leaf = writer.leafHash(index);
                w.write(ExportRecord.event(index, leaf, new String(row.entry(), StandardCharsets.UTF_8), n,
                        writer.inclusionProof(index, n)));
                manifest.add(index, leaf);
            });
            w.write(manifest.sign(n, now.toString(), keys.privateKey(), keys.publicKey()));
            w.flush();
        }
    }

    /**
     * The whole ledger for a DPO, as a zip: ledger.jsonl (header, every signed head, every entry in index order),
     * leaves.bin (the leaf-hash file) and ledger-public-key.pem.
     */
    @GetMapping("/api/v1/audit/export/full")
    public void exportFull(HttpServletResponse response) throws IOException {
        requireLedgerHere();
        List<SignedTreeHead> heads = db.allHeads();
        long size = writer.size();
        response.setContentType("application/zip");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"spie-ledger-full.zip\"");
        {
            ZipOutputStream zip = new ZipOutputStream(response.getOutputStream());
            zip.putNextEntry(new ZipEntry(FullExport.LEDGER_FILE));
            FullExport.writeLedger(db, size, heads, timestamps(), keys.keyId(), keys.publicKeyPem(), new NonClosing(zip));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(FullExport.LEAVES_FILE));
            FullExport.copyLeaves(writer.leafFile(), size, zip);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(FullExport.KEY_FILE));
            zip.write(keys.publicKeyPem().getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
            zip.finish();
            zip.flush();
        }
    }

    private Map<Long, fr.spie.gateway.ledger.tsa.TimestampToken> timestamps() {
        try {
            return tsa.db().all();
        } catch (RuntimeException e) {
            return Map.of(); // the heads stay verifiable without their timestamps
        }
    }

    /** The ledger's state lives in the leader's writer: the other instances of a cluster send the auditor there. */
    private void requireLedgerHere() {
        if (!election.isLeader()) {
            throw new IntakeRejection(503, "ledger-on-leader", "The ledger is served by the leader instance",
                    "this gateway instance does not run the ledger writer; retry (another instance answers) or ask "
                            + "the leader instance (docs/operations.md, \"Several instances\")");
        }
    }

    private SignedTreeHead latestHead() {
        return writer.latestHead().orElseThrow(() -> new IntakeRejection(404, "no-tree-head", "No signed tree head yet",
                "the ledger has not published a signed tree head yet; retry in a few seconds"));
    }

    private static Map<String, Object> headView(SignedTreeHead head) {
        Map<String, Object> m = ExportRecord.treeHead(head);
        m.remove("record");
        return m;
    }

    private static List<byte[]> proof(java.util.function.Supplier<List<byte[]>> proof) {
        try {
            return proof.get();
        } catch (IllegalArgumentException e) {
            throw new IntakeRejection(400, "invalid-parameter", "Invalid query parameter", e.getMessage());
        }
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }

    /** Keeps the zip open when the record writer is done. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
