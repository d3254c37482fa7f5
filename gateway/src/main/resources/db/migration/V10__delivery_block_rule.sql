-- SPIE Gateway schema v10: the rule that blocked a delivery, apart from its reason.
-- block_rule: the code of the routing/consent rule that made a delivery BLOCKED (purpose-mismatch,
-- legal-basis-mismatch, route-not-in-config, consent-missing, consent-controller, consent-recipient, consent-purpose,
-- consent-category, consent-fields, consent-not-yet-valid, consent-expired, consent-withdrawn: docs/routing.md),
-- written with the status wherever a delivery becomes BLOCKED (at intake, at delivery, at a dead letter's replay).
-- last_error keeps the whole reason for admins; the sender's view of its exchange is built from block_rule only,
-- never from the reason's text, which may name the person's consents, controllers or other recipients.
-- Rows blocked before this version have no rule (NULL): their sender reads a generic sentence (docs/routing.md).
ALTER TABLE delivery ADD COLUMN block_rule VARCHAR(64);
