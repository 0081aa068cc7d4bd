-- Tenant lifecycle (tenants/provision): a tenant merged into another keeps
-- its row with status 'merged' and the tenant it went into, so its old
-- addresses can answer 301 to their new place and past reports keep it.
-- Several top-level organisations may live on one platform: the rule of a
-- single top department goes.
--
-- SQLite cannot alter a CHECK constraint, and rebuilding the tenants table
-- would need foreign keys off, which cannot change inside the migration's
-- transaction. Widening the list of statuses only relaxes the constraint
-- (no stored row can violate it), which SQLite documents as safe to do by
-- editing the table's definition in sqlite_schema: the column is added
-- first (ADD COLUMN reads the definition's offsets from the parsed
-- schema), then the text is edited, then RESET reloads this connection's
-- schema; the CREATE TABLE of the next migration moves the schema cookie,
-- so every other connection reloads too.
ALTER TABLE tenants ADD COLUMN merged_into_id TEXT REFERENCES tenants (id);
--bun:split
PRAGMA writable_schema = ON;
--bun:split
UPDATE sqlite_master
   SET sql = replace(sql, 'CHECK (status IN (''active'', ''suspended'', ''archived''))',
                          'CHECK (status IN (''active'', ''suspended'', ''archived'', ''merged''))')
 WHERE type = 'table' AND name = 'tenants';
--bun:split
PRAGMA writable_schema = RESET;
--bun:split
DROP INDEX tenants_one_top_department;
