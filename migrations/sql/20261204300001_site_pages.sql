-- The agency's own pages (issue 12): what its board writes about the agency
-- (functions and duties, in Vietnamese and English), the order of the home
-- page's section blocks, and the leaders shown on /co-cau-to-chuc and /en.
-- The profile fields of Decree 42/2022 stay on tenants
-- (20261204001000_profile.sql); these tables hold the rest.
CREATE TABLE site_settings (
    tenant_id   TEXT NOT NULL PRIMARY KEY REFERENCES tenants (id),
    about       TEXT NOT NULL DEFAULT '',
    about_en    TEXT NOT NULL DEFAULT '',
    block_order TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE TABLE site_leaders (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    id             TEXT NOT NULL,
    position       INTEGER NOT NULL DEFAULT 0,
    name           TEXT NOT NULL,
    title          TEXT NOT NULL DEFAULT '',
    title_en       TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    photo_media_id TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX site_leaders_order_idx ON site_leaders (tenant_id, position);
