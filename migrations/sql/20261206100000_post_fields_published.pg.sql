-- A field's home block and section page list the field's newest published
-- items (issue 13). Reaching them through posts meant walking the tenant's
-- published items newest first and probing post_fields for each, until
-- enough matched: for a field with few items, most of the tenant's items.
-- post_fields now carries its item's publication time while the item is
-- published (NULL otherwise), so the newest items of a field come straight
-- off one index, like a section's own items. Triggers keep the copy, so no
-- code path (publication, withdrawal, a scheduled publication firing, a
-- merge, an import, a hand-written UPDATE) can leave it behind; the value
-- in an archive or an INSERT is ignored.
ALTER TABLE post_fields ADD COLUMN published_at TIMESTAMPTZ;
--bun:split
UPDATE post_fields f SET published_at = p.published_at
    FROM posts p WHERE p.tenant_id = f.tenant_id AND p.id = f.post_id AND p.status = 'published';
--bun:split
CREATE INDEX post_fields_tenant_field_published_idx ON post_fields (tenant_id, field_code, published_at, post_id)
    WHERE published_at IS NOT NULL;
--bun:split
CREATE FUNCTION post_fields_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.published_at := (SELECT CASE WHEN p.status = 'published' THEN p.published_at END
        FROM posts p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.post_id);
    RETURN NEW;
END
$$;
--bun:split
CREATE TRIGGER post_fields_published BEFORE INSERT OR UPDATE ON post_fields
    FOR EACH ROW EXECUTE FUNCTION post_fields_published();
--bun:split
CREATE FUNCTION posts_published_fields() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status OR NEW.published_at IS DISTINCT FROM OLD.published_at
        OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.id IS DISTINCT FROM OLD.id THEN
        UPDATE post_fields SET published_at = CASE WHEN NEW.status = 'published' THEN NEW.published_at END
        WHERE tenant_id = NEW.tenant_id AND post_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER posts_published_fields AFTER UPDATE ON posts
    FOR EACH ROW EXECUTE FUNCTION posts_published_fields();
