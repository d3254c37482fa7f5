-- SPIE Gateway schema v9: several instances share the file channel (docs/files.md, "Several instances").
-- Where a file's bytes are: the file store (<data-dir>/files, named by the id in its .store-id file; instances on one
-- shared volume share it) and the instance that received the file. NULL for files received before v9.
ALTER TABLE received_file ADD COLUMN store_id VARCHAR(64);
ALTER TABLE received_file ADD COLUMN stored_by VARCHAR(128);
-- The lease of the instance processing the file: taken with one conditional UPDATE (free or expired), renewed while
-- the file is read, cleared when it is DONE or QUARANTINED, or when the instance stops.
ALTER TABLE received_file ADD COLUMN lease_holder VARCHAR(128);
ALTER TABLE received_file ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;

-- The file stores in use: which instance last used each, where, and when (renewed with the leases), so that a file
-- waiting for its bytes says whether an instance that has them is running.
CREATE TABLE file_store (
    store_id     VARCHAR(64)   NOT NULL PRIMARY KEY,
    instance_id  VARCHAR(128)  NOT NULL,
    location     VARCHAR(1000) NOT NULL,
    seen_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
