-- SPIE Gateway schema v12.2: the operators' list of files (GET /api/v1/files), newest first, a page at a time
-- (keyset: received_at, then file_id, both descending), for every partner or for one. Without these indexes each
-- page would sort every received file. Filters on status use received_file_status (V2) or these.
-- Shared by H2 and PostgreSQL.
CREATE INDEX received_file_received ON received_file (received_at DESC, file_id DESC);
CREATE INDEX received_file_partner_received ON received_file (partner, received_at DESC, file_id DESC);
