-- SPIE Gateway schema v12: when each France Travail appointment id (ft_appointment, V11) was last used — created, or a
-- PUT of it acknowledged by France Travail — so that the retention job deletes the rows unused for
-- spie.retention.france-travail-appointments (docs/transports.md). The rows that exist take their created_at.
-- Shared by H2 and PostgreSQL.
ALTER TABLE ft_appointment ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;
UPDATE ft_appointment SET last_used_at = created_at;
ALTER TABLE ft_appointment ALTER COLUMN last_used_at SET NOT NULL;
-- the retention job reads the oldest first, a bounded batch at a time
CREATE INDEX ft_appointment_last_used ON ft_appointment (last_used_at);
