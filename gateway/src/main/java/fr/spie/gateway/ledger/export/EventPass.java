package fr.spie.gateway.ledger.export;

import fr.spie.gateway.ledger.export.ExportVerifier.Result;
import java.util.Map;

/**
 * The second pass over an export's records: each event record, in file order, passes the {@link EventCheck}s, then the
 * checks of its kind of export; the pass stops checking at the first failure.
 */
abstract class EventPass implements ExportCodec.RecordSink {
    private final int headsReported;
    private Result failure;
    private long position;

    /** @param headsReported the number of heads that failures report as verified */
    EventPass(int headsReported) {
        this.headsReported = headsReported;
    }

    @Override
    public final void accept(long line, Map<String, Object> rec) {
        if (failure != null || !ExportRecord.EVENT.equals(rec.get("record"))) {
            return;
        }
        long p = position++;
        EventCheck c = EventCheck.of(rec, line);
        failure = c.problem() != null ? Result.bad(c.problem(), p, headsReported, c.index()) : check(rec, c, p);
    }

    /** Counts an event at the next position that passed every check without going through {@link #accept}. */
    final void passed() {
        position++;
    }

    /** The checks of the kind of export for the event at {@code position} that passed the common ones: null if ok. */
    abstract Result check(Map<String, Object> rec, EventCheck c, long position);

    /** The first failure, or null. */
    final Result failure() {
        return failure;
    }

    /** The number of events read up to the first failure, included; the position of the next event. */
    final long events() {
        return position;
    }
}
