-- Dead letters as a database matter (issue 7): the delivery table is the source of truth for dead letters, shared
-- by every gateway instance; the broker keeps no dead-letter queue of its own.
-- replays: how many times an admin replayed this delivery; it makes the broker's duplicate id of the replayed task
-- new (exchange/recipient/replays), so that the broker does not drop the replay as a duplicate of the first task.
-- status gains DISCARDED: an admin gave up a dead letter, with a reason (terminal, like DELIVERED and BLOCKED).
ALTER TABLE delivery ADD COLUMN replays INTEGER NOT NULL DEFAULT 0;

CREATE INDEX delivery_recipient_status ON delivery (recipient, status, updated_at);
