-- SPIE Gateway schema v3: the Merkle-tree ledger over the audit trail (RFC 9162 style).
-- Audit rows are still inserted by the request transactions; one LedgerWriter per gateway later tails the rows that
-- have no ledger index yet (in seq order), appends their leaf hashes to <data-dir>/ledger/leaves.bin, fsyncs, and
-- then records ledger_index and leaf_hash here in one transaction. Ledger order = tailing order, gap-free from 0.
-- The audit columns themselves are never updated: they are what each leaf's canonical entry holds.

ALTER TABLE audit_event ADD COLUMN ledger_index BIGINT;
ALTER TABLE audit_event ADD COLUMN leaf_hash CHAR(64);

-- Position in the ledger; NULL while the row waits for the writer. One index serves both the writer's tail (rows
-- without index, in seq order, are the first entries: no sort of the backlog) and look-ups by ledger index. It is
-- deliberately not a unique index on ledger_index alone: H2 would then pick that index for "ledger_index IS NULL" and
-- sort the whole backlog on every batch. Positions are unique because one writer assigns them consecutively, the
-- UPDATE only touches rows that have none, and the verifier rejects a ledger with a repeated or missing position.
CREATE INDEX audit_event_ledger_tail ON audit_event (ledger_index, seq);

-- Signed tree heads, one per published tree size. timestamp_ms is the exact signed value (milliseconds since the epoch).
CREATE TABLE tree_head (
    tree_size    BIGINT       NOT NULL PRIMARY KEY,
    root_hash    CHAR(64)     NOT NULL,   -- hex SHA-256 Merkle tree hash of leaves [0, tree_size)
    timestamp_ms BIGINT       NOT NULL,
    signature    VARCHAR(200) NOT NULL,   -- base64 Ed25519 signature over TreeHead.toCanonicalBytes()
    algorithm    VARCHAR(16)  NOT NULL,
    key_id       VARCHAR(32)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
