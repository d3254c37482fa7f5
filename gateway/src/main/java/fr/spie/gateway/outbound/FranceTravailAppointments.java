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
        String update = "UPDATE ft_appointment SET ft_id = ?, created_at = ? WHERE recipient = ? AND source_partner = ?"
                + " AND appointment_digest = ?";
        if (jdbc.update(update, franceTravailId, now, recipient, sourcePartner, digest) > 0) {
            return;
        }
        try {
            jdbc.update("INSERT INTO ft_appointment (recipient, source_partner, appointment_digest, ft_id, created_at)"
                    + " VALUES (?,?,?,?,?)", recipient, sourcePartner, digest, franceTravailId, now);
        } catch (DuplicateKeyException inserted) {
            jdbc.update(update, franceTravailId, now, recipient, sourcePartner, digest);
        }
    }

    /** Forgets France Travail's id of this appointment (France Travail no longer knows it). */
    public void forget(String recipient, String sourcePartner, String appointmentId) {
        jdbc.update("DELETE FROM ft_appointment WHERE recipient = ? AND source_partner = ? AND appointment_digest = ?",
                recipient, sourcePartner, Digests.sha256Hex(appointmentId));
    }
}
