-- H2 only (the embedded default database; Flyway reads db/vendor/{vendor} besides db/migration).
-- H2 keeps an identity column's next value in memory for CACHE values (32 by default), then persists the sequence:
-- a store commit of its own. With each commit written to the file (WRITE_DELAY=0), that was a file write every 32
-- audit rows, a third of the file channel's storing thread (docs/performance.md). A crash now skips at most 4,096
-- values, never reuses one; the ledger writer treats skipped values as a hole it gives up after spie.ledger.hole-grace.
-- Not on PostgreSQL, where a sequence's cache is per session: concurrent sessions would take seqs far apart and the
-- ledger writer's tail would wait on holes that are only another session's unused block.
-- Numbered 8.1 so that the shared migrations keep their numbers on both databases.
ALTER TABLE audit_event ALTER COLUMN seq SET CACHE 4096;
