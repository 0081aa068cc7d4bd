-- Indexes of the public render path (issue 13). Every public listing
-- orders by (published_at DESC, id DESC): with id in the index the newest
-- rows come straight off it, without a sort of the ties, so a LIMIT stops
-- after its rows. The new indexes extend the old ones, which they replace.
CREATE INDEX posts_tenant_status_published_id_idx ON posts (tenant_id, status, published_at, id);
--bun:split
DROP INDEX posts_tenant_status_published_idx;
--bun:split
CREATE INDEX posts_tenant_section_published_id_idx ON posts (tenant_id, section_id, status, published_at, id);
--bun:split
DROP INDEX posts_tenant_section_idx;
--bun:split
-- A field's home block and section page start from the field's items;
-- the primary key (tenant_id, post_id, field_code) cannot find them.
CREATE INDEX post_fields_tenant_field_idx ON post_fields (tenant_id, field_code, post_id);
