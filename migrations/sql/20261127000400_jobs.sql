-- Durable background jobs (platform/jobs): scheduled publishing, media
-- renditions, reminders. One table, claimed by workers in every process.
-- Times are always written as UTC by the application (never CURRENT_TIMESTAMP),
-- so on SQLite the TEXT values compare correctly as strings.

CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    unique_key   TEXT,
    run_at       TIMESTAMPTZ NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
    last_error   TEXT NOT NULL DEFAULT '',
    locked_by    TEXT,
    locked_until TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);
--bun:split
-- Enqueueing the same key twice is a no-op (INSERT ... ON CONFLICT DO
-- NOTHING). A cancelled job releases its key so it can be enqueued again.
CREATE UNIQUE INDEX jobs_unique_key ON jobs (unique_key) WHERE state <> 'cancelled';
--bun:split
-- The claim: due pending jobs by run_at ...
CREATE INDEX jobs_pending_run_at_idx ON jobs (run_at) WHERE state = 'pending';
--bun:split
-- ... and running jobs whose lease expired (their process died).
CREATE INDEX jobs_running_lease_idx ON jobs (locked_until) WHERE state = 'running';
--bun:split
CREATE INDEX jobs_tenant_idx ON jobs (tenant_id, kind, state);
--bun:split
-- Pruning of finished jobs.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE state IN ('done', 'failed', 'cancelled');
