package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.LedgerVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;

/**
 * Verifies a ledger export offline (plain files, no database, no gateway) against a trusted public key:
 * every signature (tree heads, selection manifest), every entry's leaf hash, every inclusion proof (selections) or
 * the Merkle roots of every head over all entries (full exports, with {@link LedgerVerifier}), and the completeness
 * and order of a selection against its signed manifest. Reports the first bad entry it finds.
 */
public final class ExportVerifier {
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

    /** Told how far the verification of a full export has gone, every {@link #every()} entries. */
    @FunctionalInterface
    public interface Progress {
        /** Nothing told. */
        Progress NONE = entries -> { };

        /** {@code entries} entries read, checked and hashed so far (their roots are checked as the heads come). */
        void entriesRead(long entries);

        /** How many entries between two calls. */
        default long every() {
            return 1L << 18;
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
        return verify(path, Progress.NONE);
    }

    /** As {@link #verify(Path)}, telling {@code progress} how far the events of a full export have been read. */
    public Result verify(Path path, Progress progress) throws IOException {
        if (Files.isDirectory(path)) {
            return verifyDirectory(path, progress);
        }
        if (path.getFileName().toString().toLowerCase().endsWith(".zip")) {
            Path dir = Files.createTempDirectory("spie-ledger-export");
            try {
                ExportFiles.unzipExport(path, dir);
                return verifyFile(ExportFiles.ledgerFile(dir, "the zip"), ExportFiles.leafFile(dir), progress);
            } finally {
                ExportFiles.delete(dir);
            }
        }
        return verifyFile(path, null, progress);
    }

    private Result verifyDirectory(Path dir, Progress progress) throws IOException {
        return verifyFile(ExportFiles.ledgerFile(dir), ExportFiles.leafFile(dir), progress);
    }

    /** Header, heads and their tokens, then the events of a selection or of a full export. */
    private Result verifyFile(Path file, Path leafFile, Progress progress) throws IOException {
        if (!ExportCodec.isCsv(file)) {
            Result r = OnePassFullExport.verify(file, leafFile, publicKey, outline -> outlineChecks(file, outline),
                    progress);
            if (r != null) {
                return r;
            }
        }
        ExportOutline outline;
        try {
            outline = ExportOutline.read(file);
        } catch (IllegalArgumentException e) {
            return Result.bad(file.getFileName() + ": " + e.getMessage(), 0, 0, null);
        }
        OutlineChecks checked = outlineChecks(file, outline);
        if (checked.failure() != null) {
            return checked.failure();
        }
        Result r = checked.full() ? FullExportVerifier.verify(file, leafFile, outline.heads(), publicKey, progress)
                : SelectionVerifier.verify(file, outline, publicKey);
        return checked.heads().withTimestampNote(r);
    }

    /**
     * What the outline of an export says before its events are read.
     *
     * @param failure the header or a head's first failure, or null
     * @param full    the header says it is a full export
     * @param heads   the heads' checks, which name the latest timestamp when all is well
     */
    record OutlineChecks(Result failure, boolean full, TreeHeadCheck heads) {
    }

    /** The header (format, kind), then every head's signature and RFC 3161 timestamp, then forks between heads. */
    private OutlineChecks outlineChecks(Path file, ExportOutline outline) {
        Map<String, Object> header = outline.header();
        if (header == null || !ExportRecord.FORMAT.equals(header.get("format"))) {
            return new OutlineChecks(Result.bad("no '" + ExportRecord.FORMAT + "' header in " + file.getFileName(), 0,
                    0, null), false, null);
        }
        boolean full = ExportRecord.KIND_FULL.equals(header.get("kind"));
        if (full && ExportCodec.isCsv(file)) {
            return new OutlineChecks(Result.bad(file.getFileName() + ": a full export must be JSON Lines (ledger.jsonl, "
                    + "as the gateway writes it, alone or in its directory or zip); only selections may be CSV", 0, 0,
                    null), true, null);
        }
        TreeHeadCheck heads = new TreeHeadCheck(outline);
        Result failure = heads.signatures(publicKey);
        if (failure == null) {
            failure = heads.timestamps(trustedTsa);
        }
        if (failure == null) {
            failure = heads.forks();
        }
        return new OutlineChecks(failure, full, heads);
    }
}
