-- Items (tin, bài, ảnh), their fields, revisions and workflow transitions.
-- Every key leads with tenant_id.

CREATE TABLE posts (
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    id                 TEXT NOT NULL,
    slug               TEXT NOT NULL,
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL DEFAULT '',
    body               TEXT NOT NULL DEFAULT '',
    type               TEXT NOT NULL CHECK (type IN ('news', 'article', 'in-depth', 'photo', 'video', 'republished')),
    status             TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved', 'scheduled', 'published', 'withdrawn', 'unpublished')),
    version            INTEGER NOT NULL DEFAULT 1,
    section_id         TEXT,
    event_date         DATE,
    byline             TEXT NOT NULL DEFAULT '',
    author_id          TEXT NOT NULL,
    featured_media_id  TEXT,
    not_reviewed       BOOLEAN NOT NULL DEFAULT FALSE,
    force_reason       TEXT NOT NULL DEFAULT '',
    scheduled_at       TIMESTAMPTZ,
    published_at       TIMESTAMPTZ,
    first_published_at TIMESTAMPTZ,
    withdrawn_at       TIMESTAMPTZ,
    withdraw_reason    TEXT NOT NULL DEFAULT '',
    lint_errors        INTEGER NOT NULL DEFAULT 0,
    lint_warnings      INTEGER NOT NULL DEFAULT 0,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    updated_by         TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, section_id) REFERENCES sections (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX posts_tenant_slug_key ON posts (tenant_id, slug);
--bun:split
CREATE INDEX posts_tenant_status_published_idx ON posts (tenant_id, status, published_at);
--bun:split
CREATE INDEX posts_tenant_section_idx ON posts (tenant_id, section_id, status, published_at);
--bun:split
CREATE INDEX posts_tenant_author_idx ON posts (tenant_id, author_id);
--bun:split
CREATE TABLE post_fields (
    tenant_id  TEXT NOT NULL,
    post_id    TEXT NOT NULL,
    field_code TEXT NOT NULL REFERENCES sector_fields (code),
    PRIMARY KEY (tenant_id, post_id, field_code),
    FOREIGN KEY (tenant_id, post_id) REFERENCES posts (tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE post_revisions (
    tenant_id  TEXT NOT NULL,
    post_id    TEXT NOT NULL,
    number     INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    body       TEXT NOT NULL,
    type       TEXT NOT NULL,
    section_id TEXT,
    fields     TEXT NOT NULL DEFAULT '',
    event_date DATE,
    byline     TEXT NOT NULL DEFAULT '',
    based_on   INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    actor_id   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, post_id, number),
    FOREIGN KEY (tenant_id, post_id) REFERENCES posts (tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE TABLE post_transitions (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    post_id     TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, post_id) REFERENCES posts (tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX post_transitions_post_idx ON post_transitions (tenant_id, post_id, created_at);
--bun:split
CREATE TABLE tenant_settings (
    tenant_id              TEXT PRIMARY KEY REFERENCES tenants (id),
    always_second_reviewer BOOLEAN NOT NULL DEFAULT FALSE,
    mfa_required           BOOLEAN NOT NULL DEFAULT FALSE,
    republish_delay_min    INTEGER NOT NULL DEFAULT 0,
    updated_at             TIMESTAMPTZ NOT NULL
);
--bun:split
-- In-console notifications: to one account, or to a tenant's whole board
-- when account_id is NULL.
CREATE TABLE notifications (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    id         TEXT NOT NULL,
    account_id TEXT,
    kind       TEXT NOT NULL,
    message    TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX notifications_tenant_created_idx ON notifications (tenant_id, created_at);
