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
 */
public class RecipientBreaker {
    private static final Logger log = LoggerFactory.getLogger(RecipientBreaker.class);

    private final String recipient;
    private final Delivery.Outage outage;
    private final Clock clock;
    private boolean open;
    private int failures;
    private Instant nextProbe = Instant.MIN;

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

    /** The recipient answered (delivered, or refused the record for good): it is up. */
    public synchronized void answered() {
        failures = 0;
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
