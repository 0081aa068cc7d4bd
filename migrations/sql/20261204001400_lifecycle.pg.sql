-- Tenant lifecycle (tenants/provision): a tenant merged into another keeps
-- its row with status 'merged' and the tenant it went into, so its old
-- addresses can answer 301 to their new place and past reports keep it.
-- Several top-level organisations may live on one platform: the rule of a
-- single top department goes.
ALTER TABLE tenants DROP CONSTRAINT tenants_status_check;
--bun:split
ALTER TABLE tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended', 'archived', 'merged'));
--bun:split
ALTER TABLE tenants ADD COLUMN merged_into_id TEXT REFERENCES tenants (id);
--bun:split
DROP INDEX tenants_one_top_department;
