package fr.spie.gateway.ledger.db;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The audit seqs the ledger writer's tail has passed without seeing a committed row: inclusive ranges, each with the
 * time it was first seen missing. A missing seq is either a transaction still in flight (its row will commit later,
 * with this lower seq) or a value that will never commit (rolled back, or an identity value lost with a cache). The
 * writer looks for rows in the holes on every batch, and gives a hole up after a grace period. Not thread-safe: the
 * writer works on a {@link #copy()} and keeps it only once its batch is committed.
 */
final class SeqHoles {
    /** An inclusive range of missing seqs. */
    record Hole(long from, long to, Instant since) {
    }

    private final TreeMap<Long, Hole> byFrom = new TreeMap<>();

    SeqHoles copy() {
        SeqHoles c = new SeqHoles();
        c.byFrom.putAll(byFrom);
        return c;
    }

    /** Records [from, to] as missing since {@code since} (no-op when empty). */
    void add(long from, long to, Instant since) {
        if (from <= to) {
            byFrom.put(from, new Hole(from, to, since));
        }
    }

    /** Removes one seq that was found (it splits its hole). */
    void remove(long seq) {
        Map.Entry<Long, Hole> e = byFrom.floorEntry(seq);
        if (e == null || e.getValue().to() < seq) {
            return;
        }
        Hole h = e.getValue();
        byFrom.remove(h.from());
        add(h.from(), seq - 1, h.since());
        add(seq + 1, h.to(), h.since());
    }

    /** Removes and returns the holes missing since before {@code now - grace}. */
    List<Hole> expire(Instant now, Duration grace) {
        List<Hole> gone = new ArrayList<>();
        Instant limit = now.minus(grace);
        byFrom.values().removeIf(h -> {
            boolean old = !h.since().isAfter(limit);
            if (old) {
                gone.add(h);
            }
            return old;
        });
        return gone;
    }

    boolean isEmpty() {
        return byFrom.isEmpty();
    }

    int size() {
        return byFrom.size();
    }

    /** The smallest missing seq; only when not empty. */
    long first() {
        return byFrom.firstKey();
    }

    /** The holes as {@code [from0, to0, from1, to1, ...]}, in seq order. */
    long[] ranges() {
        long[] out = new long[byFrom.size() * 2];
        int i = 0;
        for (Hole h : byFrom.values()) {
            out[i++] = h.from();
            out[i++] = h.to();
        }
        return out;
    }

    /** Number of missing seqs (for logs). */
    long count() {
        long n = 0;
        for (Hole h : byFrom.values()) {
            n += h.to() - h.from() + 1;
        }
        return n;
    }
}
