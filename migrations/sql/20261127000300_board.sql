-- Editorial boards (Ban Biên tập): the decision that set up each tenant's
-- board, its members with their positions and written duties (the sections
-- and fields each covers), and the history of every change.
-- Every key leads with tenant_id. account_id refers to an account but has
-- no foreign key: accounts live in their own package and table.

CREATE TABLE board_decisions (
    tenant_id     TEXT PRIMARY KEY REFERENCES tenants (id),
    decision_no   TEXT NOT NULL,
    decision_date DATE NOT NULL,
    signer_name   TEXT NOT NULL,
    signer_title  TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    updated_by    TEXT NOT NULL
);
--bun:split
CREATE TABLE board_members (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    id             TEXT NOT NULL,
    name           TEXT NOT NULL,
    account_id     TEXT,
    position       TEXT NOT NULL CHECK (position IN ('truong-ban', 'pho-ban', 'thu-ky', 'bien-tap-vien', 'cong-tac-vien')),
    job_title      TEXT NOT NULL DEFAULT '',
    duties         TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    contact_public BOOLEAN NOT NULL DEFAULT FALSE,
    sort_order     INTEGER NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
-- An account sits on a tenant's board at most once.
CREATE UNIQUE INDEX board_members_tenant_account_key ON board_members (tenant_id, account_id) WHERE account_id IS NOT NULL;
--bun:split
-- A board has one editor-in-chief (Trưởng ban).
CREATE UNIQUE INDEX board_members_one_chief ON board_members (tenant_id) WHERE position = 'truong-ban';
--bun:split
CREATE TABLE board_member_sections (
    tenant_id  TEXT NOT NULL,
    member_id  TEXT NOT NULL,
    section_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, member_id, section_id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES board_members (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, section_id) REFERENCES sections (tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX board_member_sections_section_idx ON board_member_sections (tenant_id, section_id);
--bun:split
CREATE TABLE board_member_fields (
    tenant_id  TEXT NOT NULL,
    member_id  TEXT NOT NULL,
    field_code TEXT NOT NULL REFERENCES sector_fields (code),
    PRIMARY KEY (tenant_id, member_id, field_code),
    FOREIGN KEY (tenant_id, member_id) REFERENCES board_members (tenant_id, id) ON DELETE CASCADE
);
--bun:split
-- History of board changes: who, when, what (before/after as JSON text;
-- NULL where the object did not exist). member_id has no foreign key so the
-- history of a removed member stays.
CREATE TABLE board_history (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('decision.set', 'member.add', 'member.update', 'member.remove')),
    member_id   TEXT,
    actor_id    TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    before_json TEXT,
    after_json  TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX board_history_tenant_created_idx ON board_history (tenant_id, created_at);
