-- Cross-posting: items sent by a child tenant to its parent's board (or
-- pulled by the parent), their decisions and history; provenance of copies;
-- republished press items and the register of reuse agreements.

CREATE TABLE submissions (
    parent_tenant_id TEXT NOT NULL REFERENCES tenants (id),
    id               TEXT NOT NULL,
    child_tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    post_id          TEXT NOT NULL,
    origin           TEXT NOT NULL CHECK (origin IN ('sent', 'pulled')),
    state            TEXT NOT NULL CHECK (state IN ('sent', 'accepted', 'returned', 'refused', 'withdrawn')),
    post_type        TEXT NOT NULL,
    counts           BOOLEAN NOT NULL,
    first_sent_at    TIMESTAMPTZ NOT NULL,
    sent_at          TIMESTAMPTZ NOT NULL,
    sent_by          TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    decided_at       TIMESTAMPTZ,
    decided_by       TEXT,
    decision_note    TEXT NOT NULL DEFAULT '',
    refuse_reason    TEXT,
    accepted_post_id TEXT,
    origin_revision  INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (parent_tenant_id, id),
    FOREIGN KEY (child_tenant_id, post_id) REFERENCES posts (tenant_id, id)
);
--bun:split
-- One live submission per item: a re-send after "returned" continues it.
CREATE UNIQUE INDEX submissions_child_post_key ON submissions (child_tenant_id, post_id) WHERE state <> 'withdrawn';
--bun:split
CREATE INDEX submissions_parent_first_sent_idx ON submissions (parent_tenant_id, first_sent_at);
--bun:split
CREATE INDEX submissions_parent_child_idx ON submissions (parent_tenant_id, child_tenant_id, first_sent_at);
--bun:split
CREATE TABLE submission_events (
    parent_tenant_id TEXT NOT NULL,
    id               TEXT NOT NULL,
    submission_id    TEXT NOT NULL,
    kind             TEXT NOT NULL,
    actor_id         TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (parent_tenant_id, id),
    FOREIGN KEY (parent_tenant_id, submission_id) REFERENCES submissions (parent_tenant_id, id)
);
--bun:split
CREATE INDEX submission_events_submission_idx ON submission_events (parent_tenant_id, submission_id, created_at);
--bun:split
ALTER TABLE posts ADD COLUMN origin_tenant_id TEXT;
--bun:split
ALTER TABLE posts ADD COLUMN origin_post_id TEXT;
--bun:split
ALTER TABLE posts ADD COLUMN origin_revision INTEGER NOT NULL DEFAULT 0;
--bun:split
ALTER TABLE posts ADD COLUMN source_changed BOOLEAN NOT NULL DEFAULT FALSE;
--bun:split
ALTER TABLE posts ADD COLUMN source_outlet TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE posts ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE posts ADD COLUMN source_author TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE posts ADD COLUMN source_published_at TIMESTAMPTZ;
--bun:split
ALTER TABLE posts ADD COLUMN agreement_id TEXT;
--bun:split
ALTER TABLE posts ADD COLUMN content_fingerprint TEXT NOT NULL DEFAULT '';
--bun:split
CREATE INDEX posts_origin_idx ON posts (origin_tenant_id, origin_post_id);
--bun:split
CREATE TABLE agreements (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    id         TEXT NOT NULL,
    outlet     TEXT NOT NULL,
    reference  TEXT NOT NULL,
    signed_on  DATE NOT NULL,
    expires_on DATE,
    scope      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX agreements_tenant_reference_key ON agreements (tenant_id, outlet, reference);
