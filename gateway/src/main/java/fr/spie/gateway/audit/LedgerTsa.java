package fr.spie.gateway.audit;

import fr.spie.gateway.ledger.tsa.HeadTimestamper;
import fr.spie.gateway.ledger.tsa.TimestampDb;
import fr.spie.gateway.ledger.tsa.TimestampToken;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tree-head timestamping of this gateway: the {@link TimestampDb} (always, for the API and exports) and the
 * {@link HeadTimestamper} when {@code spie.ledger.tsa.url} is set (null otherwise).
 */
public final class LedgerTsa {
    private final TimestampDb db;
    private final HeadTimestamper timestamper;

    LedgerTsa(TimestampDb db, HeadTimestamper timestamper) {
        this.db = db;
        this.timestamper = timestamper;
    }

    public boolean enabled() {
        return timestamper != null;
    }

    public TimestampDb db() {
        return db;
    }

    HeadTimestamper timestamper() {
        return timestamper;
    }

    /** The token of the head of that size, if any (never fails: a read error means none). */
    public Optional<TimestampToken> token(long treeSize) {
        try {
            return db.find(treeSize);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The {@code tsa} detail of the {@code ledger} health: status disabled|up|down|standby (an instance that does not
     * lead, where the timestamper does not run), lastSuccess, lastError(At), untimestampedHeads. A TSA outage is
     * reported here only; it never makes the gateway DOWN.
     */
    public Map<String, Object> healthDetails() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (timestamper == null) {
            m.put("status", "disabled");
            return m;
        }
        HeadTimestamper.Status st = timestamper.status();
        // the timestamper runs on the leader only: elsewhere nothing is failing, the leader timestamps
        m.put("status", !st.running() ? "standby" : st.up() ? "up" : "down");
        m.put("lastSuccess", st.lastSuccess());
        m.put("lastError", st.lastError());
        m.put("lastErrorAt", st.lastErrorAt());
        try {
            m.put("untimestampedHeads", db.backlog());
        } catch (RuntimeException e) {
            m.put("untimestampedHeads", null);
        }
        return m;
    }
}
