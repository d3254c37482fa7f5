package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.LedgerVerifier;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.VerificationReport;
import fr.spie.gateway.ledger.export.ExportVerifier.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

/**
 * Verifies the events of a full export in one pass over its file: each event passes the {@link EventCheck}s and
 * stands at the position of its ledger index (none deleted, inserted or moved), and the leaf hashes those checks
 * computed from the entries go on to {@link LedgerVerifier}, which recomputes the root of every signed head over all
 * entries, using {@code leaves.bin} when there is one to name the first bad entry. A failing event check is reported
 * before anything the roots say, wherever it is in the file.
 */
final class FullExportVerifier extends EventPass {
    private byte[] lastLeaf;

    FullExportVerifier() {
        super(0);
    }

    /** Verifies the full-export {@code file} (heads already verified), with its leaf file or null. */
    static Result verify(Path file, Path leafFile, List<SignedTreeHead> heads, PublicKey publicKey,
                         ExportVerifier.Progress progress) throws IOException {
        return verify(FullExportLeaves.of(file, progress), leafFile, heads, publicKey);
    }

    /** Verifies the events {@code leaves} reads (heads already verified), with the export's leaf file or null. */
    static Result verify(FullExportLeaves leaves, Path leafFile, List<SignedTreeHead> heads, PublicKey publicKey)
            throws IOException {
        VerificationReport report;
        try (leaves) {
            report = new LedgerVerifier(publicKey).verifyLeaves(() -> leaves,
                    leafFile == null ? null : () -> ExportedLeafHashes.of(leafFile), heads);
            leaves.readToEnd();
        } catch (RecognisedLines.Unreadable e) {
            throw e.getCause();
        }
        Result failure = leaves.checks().failure();
        if (failure != null) {
            return failure;
        }
        if (!report.ok()) {
            return Result.bad(report.reason(), report.entriesChecked(), report.headsChecked(),
                    report.firstBadEntry() >= 0 ? report.firstBadEntry() : null);
        }
        return new Result(true, "ok: " + report.entriesChecked() + " entries, " + report.headsChecked()
                + " signed tree head(s) verified" + (report.uncoveredEntries() > 0 ? "; the last "
                + report.uncoveredEntries() + " entries are after the latest head (not yet signed)" : ""),
                report.entriesChecked(), report.headsChecked(), null);
    }

    @Override
    Result check(Map<String, Object> rec, EventCheck c, long position) {
        if (c.index() != position) {
            return Result.bad(c.name() + ": expected ledger index " + position + " at this position (an event was "
                    + (c.index() > position ? "deleted" : "inserted or moved") + " before it)", position, 0, position);
        }
        lastLeaf = c.leaf();
        return null;
    }

    /** The leaf hash of the last event that passed {@link #check}. */
    byte[] lastLeaf() {
        return lastLeaf;
    }
}
