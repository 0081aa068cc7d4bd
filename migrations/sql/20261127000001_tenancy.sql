-- Platform core: tenants, their domains and sections, the sector's fields,
-- and change counters that let every process notice what another changed.

CREATE TABLE platform_state (
    name       TEXT PRIMARY KEY,
    generation BIGINT NOT NULL DEFAULT 0
);
--bun:split
INSERT INTO platform_state (name, generation) VALUES ('tenants', 1), ('policy', 1);
--bun:split
CREATE TABLE sector_fields (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL
);
--bun:split
INSERT INTO sector_fields (code, name, position) VALUES
    ('lao-dong-viec-lam', 'Lao động – Việc làm', 1),
    ('giao-duc-nghe-nghiep', 'Giáo dục nghề nghiệp', 2),
    ('an-toan-lao-dong', 'An toàn, vệ sinh lao động', 3),
    ('tien-luong-bhxh', 'Tiền lương – Bảo hiểm xã hội', 4),
    ('nguoi-co-cong', 'Người có công', 5),
    ('bao-tro-xa-hoi', 'Bảo trợ xã hội', 6),
    ('giam-ngheo', 'Giảm nghèo', 7),
    ('tre-em', 'Trẻ em', 8),
    ('binh-dang-gioi', 'Bình đẳng giới', 9),
    ('phong-chong-te-nan', 'Phòng, chống tệ nạn xã hội', 10);
--bun:split
CREATE TABLE tenants (
    id             TEXT PRIMARY KEY,
    slug           TEXT NOT NULL,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('department', 'unit', 'office', 'union')),
    parent_id      TEXT REFERENCES tenants (id),
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'archived')),
    has_site       BOOLEAN NOT NULL,
    quota_per_week INTEGER NOT NULL CHECK (quota_per_week >= 0),
    licence_no     TEXT NOT NULL DEFAULT '',
    licence_date   DATE,
    short_name     TEXT NOT NULL DEFAULT '',
    logo_url       TEXT NOT NULL DEFAULT '',
    colour         TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    onboarded_at   TIMESTAMPTZ NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE UNIQUE INDEX tenants_slug_key ON tenants (slug);
--bun:split
CREATE INDEX tenants_parent_idx ON tenants (parent_id);
--bun:split
-- At most one department sits at the top of the tree.
CREATE UNIQUE INDEX tenants_one_top_department ON tenants (kind) WHERE parent_id IS NULL AND kind = 'department';
--bun:split
CREATE TABLE tenant_domains (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    domain     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, domain)
);
--bun:split
CREATE UNIQUE INDEX tenant_domains_domain_key ON tenant_domains (domain);
--bun:split
CREATE TABLE sections (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    field_code  TEXT REFERENCES sector_fields (code),
    required    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX sections_tenant_slug_key ON sections (tenant_id, slug);
