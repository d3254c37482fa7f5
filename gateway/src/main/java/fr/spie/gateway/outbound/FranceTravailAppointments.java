package fr.spie.gateway.outbound;

import fr.spie.gateway.privacy.Digests;
import java.sql.Timestamp;
import java.time.Duration;
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
 * <p>The records of one person reach a recipient one after the other (the delivery queues' message groups), but a
 * probe of a recipient that is down may send, from another instance, a record a consumer is sending at that moment.
 * France Travail takes no idempotency key, so the POST of a rendez-vous is claimed first: a row with an empty
 * {@code ft_id} ({@link #claimCreation}), which a second attempt of the same appointment waits on, then uses the id
 * the first one got — one rendez-vous, not two. A claim older than its staleness (its holder stopped mid-POST) is
 * taken over.
 */
@Repository
public class FranceTravailAppointments {
    private final JdbcTemplate jdbc;

    public FranceTravailAppointments(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** France Travail's id of this appointment, when it was created at this recipient (not while being created). */
    public Optional<String> franceTravailId(String recipient, String sourcePartner, String appointmentId) {
        List<String> ids = jdbc.queryForList("SELECT ft_id FROM ft_appointment WHERE recipient = ?"
                + " AND source_partner = ? AND appointment_digest = ?", String.class, recipient, sourcePartner,
                Digests.sha256Hex(appointmentId));
        return ids.stream().filter(id -> !id.isEmpty()).findFirst();
    }

    /**
     * Claims the creation (POST) of this appointment's rendez-vous at this recipient. Empty: the caller holds the claim
     * and POSTs, then {@link #remember}s the id (or {@link #release}s the claim when the POST failed). An id: another
     * attempt created the rendez-vous meanwhile, to be updated with it. While another attempt holds a claim younger
     * than {@code stale}, this waits (polling every {@code poll}); an older claim is taken over.
     */
    public Optional<String> claimCreation(String recipient, String sourcePartner, String appointmentId, Duration stale,
                                          Duration poll) {
        String digest = Digests.sha256Hex(appointmentId);
        while (true) {
            Timestamp now = Timestamp.from(Instant.now());
            try {
                jdbc.update("INSERT INTO ft_appointment (recipient, source_partner, appointment_digest, ft_id,"
                        + " created_at, last_used_at) VALUES (?,?,?,'',?,?)", recipient, sourcePartner, digest, now,
                        now);
                return Optional.empty();
            } catch (DuplicateKeyException taken) {
                // created, or being created by another attempt: read which
            }
            List<Row> rows = jdbc.query("SELECT ft_id, created_at FROM ft_appointment WHERE recipient = ?"
                    + " AND source_partner = ? AND appointment_digest = ?",
                    (rs, i) -> new Row(rs.getString(1), rs.getTimestamp(2).toInstant()), recipient, sourcePartner,
                    digest);
            if (rows.isEmpty()) {
                continue; // released meanwhile: claim again
            }
            if (!rows.get(0).ftId().isEmpty()) {
                return Optional.of(rows.get(0).ftId());
            }
            Instant staleBefore = now.toInstant().minus(stale);
            if (rows.get(0).createdAt().isBefore(staleBefore)) {
                // one taker wins: its claim is then fresh
                if (jdbc.update("UPDATE ft_appointment SET created_at = ?, last_used_at = ? WHERE recipient = ?"
                        + " AND source_partner = ? AND appointment_digest = ? AND ft_id = '' AND created_at < ?",
                        now, now, recipient, sourcePartner, digest, Timestamp.from(staleBefore)) == 1) {
                    return Optional.empty();
                }
                continue;
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while another attempt creates the rendez-vous", e);
            }
        }
    }

    /**
     * Claims the creation of a new rendez-vous for an appointment whose id France Travail no longer knows: true when
     * the row still held that id (the caller POSTs); false when another attempt changed it meanwhile.
     */
    public boolean claimRecreation(String recipient, String sourcePartner, String appointmentId, String lostId) {
        Timestamp now = Timestamp.from(Instant.now());
        return jdbc.update("UPDATE ft_appointment SET ft_id = '', created_at = ?, last_used_at = ? WHERE recipient = ?"
                + " AND source_partner = ? AND appointment_digest = ? AND ft_id = ?", now, now, recipient,
                sourcePartner, Digests.sha256Hex(appointmentId), lostId) == 1;
    }

    /** Gives up a claim whose POST failed, so that the next attempt claims and POSTs again. */
    public void release(String recipient, String sourcePartner, String appointmentId) {
        jdbc.update("DELETE FROM ft_appointment WHERE recipient = ? AND source_partner = ? AND appointment_digest = ?"
                + " AND ft_id = ''", recipient, sourcePartner, Digests.sha256Hex(appointmentId));
    }

    /** A row as a claim reads it: France Travail's id (empty while being created) and when it was created. */
    private record Row(String ftId, Instant createdAt) {
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
