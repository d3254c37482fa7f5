package fr.spie.gateway.delivery;

import fr.spie.gateway.config.Delivery;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker for one recipient. Closed: records flow. After {@code pauseAfterFailures} consecutive temporary
 * failures (whatever the records) it opens: the recipient counts as down. Then the records in hand wait (each consumer
 * of the recipient's queue holds its record, so the backlog waits durably in the queue, in order) and one probe is
 * sent every {@code probeEvery}; neither the waiting nor a failed probe is counted against a record's
 * {@code maxAttempts}, so an outage of hours dead-letters nothing. Any answer of the recipient (success, or a refusal
 * for good) closes it.
 *
 * <p>It also knows which records the consumers hold and which have failed a probe since it opened: once every record
 * in hand has had its probe, the next one goes to a record waiting in the queue, so that records the recipient keeps
 * refusing cannot hold every consumer, unanswered and uncounted, while good records wait behind them.
 */
public class RecipientBreaker {
    private static final Logger log = LoggerFactory.getLogger(RecipientBreaker.class);

    private final String recipient;
    private final Delivery.Outage outage;
    private final Clock clock;
    private boolean open;
    private int failures;
    private Instant nextProbe = Instant.MIN;
    private final java.util.Set<java.util.UUID> inHand = new java.util.HashSet<>();
    private final java.util.Set<java.util.UUID> probedSinceOpen = new java.util.HashSet<>();
    private final java.util.Set<java.util.UUID> refusedWhileUp = new java.util.HashSet<>();

    public RecipientBreaker(String recipient, Delivery.Outage outage, Clock clock) {
        this.recipient = recipient;
        this.outage = outage;
        this.clock = clock;
    }

    /** Whether the recipient counts as down. */
    public synchronized boolean open() {
        return open;
    }

    /**
     * While open: whether the caller may send the next probe now (one caller per {@code probeEvery}); the others
     * wait.
     */
    public synchronized boolean tryProbe() {
        Instant now = clock.instant();
        if (!open || now.isBefore(nextProbe)) {
            return false;
        }
        nextProbe = now.plus(outage.probeEvery());
        return true;
    }

    /**
     * How long until the next probe is due (zero when it is). A record waiting for it retries then, so that it comes
     * before the record that failed the last probe (which retries {@code probeEvery} after its failure, a little
     * after the probe is due): the probes go round the records in hand, and one record the recipient keeps failing
     * does not keep the probe for itself while the others wait.
     */
    public synchronized java.time.Duration untilNextProbe() {
        Instant now = clock.instant();
        return now.isBefore(nextProbe) ? java.time.Duration.between(now, nextProbe) : java.time.Duration.ZERO;
    }

    /** A consumer holds this record (until {@link #released}). */
    public synchronized void holding(java.util.UUID exchangeId) {
        inHand.add(exchangeId);
    }

    /** The record left its consumer: delivered, refused, dead-lettered, or returned to the queue. */
    public synchronized void released(java.util.UUID exchangeId) {
        inHand.remove(exchangeId);
        refusedWhileUp.remove(exchangeId);
    }

    /**
     * A record waiting in the queue went through while the records in hand kept failing their probes: the recipient
     * is up and refuses those records. Their temporary failures no longer count towards its being down: they use
     * their attempts and go to the dead letters, instead of making it count as down again.
     */
    public synchronized void answeredWhileRecordsInHandFailed() {
        for (java.util.UUID id : probedSinceOpen) {
            if (inHand.contains(id)) {
                refusedWhileUp.add(id);
            }
        }
        answered();
    }

    /** Whether the recipient was seen up while it refused this record (see above). */
    public synchronized boolean refusedWhileUp(java.util.UUID exchangeId) {
        return refusedWhileUp.contains(exchangeId);
    }

    public synchronized boolean holds(java.util.UUID exchangeId) {
        return inHand.contains(exchangeId);
    }

    /** A probe with this record failed. */
    public synchronized void probeFailed(java.util.UUID exchangeId) {
        if (open) {
            probedSinceOpen.add(exchangeId);
        }
    }

    /**
     * Whether this record already failed a probe since the recipient went down: the probes have gone round the
     * records in hand (those waiting come first), and the next one should try a record from the queue.
     */
    public synchronized boolean probedAlready(java.util.UUID exchangeId) {
        return probedSinceOpen.contains(exchangeId);
    }

    /** The recipient answered (delivered, or refused the record for good): it is up. */
    public synchronized void answered() {
        failures = 0;
        probedSinceOpen.clear();
        if (open) {
            log.info("recipient {} answers again: delivery resumes", recipient);
            open = false;
        }
    }

    /**
     * One more temporary failure.
     *
     * @return whether the recipient now counts as down
     */
    public synchronized boolean failedTemporarily() {
        failures++;
        if (!open && failures >= outage.pauseAfterFailures()) {
            open = true;
            probedSinceOpen.clear();
            nextProbe = clock.instant().plus(outage.probeEvery());
            log.warn("recipient {} is down ({} consecutive temporary failures): its backlog waits in its queue, "
                    + "one probe every {}", recipient, failures, outage.probeEvery());
        }
        return open;
    }

    public Delivery.Outage outage() {
        return outage;
    }
}
