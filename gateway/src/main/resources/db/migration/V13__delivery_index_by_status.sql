-- The per-recipient index of deliveries now leads with the status: (status, recipient, updated_at) instead of
-- (recipient, status, updated_at). Every query it serves filters on both (dead letters, requeues, the queue metrics,
-- the lost-task check); the list of every recipient's dead letters, which filters on the status alone, can now use it.
--
-- Why: with the recipient first, PostgreSQL could serve a delivery's own look-up (exchange_id = ? AND recipient = ?,
-- several times per exchange) from this index instead of the primary key, scanning every delivery of the recipient.
-- It did so on a new database: the JDBC driver prepares a statement once it has run five times, and the plan then
-- kept for the connection was made while the table was nearly empty, where both indexes cost the same. Until
-- autovacuum first analysed the table (a minute and more under load), each delivery step read ~1,000 index and heap
-- pages, a number growing with the table (docs/performance.md). With the status first, the recipient alone matches
-- no index prefix, and the primary key is the only plan for that look-up.
DROP INDEX delivery_recipient_status;
CREATE INDEX delivery_status_recipient ON delivery (status, recipient, updated_at);
