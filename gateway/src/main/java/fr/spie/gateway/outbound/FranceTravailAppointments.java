package fr.spie.gateway.outbound;

import fr.spie.gateway.privacy.Digests;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The appointments created at each France Travail recipient (table {@code ft_appointment}): France Travail's id of the
 * rendez-vous, by recipient, source partner and the source's appointment id (kept as its SHA-256 only). Written once
 * France Travail acknowledged the POST, read before each later record of the same appointment, which is then a PUT.
 * Each row says when it was last used (created, or a PUT of it acknowledged): the retention job deletes the rows unused
 * for {@code spie.retention.france-travail-appointments}, and a later record of such an appointment is POSTed again.
 *
 * <p>No lock: the records of one person reach a recipient one after the other (the delivery queues' message groups),
 * so a create and its update are never sent at the same time.
 */
@Repository
public class FranceTravailAppointments {
    private final JdbcTemplate jdbc;

    public FranceTravailAppointments(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** France Travail's id of this appointment, when it was created at this recipient. */
    public Optional<String> franceTravailId(String recipient, String sourcePartner, String appointmentId) {
        List<String> ids = jdbc.queryForList("SELECT ft_id FROM ft_appointment WHERE recipient = ?"
                + " AND source_partner = ? AND appointment_digest = ?", String.class, recipient, sourcePartner,
                Digests.sha256Hex(appointmentId));
        return ids.stream().findFirst();
    }

    /** Records France Travail's id of this appointment at this recipient (replacing an id France Travail lost). */
    public void remember(String recipient, String sourcePartner, String appointmentId, String franceTravailId) {
        String digest = Digests.sha256Hex(appointmentId);
        Timestamp now = Timestamp.from(Instant.now());
        String update = "UPDATE ft_appointment SET ft_id = ?, created_at = ?, last_used_at = ? WHERE recipient = ?"
                + " AND source_partner = ? AND appointment_digest = ?";
        if (jdbc.update(update, franceTravailId, now, now, recipient, sourcePartner, digest) > 0) {
            return;
        }
        try {
            jdbc.update("INSERT INTO ft_appointment (recipient, source_partner, appointment_digest, ft_id, created_at,"
                    + " last_used_at) VALUES (?,?,?,?,?,?)", recipient, sourcePartner, digest, franceTravailId, now,
                    now);
        } catch (DuplicateKeyException inserted) {
            jdbc.update(update, franceTravailId, now, now, recipient, sourcePartner, digest);
        }
    }

    /**
     * Records that France Travail acknowledged a PUT of this appointment with this id: its retention starts again. A
     * row the retention job deleted since it was read is written again (France Travail still knows the id).
     */
    public void used(String recipient, String sourcePartner, String appointmentId, String franceTravailId) {
        if (jdbc.update("UPDATE ft_appointment SET last_used_at = ? WHERE recipient = ? AND source_partner = ?"
                        + " AND appointment_digest = ? AND ft_id = ?", Timestamp.from(Instant.now()), recipient,
                sourcePartner, Digests.sha256Hex(appointmentId), franceTravailId) == 0) {
            remember(recipient, sourcePartner, appointmentId, franceTravailId);
        }
    }

    /** Forgets France Travail's id of this appointment (France Travail no longer knows it). */
    public void forget(String recipient, String sourcePartner, String appointmentId) {
        jdbc.update("DELETE FROM ft_appointment WHERE recipient = ? AND source_partner = ? AND appointment_digest = ?",
                recipient, sourcePartner, Digests.sha256Hex(appointmentId));
    }

    /**
     * Deletes at most {@code limit} rows last used at or before {@code cutoff}, the oldest first, in one statement;
     * returns how many. A row a PUT uses meanwhile is kept (its {@code last_used_at} is checked again as it is
     * deleted).
     */
    public int deleteUnusedBefore(Instant cutoff, int limit) {
        Timestamp before = Timestamp.from(cutoff);
        return jdbc.update("DELETE FROM ft_appointment WHERE last_used_at <= ?"
                + " AND (recipient, source_partner, appointment_digest) IN (SELECT recipient, source_partner,"
                + " appointment_digest FROM ft_appointment WHERE last_used_at <= ? ORDER BY last_used_at LIMIT ?)",
                before, before, limit);
    }
}
