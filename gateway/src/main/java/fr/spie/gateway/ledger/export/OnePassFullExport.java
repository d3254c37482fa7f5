package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.export.ExportVerifier.OutlineChecks;
import fr.spie.gateway.ledger.export.ExportVerifier.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.function.Function;

/**
 * A full export as the gateway writes it (header, then the signed heads, then the events, nothing after) verified in
 * one reading of its file instead of two: the outline is complete when the first event comes, so the header and the
 * heads are checked then, and the events follow. The answer is the one the two readings give
 * ({@link ExportOutline}, then {@link FullExportVerifier}); whenever it might not be — anything but an event after the
 * first event, a line that is not a record, a header or a head that fails its checks (whose report counts every
 * event), not a full export — this gives up (null) and the caller reads the file the general way.
 */
final class OnePassFullExport {
    private OnePassFullExport() {
    }

    /** The verdict on {@code file}, or null when it must be verified the general way. */
    static Result verify(Path file, Path leafFile, PublicKey publicKey,
                         Function<ExportOutline, OutlineChecks> outlineChecks, ExportVerifier.Progress progress)
            throws IOException {
        ExportOutline outline = new ExportOutline();
        try (ExportLines lines = ExportLines.open(file)) {
            String first = null;
            String text;
            while (first == null && (text = lines.next()) != null) {
                if (WellFormedEventLine.declaredIndex(text) != WellFormedEventLine.NOT_RECOGNISED) {
                    first = text;
                } else {
                    var rec = ExportCodec.parseRecord(lines.number(), text);
                    if (ExportRecord.EVENT.equals(rec.get("record"))) {
                        first = text;
                    } else {
                        outline.accept(lines.number(), rec);
                    }
                }
            }
            Object kind = outline.header() == null ? null : outline.header().get("kind");
            if (first == null || !ExportRecord.KIND_FULL.equals(kind)) {
                return null;
            }
            OutlineChecks checked = outlineChecks.apply(outline);
            if (checked.failure() != null || !checked.full()) {
                return null;
            }
            Result r = FullExportVerifier.verify(FullExportLeaves.continuing(lines, first, outline, progress),
                    leafFile, outline.heads(), publicKey);
            return checked.heads().withTimestampNote(r);
        } catch (IllegalArgumentException | FullExportLeaves.NotOnePass e) {
            return null;
        }
    }
}
