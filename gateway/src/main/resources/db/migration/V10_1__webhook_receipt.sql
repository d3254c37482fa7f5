-- SPIE Gateway schema v10.1: the signed webhook bodies already recorded, one row per partner and body.
-- A signed webhook sent again (a partner's retry, or a replay by whoever captured it) is answered as the first time
-- without a second WEBHOOK_RECEIVED event: the primary key makes the check and the record one atomic insert, also
-- between instances. One row per WEBHOOK_RECEIVED event at most, which the audit trail keeps for good anyway (the
-- audit_event table has no index on payload_digest, and one on its hot path for this alone would cost every exchange).
-- No personal data: the partner id and the SHA-256 of the body (the body itself is never kept).
-- Numbered 10.1: V10 is delivery_block_rule.
CREATE TABLE webhook_receipt (
    partner_id  VARCHAR(64) NOT NULL,
    body_digest CHAR(64)    NOT NULL,   -- lowercase hex SHA-256 of the raw body, as in the WEBHOOK_RECEIVED event
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (partner_id, body_digest)
);

-- the webhooks recorded before this version
INSERT INTO webhook_receipt (partner_id, body_digest, received_at)
SELECT source_partner, payload_digest, MIN(recorded_at) FROM audit_event
WHERE event_type = 'WEBHOOK_RECEIVED' AND source_partner IS NOT NULL AND payload_digest IS NOT NULL
GROUP BY source_partner, payload_digest;
