package fr.spie.gateway.consent;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The consent registry's tables (V4__consent.sql). */
@Repository
public class ConsentStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JdbcTemplate jdbc;

    public ConsentStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A consent as stored: the receipt, plus the subject as given (for withdrawal notices). */
    public record Stored(Consent consent, String subjectJson) {
    }

    public boolean exists(UUID id) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM consent WHERE consent_id = ?", Integer.class, id);
        return n != null && n > 0;
    }

    public void insert(Consent c, List<String> subjectPseudonyms, String subjectJson, String recordedBy, Instant now) {
        Consent receipt = withoutEvents(c);
        jdbc.update("INSERT INTO consent (consent_id, subject_pseudonym, receipt, subject_json, given_at, valid_until, "
                        + "withdrawn_at, withdrawn_by, recorded_at, recorded_by) VALUES (?,?,?,?,?,?,?,?,?,?)",
                ps -> {
                    ps.setObject(1, c.id(), Types.OTHER);
                    ps.setString(2, c.subject());
                    ps.setString(3, JSON.writeValueAsString(receipt));
                    ps.setString(4, subjectJson);
                    ps.setTimestamp(5, Timestamp.from(c.givenAt()));
                    ps.setTimestamp(6, c.validUntil() == null ? null : Timestamp.from(c.validUntil()));
                    ps.setTimestamp(7, c.withdrawnAt() == null ? null : Timestamp.from(c.withdrawnAt()));
                    ps.setString(8, c.withdrawnBy());
                    ps.setTimestamp(9, Timestamp.from(now));
                    ps.setString(10, recordedBy);
                });
        for (String pseudonym : subjectPseudonyms) {
            jdbc.update("INSERT INTO consent_subject (subject_pseudonym, consent_id) VALUES (?,?)", pseudonym, c.id());
        }
        for (Consent.Event e : c.events()) {
            event(c.id(), e);
        }
    }

    /**
     * Records the withdrawal, unless the consent is already withdrawn by then: one conditional {@code UPDATE}. The
     * caller holds the consent's row ({@link #findLocked}), so that of two withdrawals of one consent at the same
     * moment the second sees the first.
     *
     * @return whether this call withdrew it
     */
    public boolean withdraw(Consent withdrawn) {
        Timestamp at = Timestamp.from(withdrawn.withdrawnAt());
        if (jdbc.update("UPDATE consent SET withdrawn_at = ?, withdrawn_by = ?, receipt = ? WHERE consent_id = ? "
                        + "AND (withdrawn_at IS NULL OR withdrawn_at > ?)", at, withdrawn.withdrawnBy(),
                JSON.writeValueAsString(withoutEvents(withdrawn)), withdrawn.id(), at) == 0) {
            return false;
        }
        event(withdrawn.id(), withdrawn.events().get(withdrawn.events().size() - 1));
        return true;
    }

    private void event(UUID id, Consent.Event e) {
        jdbc.update("INSERT INTO consent_event (consent_id, event_type, at, actor, detail) VALUES (?,?,?,?,?)",
                id, e.type(), Timestamp.from(e.at()), e.actor(), e.detail());
    }

    public Optional<Stored> find(UUID id) {
        return jdbc.query("SELECT receipt, subject_json FROM consent WHERE consent_id = ?",
                (rs, i) -> new Stored(JSON.readValue(rs.getString(1), Consent.class), rs.getString(2)), id)
                .stream().findFirst().map(s -> new Stored(withEvents(s.consent()), s.subjectJson()));
    }

    /**
     * {@link #find}, with the consent's row locked until the end of the caller's transaction: a withdrawal being
     * recorded at that moment (its {@code UPDATE} holds the row) commits first, and is then seen.
     */
    public Optional<Stored> findLocked(UUID id) {
        return jdbc.query("SELECT receipt, subject_json FROM consent WHERE consent_id = ? FOR UPDATE",
                (rs, i) -> new Stored(JSON.readValue(rs.getString(1), Consent.class), rs.getString(2)), id)
                .stream().findFirst().map(s -> new Stored(withEvents(s.consent()), s.subjectJson()));
    }

    /** The consents filed under this pseudonym, oldest first. */
    public List<Consent> bySubject(String pseudonym) {
        List<Consent> out = new ArrayList<>();
        for (Consent c : jdbc.query("SELECT c.receipt FROM consent c JOIN consent_subject s ON s.consent_id = c.consent_id "
                        + "WHERE s.subject_pseudonym = ? ORDER BY c.given_at",
                (rs, i) -> JSON.readValue(rs.getString(1), Consent.class), pseudonym)) {
            out.add(withEvents(c));
        }
        return out;
    }

    private Consent withEvents(Consent c) {
        List<Consent.Event> events = jdbc.query("SELECT event_type, at, actor, detail FROM consent_event "
                        + "WHERE consent_id = ? ORDER BY seq",
                (rs, i) -> new Consent.Event(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4)), c.id());
        return new Consent(c.id(), c.subject(), c.controllers(), c.recipients(), c.purposes(), c.dataCategories(),
                c.legalBasis(), c.collectedBy(), c.collectionMethod(), c.evidenceReference(), c.noticeVersion(),
                c.givenAt(), c.validUntil(), c.withdrawnAt(), c.withdrawnBy(), events);
    }

    private static Consent withoutEvents(Consent c) {
        return new Consent(c.id(), c.subject(), c.controllers(), c.recipients(), c.purposes(), c.dataCategories(),
                c.legalBasis(), c.collectedBy(), c.collectionMethod(), c.evidenceReference(), c.noticeVersion(),
                c.givenAt(), c.validUntil(), c.withdrawnAt(), c.withdrawnBy(), List.of());
    }
}
