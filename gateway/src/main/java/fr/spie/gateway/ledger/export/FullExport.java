package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.tsa.TimestampToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes a full ledger export (see {@link ExportRecord}): used by {@code GET /api/v1/audit/export/full} and by the
 * CLI's {@code audit export-full} (gateway stopped).
 */
public final class FullExport {
    public static final String LEDGER_FILE = "ledger.jsonl";
    public static final String LEAVES_FILE = "leaves.bin";
    public static final String KEY_FILE = "ledger-public-key.pem";

    private FullExport() {
    }

    /** Writes ledger.jsonl: header, every head, entries [0, size) in index order. Does not close {@code out}. */
    public static void writeLedger(LedgerDb db, long size, List<SignedTreeHead> heads, String keyId,
                                   String publicKeyPem, OutputStream out) {
        writeLedger(db, size, heads, Map.of(), keyId, publicKeyPem, out);
    }

    /** As above, each head with its RFC 3161 token when {@code timestamps} (by tree size) has one. */
    public static void writeLedger(LedgerDb db, long size, List<SignedTreeHead> heads,
                                   Map<Long, TimestampToken> timestamps, String keyId, String publicKeyPem,
                                   OutputStream out) {
        ExportCodec.RecordWriter w = new ExportCodec.RecordWriter(out, ExportCodec.Format.JSONL);
        w.write(ExportRecord.header(ExportRecord.KIND_FULL, Instant.now(), Map.of(), keyId, publicKeyPem));
        heads.forEach(h -> w.write(ExportRecord.treeHead(h, timestamps.get(h.treeSize()))));
        db.forEachInLedgerOrder(0, size, row -> w.write(ExportRecord.event(row.ledgerIndex(),
                MerkleHash.fromHex(row.leafHash()), new String(row.entry(), StandardCharsets.UTF_8), null, null)));
        w.flush();
    }

    /** Copies the first {@code size} leaf hashes of the leaf file. Does not close {@code out}. */
    public static void copyLeaves(Path leafFile, long size, OutputStream out) throws IOException {
        try (FileChannel ch = FileChannel.open(leafFile, StandardOpenOption.READ);
             InputStream in = Channels.newInputStream(ch)) {
            long remaining = size * MerkleHash.HASH_SIZE;
            byte[] buf = new byte[65536];
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    throw new IOException("leaf file " + leafFile + " is shorter than the ledger (" + size + ")");
                }
                out.write(buf, 0, n);
                remaining -= n;
            }
        }
        out.flush();
    }
}
