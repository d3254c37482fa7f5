-- SPIE Gateway schema v6: the ledger positions move out of audit_event into an insert-only table.
-- V3 recorded ledger_index and leaf_hash on each audit_event row by UPDATE, which rewrote the row and all its
-- secondary indexes: the writer's main cost. Now the writer only INSERTs, and audit_event is never updated again.
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.

-- One row per ledger leaf: position (gap-free from 0, assigned by the single writer in tailing order), the audit
-- row it holds (at most once: UNIQUE) and the hex leaf hash SHA-256(0x00 || canonical entry). No foreign key to
-- audit_event: the writer inserts an entry only for a row it has just read, audit rows are never deleted, and the
-- check cost the writer a primary-key look-up per entry (docs/performance.md).
CREATE TABLE ledger_entry (
    ledger_index BIGINT   NOT NULL PRIMARY KEY,
    seq          BIGINT   NOT NULL,
    leaf_hash    CHAR(64) NOT NULL,
    CONSTRAINT ledger_entry_seq UNIQUE (seq)
);

INSERT INTO ledger_entry (ledger_index, seq, leaf_hash)
    SELECT ledger_index, seq, leaf_hash FROM audit_event WHERE ledger_index IS NOT NULL;

-- The writer's horizon: every audit seq <= horizon_seq is in ledger_entry or was given up as never committed
-- (a rolled-back transaction or an unused identity value, after spie.ledger.hole-grace). The writer tails seqs above
-- its last appended seq and watches the holes between horizon_seq and it; see LedgerWriter. Exactly one row.
CREATE TABLE ledger_tail (
    id          SMALLINT NOT NULL PRIMARY KEY,
    horizon_seq BIGINT   NOT NULL,
    CONSTRAINT ledger_tail_single CHECK (id = 1)
);

INSERT INTO ledger_tail (id, horizon_seq)
    SELECT 1, COALESCE((SELECT MIN(seq) FROM audit_event WHERE ledger_index IS NULL) - 1,
                       (SELECT MAX(seq) FROM audit_event), 0);

DROP INDEX audit_event_ledger_tail;
ALTER TABLE audit_event DROP COLUMN ledger_index;
ALTER TABLE audit_event DROP COLUMN leaf_hash;
