-- SPIE Gateway schema v8: what each recipient was sent and whether it acknowledged it.
-- sent_digest: lowercase hex SHA-256 of the exact body bytes of the successful delivery (the SPIE envelope as released
-- to this recipient); a recipient's acknowledgement may quote it. acknowledged_at: when the recipient acknowledged
-- (POST /api/v1/exchanges/{id}/acknowledgements); the acknowledgement itself is the DELIVERY_ACKNOWLEDGED audit event.
ALTER TABLE delivery ADD COLUMN sent_digest CHAR(64);
ALTER TABLE delivery ADD COLUMN acknowledged_at TIMESTAMP WITH TIME ZONE;
