-- A Department's home lists its own newest items and, apart, the newest
-- copies it accepted from its units (issue 13). Both read the tenant's
-- published items newest first and skip the other kind, so on the one
-- index for both a Department with thousands of copies walked past them
-- to find its own items, and PostgreSQL's generic plan for the copies
-- read every copy of the tenant and sorted them. An index per kind gives
-- each list its rows straight off the index, whatever the volume of the
-- other. The queries name the same conditions (site.ownAndCopiesSQL).
CREATE INDEX posts_tenant_own_published_idx ON posts (tenant_id, status, published_at, id)
    WHERE origin_tenant_id IS NULL;
--bun:split
CREATE INDEX posts_tenant_copies_published_idx ON posts (tenant_id, status, published_at, id)
    WHERE origin_tenant_id IS NOT NULL;
