-- A received file's bytes are the partner's records as sent, personal data in clear. Once the file is finished (DONE
-- or QUARANTINED) they serve no one, and they are deleted from its file store after spie.retention.files; the row
-- (digest, counts, report) and the audit events stay. NULL: the bytes are still kept (or the file is not finished).
ALTER TABLE received_file ADD COLUMN bytes_deleted_at TIMESTAMP WITH TIME ZONE;
