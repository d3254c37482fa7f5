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
 * Verifies the events of a full export: one pass checks that each passes the {@link EventCheck}s and stands at the
 * position of its ledger index (none deleted, inserted or moved); then {@link LedgerVerifier} recomputes the root of
 * every signed head over all entries, using {@code leaves.bin} when there is one to name the first bad entry.
 */
final class FullExportVerifier extends EventPass {
    private FullExportVerifier() {
        super(0);
    }

    /** Verifies the full-export {@code file} (heads already verified), with its leaf file or null. */
    static Result verify(Path file, Path leafFile, List<SignedTreeHead> heads, PublicKey publicKey)
            throws IOException {
        FullExportVerifier order = new FullExportVerifier();
        ExportCodec.read(file, order);
        if (order.failure() != null) {
            return order.failure();
        }
        VerificationReport report = new LedgerVerifier(publicKey).verify(() -> FullExportStreams.entries(file),
                leafFile == null ? null : () -> FullExportStreams.leafHashes(leafFile), heads);
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
        return null;
    }
}
