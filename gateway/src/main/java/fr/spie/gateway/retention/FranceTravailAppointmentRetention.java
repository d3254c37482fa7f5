package fr.spie.gateway.retention;

import fr.spie.gateway.outbound.FranceTravailAppointments;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Deletes France Travail's ids of appointments (table {@code ft_appointment}) not used for
 * {@code spie.retention.france-travail-appointments}: neither created nor updated by an acknowledged PUT since. A later
 * record of such an appointment is POSTed as a new one, as when France Travail no longer knows the id. {@code 0s}
 * keeps them for ever. Run by {@link RetentionJob}; logs how many were deleted, never which.
 */
@Component
public class FranceTravailAppointmentRetention {
    static final String KEY = "spie.retention.france-travail-appointments";
    private static final Logger log = LoggerFactory.getLogger(FranceTravailAppointmentRetention.class);
    private static final int BATCH = 500;

    private final FranceTravailAppointments appointments;
    private final Duration retention;

    public FranceTravailAppointmentRetention(FranceTravailAppointments appointments,
                                             @Value("${" + KEY + ":P400D}") Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException(KEY + " must not be negative (0s keeps the ids for ever), got "
                    + retention);
        }
        this.appointments = appointments;
        this.retention = retention;
    }

    /** Deletes the ids unused for the retention at {@code now}, a bounded batch per statement; returns how many. */
    public int purge(Instant now) {
        if (retention.isZero()) {
            return 0;
        }
        Instant cutoff = now.minus(retention);
        int deleted = 0;
        int batch;
        do {
            batch = appointments.deleteUnusedBefore(cutoff, BATCH);
            deleted += batch;
        } while (batch == BATCH);
        if (deleted > 0) {
            log.info("France Travail appointment retention: {} appointment ids deleted (unused for {})", deleted,
                    KEY);
        }
        return deleted;
    }
}
