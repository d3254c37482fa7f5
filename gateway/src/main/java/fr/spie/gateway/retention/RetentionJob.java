package fr.spie.gateway.retention;

import fr.spie.gateway.cluster.LeaderElection;
import fr.spie.gateway.files.ReceivedFileRetention;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The retention job: every {@code spie.retention.check-interval} ({@code 0s}: never), every instance deletes the
 * bytes of the finished files of its own file store ({@link ReceivedFileRetention}); the leader instance also deletes
 * the envelope copies whose retention is over ({@link PayloadRetention}), France Travail's appointment ids unused
 * for theirs ({@link FranceTravailAppointmentRetention}) and the subjects of ended consents
 * ({@link ConsentSubjectRetention}). A failed part is tried again at the next run and does not
 * stop the others.
 */
@Component
public class RetentionJob implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final PayloadRetention payloads;
    private final FranceTravailAppointmentRetention appointments;
    private final ReceivedFileRetention files;
    private final ConsentSubjectRetention consentSubjects;
    private final Duration interval;
    private final LeaderElection election;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spie-retention");
        t.setDaemon(true);
        return t;
    });

    public RetentionJob(PayloadRetention payloads, FranceTravailAppointmentRetention appointments,
                        ReceivedFileRetention files, ConsentSubjectRetention consentSubjects, @Value("${spie.retention.check-interval:PT1H}") Duration interval, LeaderElection election) {
        if (interval.isNegative()) {
            // else refused by the scheduler only once the gateway is ready, which then stops
            throw new IllegalArgumentException("spie.retention.check-interval must not be negative (0s: never), got "
                    + interval);
        }
        this.payloads = payloads;
        this.appointments = appointments;
        this.files = files;
        this.consentSubjects = consentSubjects;
        this.interval = interval;
        this.election = election;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        if (!interval.isZero()) {
            scheduler.scheduleWithFixedDelay(() -> run(Instant.now()), interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One run at {@code now}: the files of this instance's store; then, if this instance leads, the copies, the
     * appointment ids and the consent subjects (one instance purges them, and records each deletion once).
     */
    public void run(Instant now) {
        part("file", () -> files.purge(now));
        if (!election.isLeader()) {
            return;
        }
        part("payload", () -> payloads.purge(now));
        part("France Travail appointment", () -> appointments.purge(now));
        part("consent subject", () -> consentSubjects.purge(now));
    }

    /** One part of a run: a failure is logged and tried again at the next run, and does not stop the others. */
    private static void part(String name, Runnable purge) {
        try {
            purge.run();
        } catch (RuntimeException e) {
            log.warn("{} retention run failed, will try again: {}", name, e.toString());
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
