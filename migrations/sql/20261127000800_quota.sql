-- Quota tracking (tenants/quota): the history of each contributor's weekly
-- quota, exempt weeks, tenant status periods (weeks while a contributor was
-- suspended are exempt), snapshots of the monthly report, and the indexes
-- the report's queries need. Weeks are ISO weeks in Vietnam time written
-- 'YYYY-Www', which sort as text.

CREATE TABLE quota_history (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    id             TEXT NOT NULL,
    effective_week TEXT NOT NULL,
    quota          INTEGER NOT NULL CHECK (quota >= 0 AND quota <= 50),
    reason         TEXT NOT NULL DEFAULT '',
    changed_by     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX quota_history_tenant_week_idx ON quota_history (tenant_id, effective_week, created_at);
--bun:split
-- An exempt week: for every contributor of the parent (tenant_id NULL: Tết,
-- national holidays) or for one contributor, always with a reason.
CREATE TABLE quota_exemptions (
    parent_tenant_id TEXT NOT NULL REFERENCES tenants (id),
    id               TEXT NOT NULL,
    tenant_id        TEXT REFERENCES tenants (id),
    week             TEXT NOT NULL,
    reason           TEXT NOT NULL CHECK (reason <> ''),
    created_by       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (parent_tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX quota_exemptions_all_key ON quota_exemptions (parent_tenant_id, week) WHERE tenant_id IS NULL;
--bun:split
CREATE UNIQUE INDEX quota_exemptions_one_key ON quota_exemptions (parent_tenant_id, tenant_id, week) WHERE tenant_id IS NOT NULL;
--bun:split
CREATE INDEX quota_exemptions_parent_week_idx ON quota_exemptions (parent_tenant_id, week);
--bun:split
-- Every change of a tenant's status (active, suspended, archived), written
-- by quota.RecordStatus in the transaction that changes tenants.status.
CREATE TABLE tenant_status_history (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    id         TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'archived')),
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX tenant_status_history_tenant_idx ON tenant_status_history (tenant_id, changed_at);
--bun:split
-- What was reported: the monthly report as JSON, never updated; a new
-- snapshot (with its reason) supersedes the previous one.
CREATE TABLE quota_snapshots (
    parent_tenant_id TEXT NOT NULL REFERENCES tenants (id),
    id               TEXT NOT NULL,
    month            TEXT NOT NULL,
    reason           TEXT NOT NULL CHECK (reason <> ''),
    created_by       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    data             TEXT NOT NULL,
    PRIMARY KEY (parent_tenant_id, id)
);
--bun:split
CREATE INDEX quota_snapshots_month_idx ON quota_snapshots (parent_tenant_id, month, created_at);
--bun:split
-- The report's source of a parent's published copy (accepted or pulled).
CREATE INDEX submissions_parent_accepted_idx ON submissions (parent_tenant_id, accepted_post_id);
--bun:split
-- The Department site's own activity: items first published in a period
-- (covering: type and id are read from the index).
CREATE INDEX posts_tenant_first_published_idx ON posts (tenant_id, first_published_at, type, id);
--bun:split
-- The report's main query reads, per submission, the item's event date and
-- presentation findings and the parent copy's first publication: a
-- covering index lets PostgreSQL answer from the index alone (an
-- index-only scan instead of reading every post's row and body).
CREATE INDEX posts_report_idx ON posts (tenant_id, id, event_date, lint_errors, lint_warnings, first_published_at);
