package fr.spie.gateway.delivery;

import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.messaging.DeliveryQueues;
import fr.spie.gateway.outbound.OutboundTransport;
import fr.spie.gateway.routing.ReleaseGate;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One delivery attempt: counts it, sends the record (through the recipient's transport), records the outcome. A
 * failure is thrown on so that Camel's error handler retries it with backoff or dead-letters it.
 */
public class DeliveryProcessor implements Processor {
    /** Exchange property: attempts made so far (read by the retry predicate). */
    public static final String ATTEMPTS = "spieAttempts";
    /**
     * Exchange property: the config version the latest attempt was released under (read when the record is
     * dead-lettered, so that DEAD_LETTERED carries the version of the attempts it ends).
     */
    public static final String RELEASED_UNDER = "spieReleasedUnder";
    private static final Logger log = LoggerFactory.getLogger(DeliveryProcessor.class);

    private final String recipient;
    private final Delivery delivery;
    private final DeliveryRecorder recorder;
    private final OutboundTransport transport;
    private final ReleaseGate gate;
    private final RecipientBreaker breaker;

    public DeliveryProcessor(String recipient, Delivery delivery, DeliveryRecorder recorder,
                             OutboundTransport transport, ReleaseGate gate, RecipientBreaker breaker) {
        this.breaker = breaker;
        this.recipient = recipient;
        this.delivery = delivery;
        this.recorder = recorder;
        this.transport = transport;
        this.gate = gate;
    }

    @Override
    public void process(Exchange camel) {
        UUID exchangeId = UUID.fromString(camel.getIn().getHeader(DeliveryQueues.EXCHANGE_ID, String.class));
        // the delivery's log lines name the exchange (structured logs: the exchangeId field)
        try (MDC.MDCCloseable mdc = MDC.putCloseable("exchangeId", exchangeId.toString())) {
            attempt(camel, exchangeId);
            breaker.released(exchangeId);
        } catch (DeliveryFailure failure) {
            if (!failure.retryable()) {
                breaker.released(exchangeId);
            }
            throw failure; // retryable: the consumer keeps it (released when it is dead-lettered)
        } catch (RuntimeException e) {
            breaker.released(exchangeId);
            throw e;
        }
    }

    private void attempt(Exchange camel, UUID exchangeId) {
        Optional<DeliveryTask> started = recorder.prepare(exchangeId, recipient);
        if (started.isEmpty()) {
            log.info("exchange {} to {}: nothing to deliver (already done or unknown), task dropped", exchangeId,
                    recipient);
            return;
        }
        DeliveryTask task = started.get();
        breaker.holding(exchangeId);
        boolean probe = breaker.open();
        if (probe && !breaker.tryProbe()) {
            // the recipient is down and another record probes it: wait, nothing sent nor counted
            throw new RecipientPaused(recipient);
        }
        if (probe && breaker.probedAlready(exchangeId)) {
            // every record in hand has had its probe: this one goes to a record waiting in the queue
            Optional<Boolean> answered = probeWithWaitingRecord();
            if (answered.isPresent() && !answered.get()) {
                throw new RecipientPaused(recipient);
            }
            probe = answered.isEmpty(); // none waiting: this record probes again; else delivery resumed
        }
        // policy in force now (config, consent) and minimisation: blocked is recorded by the gate, nothing is sent
        Optional<ReleaseGate.Release> release = gate.release(task);
        if (release.isEmpty()) {
            return;
        }
        camel.setProperty(ATTEMPTS, task.attempt());
        camel.setProperty(RELEASED_UNDER, release.get().configVersion());
        if (!probe && task.attempt() > delivery.maxAttempts()) {
            camel.setProperty(ATTEMPTS, task.attempt() - 1);
            throw new DeliveryFailure("attempts used up (" + delivery.maxAttempts() + ")", false);
        }
        long start = System.nanoTime();
        String outcome;
        try {
            outcome = transport.deliver(task, new String(release.get().body(),
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (DeliveryFailure failure) {
            recorder.timed(task, false, System.nanoTime() - start);
            if (!failure.retryable()) {
                breaker.answered();
            } else if (probe) {
                // a probe of a recipient that is down is not held against the record
                breaker.failedTemporarily();
                breaker.probeFailed(exchangeId);
                recorder.probeFailed(task, failure.getMessage(), release.get().configVersion());
                log.info("exchange {} to {}: probe failed: {}", exchangeId, recipient, failure.getMessage());
                throw failure;
            } else if (!breaker.refusedWhileUp(exchangeId)) {
                breaker.failedTemporarily();
            }
            recorder.failed(task, failure.getMessage(), release.get().configVersion());
            log.warn("exchange {} to {}: attempt {} failed: {}", exchangeId, recipient, task.attempt(),
                    failure.getMessage());
            throw failure;
        }
        long took = System.nanoTime() - start;
        breaker.answered();
        recorder.delivered(task, withOutcome(outcome, release.get().note()),
                fr.spie.gateway.privacy.Digests.sha256Hex(release.get().body()), release.get().configVersion());
        noticeIfConsentWithdrawnMeanwhile(task, release.get());
        recorder.timed(task, true, took);
        log.debug("exchange {} delivered to {} at attempt {}", exchangeId, recipient, task.attempt());
    }

    /** Records looked at for a probe from the queue: more than the consumers hold. */
    private static final int WAITING_CANDIDATES = 64;

    /**
     * The probe, sent with a record that waits in the recipient's queue (the first not settled of its person, the
     * least recently tried, held by no consumer here, not yet probed since the recipient went down): when every
     * record in hand is one the recipient keeps refusing, this is how the gateway finds out that it is up. Delivered
     * or refused for good, the record is settled now (its task, when its turn comes, is dropped as done); a
     * temporary failure is not counted against it, as for any probe.
     *
     * @return empty when no record waits; else whether the recipient answered (delivery resumes)
     */
    private Optional<Boolean> probeWithWaitingRecord() {
        for (UUID candidate : recorder.waiting(recipient, WAITING_CANDIDATES)) {
            if (breaker.holds(candidate) || breaker.probedAlready(candidate)) {
                continue;
            }
            Optional<DeliveryTask> waiting = recorder.prepare(candidate, recipient);
            if (waiting.isEmpty()) {
                continue;
            }
            DeliveryTask task = waiting.get();
            Optional<ReleaseGate.Release> release = gate.release(task); // blocked: recorded by the gate
            if (release.isEmpty()) {
                continue;
            }
            long start = System.nanoTime();
            String outcome;
            try {
                outcome = transport.deliver(task, new String(release.get().body(),
                        java.nio.charset.StandardCharsets.UTF_8));
            } catch (DeliveryFailure failure) {
                recorder.timed(task, false, System.nanoTime() - start);
                if (failure.retryable()) {
                    breaker.failedTemporarily();
                    breaker.probeFailed(candidate);
                    recorder.probeFailed(task, failure.getMessage(), release.get().configVersion());
                    log.info("exchange {} to {}: probe from the queue failed: {}", candidate, recipient,
                            failure.getMessage());
                    return Optional.of(false);
                }
                breaker.answeredWhileRecordsInHandFailed();
                recorder.failed(task, failure.getMessage(), release.get().configVersion());
                recorder.deadLettered(candidate, recipient, failure.getMessage(), release.get().configVersion());
                log.warn("exchange {} to {}: probe from the queue refused for good: {}", candidate, recipient,
                        failure.getMessage());
                return Optional.of(true);
            }
            breaker.answeredWhileRecordsInHandFailed();
            recorder.delivered(task, withOutcome(outcome, release.get().note()),
                    fr.spie.gateway.privacy.Digests.sha256Hex(release.get().body()), release.get().configVersion());
            noticeIfConsentWithdrawnMeanwhile(task, release.get());
            recorder.timed(task, true, System.nanoTime() - start);
            log.info("exchange {} to {}: probe from the queue delivered, delivery resumes", candidate, recipient);
            return Optional.of(true);
        }
        return Optional.empty();
    }

    /**
     * A delivery in flight when the consent it rests on was withdrawn has reached its recipient: that recipient is sent
     * the withdrawal notice ({@link ReleaseGate#delivered}). The delivery is recorded already: a failure here (the
     * database out of reach) is logged, not thrown, so that the task is not taken for an undelivered one.
     */
    private void noticeIfConsentWithdrawnMeanwhile(DeliveryTask task, ReleaseGate.Release release) {
        try {
            gate.delivered(task, release);
        } catch (RuntimeException e) {
            log.warn("exchange {} to {}: delivered; whether its consent was withdrawn meanwhile could not be checked "
                    + "({}): if it was, send the recipient the withdrawal notice", task.exchange().exchangeId(),
                    recipient, e.getClass().getSimpleName());
        }
    }

    /** The DELIVERED detail: what the recipient's system did (the transport's answer), then what was released. */
    static String withOutcome(String outcome, String released) {
        return outcome == null || outcome.isBlank() ? released : outcome + "; " + released;
    }
}
