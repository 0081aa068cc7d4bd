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
UPDATE post_fields SET published_at = (SELECT CASE WHEN p.status = 'published' THEN p.published_at END
    FROM posts p WHERE p.tenant_id = post_fields.tenant_id AND p.id = post_fields.post_id);
--bun:split
CREATE INDEX post_fields_tenant_field_published_idx ON post_fields (tenant_id, field_code, published_at, post_id)
    WHERE published_at IS NOT NULL;
--bun:split
CREATE TRIGGER post_fields_published_insert AFTER INSERT ON post_fields BEGIN
    UPDATE post_fields SET published_at = (SELECT CASE WHEN p.status = 'published' THEN p.published_at END
        FROM posts p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.post_id)
    WHERE tenant_id = NEW.tenant_id AND post_id = NEW.post_id AND field_code = NEW.field_code;
END;
--bun:split
CREATE TRIGGER post_fields_published_update AFTER UPDATE OF tenant_id, post_id, published_at ON post_fields BEGIN
    UPDATE post_fields SET published_at = (SELECT CASE WHEN p.status = 'published' THEN p.published_at END
        FROM posts p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.post_id)
    WHERE tenant_id = NEW.tenant_id AND post_id = NEW.post_id AND field_code = NEW.field_code;
END;
--bun:split
CREATE TRIGGER posts_published_fields AFTER UPDATE OF tenant_id, id, status, published_at ON posts BEGIN
    UPDATE post_fields SET published_at = CASE WHEN NEW.status = 'published' THEN NEW.published_at END
    WHERE tenant_id = NEW.tenant_id AND post_id = NEW.id;
END;
