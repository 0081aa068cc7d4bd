-- A document's metadata: one row per item of type 'document'. Dates are
-- calendar days (midnight UTC of the day).
CREATE TABLE post_documents (
    tenant_id    TEXT NOT NULL,
    post_id      TEXT NOT NULL,
    number       TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL CHECK (kind IN ('luat', 'nghi-dinh', 'thong-tu', 'quyet-dinh', 'chi-thi', 'ke-hoach', 'cong-van', 'thong-bao', 'bao-cao', 'khac')),
    issuer       TEXT NOT NULL DEFAULT '',
    signer       TEXT NOT NULL DEFAULT '',
    issued_on    TIMESTAMPTZ,
    effective_on TIMESTAMPTZ,
    expires_on   TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, post_id),
    FOREIGN KEY (tenant_id, post_id) REFERENCES posts (tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX post_documents_tenant_issued_idx ON post_documents (tenant_id, issued_on);
--bun:split
-- A document's files, in order: media of the same tenant (checked on
-- write; no foreign key to media, because a tenant merge moves items and
-- media one after the other inside its transaction).
CREATE TABLE post_attachments (
    tenant_id TEXT NOT NULL,
    post_id   TEXT NOT NULL,
    media_id  TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, post_id, media_id),
    FOREIGN KEY (tenant_id, post_id) REFERENCES posts (tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX post_attachments_media_idx ON post_attachments (tenant_id, media_id);
--bun:split
-- Citizens' questions (/hoi-dap). contact holds the asker's e-mail or
-- phone: never shown publicly. ip_hash is a keyed hash of the sender's
-- address, for the per-address limit.
CREATE TABLE questions (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    field_code  TEXT NOT NULL DEFAULT '',
    question    TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('new', 'answered', 'rejected')),
    answer      TEXT NOT NULL DEFAULT '',
    published   BOOLEAN NOT NULL DEFAULT FALSE,
    reason      TEXT NOT NULL DEFAULT '',
    ip_hash     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    decided_at  TIMESTAMPTZ,
    decided_by  TEXT NOT NULL DEFAULT '',
    mailed_at   TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX questions_tenant_state_idx ON questions (tenant_id, state, created_at);
--bun:split
CREATE INDEX questions_ip_idx ON questions (ip_hash, created_at);
