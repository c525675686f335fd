-- Which lane of the audit chain an entry extends. On PostgreSQL four lanes take writes
-- committed in parallel; SQLite has one writer and keeps one lane (every entry is lane 1,
-- `audit_chain` keeps its one row). The column exists here too so that both databases
-- share one schema.
-- Keep in step with ../../postgres/2026-12-04-000100_audit_lanes/up.sql (see ../README.md).

ALTER TABLE audit_log ADD COLUMN lane INTEGER NOT NULL DEFAULT 1 CHECK (lane = 1);
