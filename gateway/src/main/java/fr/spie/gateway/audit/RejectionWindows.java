package fr.spie.gateway.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tallies of one window of refusals of callers without a credential. A refusal's kind is its event type, actor
 * and detail (which holds no personal data); its source is the client (an address, held in memory only). The first
 * {@code perKeyLimit} refusals of each (kind, source) in a window are to be audited one by one; the others are only
 * counted, and {@link #close} turns each count into one summary event of the same type, so none goes unaccounted.
 * At most {@code maxKeys} (kind, source) pairs are tracked: the refusals of the further ones are tallied together,
 * one tally per event type and actor ("other clients"), so memory does not grow with the number of sources.
 */
final class RejectionWindows {
    private static final int KIND_SHOWN = 300;

    private final int perKeyLimit;
    private final int maxKeys;
    private final Duration window;
    private final Map<Key, Tally> tallies = new HashMap<>();
    private boolean closedForGood;

    RejectionWindows(RejectionAuditSettings settings) {
        this.perKeyLimit = settings.perKeyLimit();
        this.maxKeys = settings.maxKeys();
        this.window = settings.window();
    }

    /**
     * Counts one refusal.
     *
     * @return true when it is to be audited as itself; false when it was only counted (it will be in a summary)
     */
    synchronized boolean admit(AuditEvent event, String source, Instant at) {
        if (closedForGood) {
            return true;
        }
        Tally tally = tallyOf(new Key(event.type(), event.actor(), event.detail(), source), event);
        if (tally.admitted < perKeyLimit) {
            tally.admitted++;
            return true;
        }
        tally.suppressed(1, at, at);
        return false;
    }

    /** Ends the window: the summary of every tally that suppressed refusals; a new window begins. */
    synchronized List<Suppressed> close() {
        List<Suppressed> closed = new ArrayList<>();
        tallies.forEach((key, tally) -> {
            if (tally.suppressed > 0) {
                closed.add(new Suppressed(key, tally.template, tally.suppressed, tally.first, tally.last));
            }
        });
        tallies.clear();
        return closed;
    }

    /** Ends the last window: from now on every refusal is to be audited as itself (nothing would write a summary). */
    synchronized List<Suppressed> closeForGood() {
        closedForGood = true;
        return close();
    }

    /** Counts again, in the current window, suppressed refusals whose summary could not be written. */
    synchronized void reopen(Suppressed summary) {
        tallyOf(summary.key(), summary.template()).suppressed(summary.count(), summary.first(), summary.last());
    }

    /** The tally of the key, or of "other clients" once {@code maxKeys} keys are tracked. */
    private Tally tallyOf(Key key, AuditEvent template) {
        Tally tally = tallies.get(key);
        if (tally == null) {
            Key counted = tallies.size() < maxKeys || key.isOtherSources() ? key : key.otherSources();
            tally = tallies.computeIfAbsent(counted, k -> new Tally(template));
        }
        return tally;
    }

    /** The summary event of suppressed refusals. */
    AuditEvent summaryOf(Suppressed s, Instant now) {
        String which = s.key().isOtherSources()
                ? "refusals from other clients (more than " + maxKeys + " kinds and clients in the window)"
                : "refusals \"" + shown(s.key().kind()) + "\" from the same client";
        return new AuditEvent(0, now, s.key().type(), null, s.key().actor(), null, null, null, null, null, null,
                s.template().configVersion(), null, null, null)
                .withDetail(s.count() + " more " + which + " suppressed between " + instant(s.first()) + " and "
                        + instant(s.last()) + " (spie.audit.rejections: " + perKeyLimit + " audited one by one per "
                        + window + ")");
    }

    private static String shown(String kind) {
        String text = kind == null ? "" : kind;
        return text.length() <= KIND_SHOWN ? text : text.substring(0, KIND_SHOWN - 3) + "...";
    }

    private static String instant(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** A kind of refusal from one source; {@code kind} and {@code source} are null for "other clients". */
    record Key(AuditEventType type, String actor, String kind, String source) {
        boolean isOtherSources() {
            return kind == null && source == null;
        }

        Key otherSources() {
            return new Key(type, actor, null, null);
        }
    }

    /** Refusals counted but not audited one by one: how many, the first and last, and one of them as template. */
    record Suppressed(Key key, AuditEvent template, long count, Instant first, Instant last) {
    }

    private static final class Tally {
        private final AuditEvent template;
        private int admitted;
        private long suppressed;
        private Instant first;
        private Instant last;

        Tally(AuditEvent template) {
            this.template = template;
        }

        void suppressed(long count, Instant from, Instant to) {
            suppressed += count;
            first = first == null || from.isBefore(first) ? from : first;
            last = last == null || to.isAfter(last) ? to : last;
        }
    }
}
