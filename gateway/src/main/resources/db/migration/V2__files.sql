-- SPIE Gateway schema v2: the file channel (inbox drops and uploads), see docs/files.md.
-- No personal data in clear: file names are the partner's (sanitised), rejection reasons name places and problems,
-- never values; change keys are stored as keyed hashes.

-- One row per received file, written (with the file on disk under <data-dir>/files/<file_id>) before any processing.
CREATE TABLE received_file (
    file_id             UUID         NOT NULL PRIMARY KEY,
    partner             VARCHAR(64)  NOT NULL,
    original_name       VARCHAR(255),
    digest              CHAR(64)     NOT NULL,   -- SHA-256 of the file's bytes
    size_bytes          BIGINT       NOT NULL,
    format              VARCHAR(64)  NOT NULL,
    channel             VARCHAR(16)  NOT NULL,   -- UPLOAD or INBOX
    status              VARCHAR(16)  NOT NULL,   -- RECEIVED, PROCESSING, DONE, QUARANTINED, DUPLICATE
    duplicate_of        UUID,                    -- DUPLICATE: the first file with the same partner and digest
    records_total       BIGINT,                  -- SPIE records in the file, known after the validation pass
    records_done        BIGINT       NOT NULL DEFAULT 0,
    accepted            BIGINT       NOT NULL DEFAULT 0,
    unchanged           BIGINT       NOT NULL DEFAULT 0,
    rejected            BIGINT       NOT NULL DEFAULT 0,
    attempts            INTEGER      NOT NULL DEFAULT 0,
    received_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at          TIMESTAMP WITH TIME ZONE,
    progress_at         TIMESTAMP WITH TIME ZONE,
    finished_at         TIMESTAMP WITH TIME ZONE,
    quarantine_reason   VARCHAR(1000),
    quarantine_location VARCHAR(500),
    facts               VARCHAR(4000)            -- the connector's facts about the file (JSON), no personal data
);

CREATE INDEX received_file_status ON received_file (status, received_at);

-- The first file of each partner with a given digest: a second insert fails, the later file is a DUPLICATE.
-- A quarantined file's row is deleted so that the same bytes may be sent again once the configuration is fixed.
CREATE TABLE received_file_digest (
    partner  VARCHAR(64) NOT NULL,
    digest   CHAR(64)    NOT NULL,
    file_id  UUID        NOT NULL REFERENCES received_file (file_id),
    PRIMARY KEY (partner, digest)
);

-- Records of a file that were not accepted: where, and why (never the values).
CREATE TABLE received_file_rejection (
    file_id   UUID          NOT NULL REFERENCES received_file (file_id),
    seq       INTEGER       NOT NULL,
    location  VARCHAR(500)  NOT NULL,
    reason    VARCHAR(2000) NOT NULL,
    PRIMARY KEY (file_id, seq)
);

-- Change detection for stock files: the last accepted content of each (partner, record identity, record type).
CREATE TABLE record_fingerprint (
    partner         VARCHAR(64) NOT NULL,
    change_key_hash CHAR(64)    NOT NULL,   -- HMAC-SHA-256 of the connector's change key (it may hold identifiers)
    record_type     VARCHAR(64) NOT NULL,
    content_digest  CHAR(64)    NOT NULL,   -- SHA-256 of the canonical subject + payload
    exchange_id     UUID        NOT NULL,   -- the exchange that carried it
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (partner, change_key_hash, record_type)
);
