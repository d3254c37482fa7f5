package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.KeyIds;
import fr.spie.gateway.ledger.LedgerVerifier;
import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.MerkleVerifier;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.VerificationReport;
import fr.spie.gateway.ledger.tsa.TimestampException;
import fr.spie.gateway.ledger.tsa.TimestampToken;
import fr.spie.gateway.ledger.tsa.TimestampVerifier;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import tools.jackson.core.type.TypeReference;

/**
 * Verifies a ledger export offline (plain files, no database, no gateway) against a trusted public key:
 * every signature (tree heads, selection manifest), every entry's leaf hash, every inclusion proof (selections) or
 * the Merkle roots of every head over all entries (full exports, with {@link LedgerVerifier}), and the completeness
 * and order of a selection against its signed manifest. Reports the first bad entry it finds.
 */
public final class ExportVerifier {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    /**
     * @param ok                 every check passed
     * @param message            "ok ..." or the first failure, naming the entry
     * @param events             events read
     * @param heads              signed heads verified
     * @param firstBadLedgerIndex ledger index of the first bad entry, when known
     */
    public record Result(boolean ok, String message, long events, int heads, Long firstBadLedgerIndex) {
        static Result bad(String message, long events, int heads, Long index) {
            return new Result(false, message, events, heads, index);
        }
    }

    private final PublicKey publicKey;
    private final java.security.cert.X509Certificate trustedTsa;

    public ExportVerifier(PublicKey publicKey) {
        this(publicKey, null);
    }

    /**
     * @param trustedTsa the TSA certificate the heads' RFC 3161 tokens must be signed by, or null to check them
     *                   against the certificate they carry
     */
    public ExportVerifier(PublicKey publicKey, java.security.cert.X509Certificate trustedTsa) {
        this.publicKey = publicKey;
        this.trustedTsa = trustedTsa;
    }

    /** Verifies an export file ({@code .jsonl} or {@code .csv}), a full-export directory or a zip of one. */
    public Result verify(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return verifyDirectory(path);
        }
        if (path.getFileName().toString().toLowerCase().endsWith(".zip")) {
            Path dir = Files.createTempDirectory("spie-ledger-export");
            try {
                unzip(path, dir);
                return verifyDirectory(dir);
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return verifyFile(path, null);
    }

    private Result verifyDirectory(Path dir) throws IOException {
        Path file = dir.resolve("ledger.jsonl");
        if (!Files.exists(file)) {
            try (Stream<Path> files = Files.list(dir)) {
                file = files.filter(p -> p.toString().endsWith(".jsonl") || p.toString().endsWith(".csv"))
                        .sorted().findFirst()
                        .orElseThrow(() -> new IOException("no ledger.jsonl (or .jsonl/.csv file) in " + dir));
            }
        }
        Path leaves = dir.resolve("leaves.bin");
        return verifyFile(file, Files.exists(leaves) ? leaves : null);
    }

    private static void unzip(Path zip, Path dir) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir) || e.isDirectory()) {
                    continue;
                }
                Files.copy(in, target);
            }
        }
    }

    private Result verifyFile(Path file, Path leafFile) throws IOException {
        // pass 1: header, heads, manifest
        Map<String, Object>[] header = new Map[1];
        Map<String, Object>[] manifest = new Map[1];
        List<SignedTreeHead> heads = new ArrayList<>();
        List<Long> headLines = new ArrayList<>();
        List<Object> headTokens = new ArrayList<>();
        long[] events = new long[1];
        java.util.Set<Long> declared = new java.util.HashSet<>();
        try {
            ExportCodec.read(file, (line, rec) -> {
                Object type = rec.get("record");
                if (ExportRecord.HEADER.equals(type)) {
                    if (header[0] != null) {
                        throw new IllegalArgumentException("line " + line + ": second header");
                    }
                    header[0] = rec;
                } else if (ExportRecord.TREE_HEAD.equals(type)) {
                    try {
                        heads.add(ExportRecord.parseTreeHead(rec));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("line " + line + ": unreadable tree head: " + e.getMessage());
                    }
                    headLines.add(line);
                    headTokens.add(rec.get("timestampToken"));
                } else if (ExportRecord.MANIFEST.equals(type)) {
                    manifest[0] = rec;
                } else if (ExportRecord.EVENT.equals(type)) {
                    events[0]++;
                    try {
                        declared.add(ExportRecord.number(rec, "ledgerIndex"));
                    } catch (IllegalArgumentException e) {
                        // reported by the event checks
                    }
                } else {
                    throw new IllegalArgumentException("line " + line + ": unknown record " + type);
                }
            });
        } catch (IllegalArgumentException e) {
            return Result.bad(file.getFileName() + ": " + e.getMessage(), 0, 0, null);
        }
        if (header[0] == null || !ExportRecord.FORMAT.equals(header[0].get("format"))) {
            return Result.bad("no '" + ExportRecord.FORMAT + "' header in " + file.getFileName(), 0, 0, null);
        }
        String trusted = KeyIds.keyId(publicKey);
        String keyNote = trusted.equals(header[0].get("keyId")) ? ""
                : " (the export names key " + header[0].get("keyId") + ", you trust key " + trusted + ")";
        if (heads.isEmpty()) {
            return Result.bad("no signed tree head in the export", events[0], 0, null);
        }
        for (int i = 0; i < heads.size(); i++) {
            if (!TreeHeadSigner.verify(heads.get(i), publicKey)) {
                return Result.bad("tree head at size " + heads.get(i).treeSize() + " (line " + headLines.get(i)
                        + "): bad signature" + keyNote, events[0], i, null);
            }
        }
        // RFC 3161 tokens, when the export carries them: imprint = SHA-256 of the head's canonical bytes, signature
        int timestamped = 0;
        String latestStamp = null;
        for (int i = 0; i < heads.size(); i++) {
            Object token = headTokens.get(i);
            if (token == null) {
                continue;
            }
            String where = "tree head at size " + heads.get(i).treeSize() + " (line " + headLines.get(i) + ")";
            TimestampToken verified;
            try {
                if (!(token instanceof String b64)) {
                    throw new TimestampException("timestampToken is not base64 text");
                }
                verified = TimestampVerifier.verify(java.util.Base64.getDecoder().decode(b64),
                        heads.get(i).treeHead(), trustedTsa);
            } catch (TimestampException | IllegalArgumentException e) {
                return Result.bad(where + ": bad RFC 3161 timestamp: " + e.getMessage(), events[0], i, null);
            }
            timestamped++;
            latestStamp = "tree head at size " + heads.get(i).treeSize() + " timestamped by " + verified.tsa()
                    + " at " + verified.genTime();
        }
        boolean full = ExportRecord.KIND_FULL.equals(header[0].get("kind"));
        Result r = full ? verifyFull(file, leafFile, heads, events[0])
                : verifySelection(file, heads, manifest[0], events[0], declared);
        if (r.ok() && latestStamp != null) {
            r = new Result(true, r.message() + "; " + (timestamped > 1 ? timestamped + " heads have valid RFC 3161 "
                    + "timestamps, the latest: " : "") + latestStamp, r.events(), r.heads(), null);
        }
        return r;
    }

    // ---- selections: per-event inclusion proofs + signed manifest ----

    private Result verifySelection(Path file, List<SignedTreeHead> heads, Map<String, Object> manifest,
                                   long eventCount, java.util.Set<Long> declared) throws IOException {
        if (manifest == null) {
            return Result.bad("selection export without its signed manifest (events cannot be proven complete)",
                    eventCount, heads.size(), null);
        }
        List<Long> listed = new ArrayList<>();
        Object raw = manifest.get("ledgerIndexes");
        if (raw instanceof List<?> l) {
            for (Object o : l) {
                listed.add(o instanceof Number n ? n.longValue() : -1L);
            }
        }
        if (!ExportManifest.verify(manifest, listed, publicKey)) {
            return Result.bad("manifest: bad signature (the list of exported events was altered)", eventCount,
                    heads.size(), null);
        }
        Map<Long, SignedTreeHead> bySize = new HashMap<>();
        heads.forEach(h -> bySize.put(h.treeSize(), h));
        MessageDigest digest = sha256();
        Result[] failure = new Result[1];
        long[] k = new long[1];
        long[] previous = {-1};
        ExportCodec.read(file, (line, rec) -> {
            if (failure[0] != null || !ExportRecord.EVENT.equals(rec.get("record"))) {
                return;
            }
            long position = k[0]++;
            Checked c = check(rec, line);
            if (c.problem != null) {
                failure[0] = Result.bad(c.problem, position, heads.size(), c.index);
                return;
            }
            String where = c.name;
            if (c.index <= previous[0]) {
                failure[0] = Result.bad(where + ": out of ledger order (after ledger index " + previous[0]
                        + "; events were reordered)", position, heads.size(), c.index);
                return;
            }
            previous[0] = c.index;
            if (position >= listed.size() || c.index < listed.get((int) position)) {
                failure[0] = Result.bad(where + ": not in the signed manifest (inserted)", position, heads.size(),
                        c.index);
                return;
            }
            if (c.index > listed.get((int) position) && declared.contains(listed.get((int) position))) {
                failure[0] = Result.bad("ledger index " + listed.get((int) position) + " should come before " + where
                        + " (events were reordered)", position, heads.size(), listed.get((int) position));
                return;
            }
            if (c.index > listed.get((int) position)) {
                failure[0] = Result.bad("ledger index " + listed.get((int) position) + " is in the signed manifest "
                        + "but missing from the export before " + where + " (deleted)", position, heads.size(),
                        listed.get((int) position));
                return;
            }
            long treeSize;
            try {
                treeSize = ExportRecord.number(rec, "proofTreeSize");
            } catch (IllegalArgumentException e) {
                failure[0] = Result.bad(where + ": no inclusion proof", position, heads.size(), c.index);
                return;
            }
            SignedTreeHead head = bySize.get(treeSize);
            if (head == null) {
                failure[0] = Result.bad(where + ": its proof refers to tree size " + treeSize
                        + " but the export has no signed head of that size", position, heads.size(), c.index);
                return;
            }
            List<byte[]> proof = new ArrayList<>();
            try {
                if (rec.get("inclusionProof") instanceof List<?> l) {
                    for (Object o : l) {
                        proof.add(MerkleHash.fromHex(o.toString()));
                    }
                }
            } catch (IllegalArgumentException e) {
                failure[0] = Result.bad(where + ": unreadable inclusion proof", position, heads.size(), c.index);
                return;
            }
            if (!MerkleVerifier.verifyInclusion(c.leaf, c.index, treeSize, proof, head.treeHead().rootHash())) {
                failure[0] = Result.bad(where + ": inclusion proof does not lead to the signed root of the tree head "
                        + "at size " + treeSize + " (entry altered or not in the ledger)", position, heads.size(),
                        c.index);
                return;
            }
            digest.update(c.leaf);
        });
        if (failure[0] != null) {
            return failure[0];
        }
        if (k[0] < listed.size()) {
            return Result.bad("ledger index " + listed.get((int) k[0]) + " is in the signed manifest but missing "
                    + "from the end of the export (deleted)", k[0], heads.size(), listed.get((int) k[0]));
        }
        if (!MerkleHash.hex(digest.digest()).equals(manifest.get("eventsDigest"))) {
            return Result.bad("the events do not match the signed manifest digest", k[0], heads.size(), null);
        }
        return new Result(true, "ok: " + k[0] + " events proven against " + heads.size() + " signed tree head(s), "
                + "selection complete per its signed manifest", k[0], heads.size(), null);
    }

    // ---- full exports: every entry in index order, roots of every head ----

    private Result verifyFull(Path file, Path leafFile, List<SignedTreeHead> heads, long eventCount)
            throws IOException {
        Result[] failure = new Result[1];
        long[] position = new long[1];
        ExportCodec.read(file, (line, rec) -> {
            if (failure[0] != null || !ExportRecord.EVENT.equals(rec.get("record"))) {
                return;
            }
            long p = position[0]++;
            Checked c = check(rec, line);
            if (c.problem != null) {
                failure[0] = Result.bad(c.problem, p, 0, c.index);
            } else if (c.index != p) {
                failure[0] = Result.bad(c.name + ": expected ledger index " + p + " at this position (an event was "
                        + (c.index > p ? "deleted" : "inserted or moved") + " before it)", p, 0, p);
            }
        });
        if (failure[0] != null) {
            return failure[0];
        }
        VerificationReport report = new LedgerVerifier(publicKey)
                .verify(() -> entries(file), leafFile == null ? null : () -> leafHashes(leafFile), heads);
        if (!report.ok()) {
            return Result.bad(report.reason(), report.entriesChecked(), report.headsChecked(),
                    report.firstBadEntry() >= 0 ? report.firstBadEntry() : null);
        }
        return new Result(true, "ok: " + report.entriesChecked() + " entries, " + report.headsChecked()
                + " signed tree head(s) verified" + (report.uncoveredEntries() > 0 ? "; the last "
                + report.uncoveredEntries() + " entries are after the latest head (not yet signed)" : ""),
                report.entriesChecked(), report.headsChecked(), null);
    }

    /** Result of the checks common to every event record. */
    private record Checked(long index, byte[] leaf, String name, String problem) {
    }

    private static Checked check(Map<String, Object> rec, long line) {
        long index;
        try {
            index = ExportRecord.number(rec, "ledgerIndex");
        } catch (IllegalArgumentException e) {
            return new Checked(-1, null, "line " + line, "line " + line + ": event without ledger index");
        }
        String entry = rec.get("entry") instanceof String s ? s : null;
        String name = "entry " + index + " (line " + line + ")";
        if (entry == null) {
            return new Checked(index, null, name, name + ": no entry");
        }
        Map<String, Object> fields;
        try {
            fields = ExportCodec.JSON.readValue(entry, MAP);
        } catch (RuntimeException e) {
            return new Checked(index, null, name, name + ": entry is not JSON");
        }
        name = "entry " + index + " (line " + line + ", " + fields.get("type") + " of exchange "
                + fields.get("exchangeId") + ")";
        Object embedded = fields.get("ledgerIndex");
        if (!(embedded instanceof Number n) || n.longValue() != index) {
            return new Checked(index, null, name, name + ": the entry says ledger index " + embedded);
        }
        byte[] leaf = MerkleHash.leafHash(entry.getBytes(StandardCharsets.UTF_8));
        String declared = rec.get("leafHash") instanceof String s ? s : "";
        if (!MerkleHash.hex(leaf).equalsIgnoreCase(declared)) {
            return new Checked(index, leaf, name, name + ": the entry hashes to " + MerkleHash.hex(leaf)
                    + " but its recorded leaf hash is " + declared + " (entry altered)");
        }
        if (rec.get("csvReadable") instanceof Map<?, ?> readable) {
            for (String col : ExportCodec.READABLE) {
                Object v = fields.get(col);
                String expected = v == null ? "" : v.toString();
                if (!expected.equals(readable.get(col))) {
                    return new Checked(index, leaf, name, name + ": CSV column '" + col + "' says '"
                            + readable.get(col) + "' but the signed entry says '" + expected + "'");
                }
            }
        }
        return new Checked(index, leaf, name, null);
    }

    private static Iterator<byte[]> entries(Path jsonl) {
        BufferedReader in;
        try {
            in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Iterator<>() {
            byte[] next = advance();

            private byte[] advance() {
                try {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.isBlank()) {
                            continue;
                        }
                        Map<String, Object> rec = ExportCodec.JSON.readValue(line, MAP);
                        if (ExportRecord.EVENT.equals(rec.get("record"))) {
                            return ((String) rec.get("entry")).getBytes(StandardCharsets.UTF_8);
                        }
                    }
                    in.close();
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public byte[] next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                byte[] out = next;
                next = advance();
                return out;
            }
        };
    }

    private static Iterator<byte[]> leafHashes(Path file) {
        DataInputStream in;
        try {
            InputStream raw = Files.newInputStream(file);
            in = new DataInputStream(new java.io.BufferedInputStream(raw, 65536));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Iterator<>() {
            byte[] next = advance();

            private byte[] advance() {
                byte[] b = new byte[32];
                try {
                    in.readFully(b);
                    return b;
                } catch (EOFException e) {
                    close();
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            private void close() {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public byte[] next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                byte[] out = next;
                next = advance();
                return out;
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
