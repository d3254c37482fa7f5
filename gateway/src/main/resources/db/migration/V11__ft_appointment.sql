-- SPIE Gateway schema v11: the appointments created at France Travail (rendez-vous partenaire), so that a later record
-- of the same appointment is sent as a PUT with France Travail's id of it (its new state, statut ANNULE for a
-- cancellation) instead of a second POST, which would give the person a second rendez-vous.
-- One row per France Travail recipient, source partner and appointment (the payload's `id`, schema 1.1), written when
-- France Travail acknowledged the POST with its id; replaced when a PUT finds the id unknown and the POST is made again.
-- No personal data: partner ids, the SHA-256 of the source's appointment id, France Travail's opaque id.
-- Shared by H2 and PostgreSQL.
CREATE TABLE ft_appointment (
    recipient          VARCHAR(64)  NOT NULL,  -- the France Travail partner (partners.yaml id) the POST went to
    source_partner     VARCHAR(64)  NOT NULL,  -- the partner whose appointment it is (the envelope's source)
    appointment_digest CHAR(64)     NOT NULL,  -- lowercase hex SHA-256 of the appointment's `id` in the payload
    ft_id              VARCHAR(128) NOT NULL,  -- France Travail's id of the rendez-vous (the `id` its POST answered)
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (recipient, source_partner, appointment_digest)
);
