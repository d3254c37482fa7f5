-- The retention job (PayloadRetention, every spie.retention.check-interval) looks for the envelope copies stored
-- before a cut-off, oldest first, a page at a time. Without an index on stored_at each page read and sorted the whole
-- table, envelopes included: a cost that grew with every copy kept, paid every hour even when nothing was due.
-- With it, a run reads the old copies only, and each page continues after the last one read.
CREATE INDEX exchange_payload_stored_at ON exchange_payload (stored_at, exchange_id);
