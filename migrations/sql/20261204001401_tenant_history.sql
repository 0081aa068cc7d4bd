-- What a tenant was, and when: every lifecycle change (onboarding, rename,
-- new slug, move, merge, suspension, archiving) adds a row holding the
-- tenant as it is from valid_from on, with who made the change and why.
-- Reports read it to show each contributor under the name and the parent
-- it had then. Tenants onboarded before it existed get one baseline row.
CREATE TABLE tenant_history (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    id             TEXT NOT NULL,
    valid_from     TIMESTAMPTZ NOT NULL,
    op             TEXT NOT NULL,
    slug           TEXT NOT NULL,
    name           TEXT NOT NULL,
    name_en        TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL,
    parent_id      TEXT,
    status         TEXT NOT NULL,
    merged_into_id TEXT,
    reason         TEXT NOT NULL DEFAULT '',
    actor_id       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX tenant_history_tenant_idx ON tenant_history (tenant_id, valid_from);
--bun:split
CREATE INDEX tenant_history_parent_idx ON tenant_history (parent_id, valid_from);
--bun:split
INSERT INTO tenant_history (tenant_id, id, valid_from, op, slug, name, name_en, kind, parent_id, status, merged_into_id)
SELECT id, id, onboarded_at, 'baseline', slug, name, name_en, kind, parent_id, status, merged_into_id FROM tenants;
--bun:split
-- Addresses a tenant no longer serves but still answers with a 301 to its
-- primary host: an old slug (<slug>.<base domain>) or a removed domain.
-- An alias is taken like a live slug or domain: nobody else can claim it.
CREATE TABLE tenant_aliases (
    kind       TEXT NOT NULL CHECK (kind IN ('slug', 'domain')),
    name       TEXT NOT NULL,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, name)
);
--bun:split
CREATE INDEX tenant_aliases_tenant_idx ON tenant_aliases (tenant_id);
--bun:split
-- Paths of a tenant that live elsewhere now: when a merged tenant's item
-- had to take a new slug in the tenant it went into, its old path points to
-- the new one. A request to a merged tenant's host follows these rules
-- (then "the same path") tenant after tenant to the one that serves it.
CREATE TABLE tenant_redirects (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    from_path  TEXT NOT NULL,
    to_path    TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, from_path)
);
--bun:split
-- The contributor a submission counts for in the quota when it is no longer
-- the item's tenant (the item moved in a merge); NULL means child_tenant_id.
ALTER TABLE submissions ADD COLUMN contributor_id TEXT REFERENCES tenants (id);
