-- Every page that shows pictures (a home shows about twenty) wants each
-- picture's renditions for its srcset. They were aggregated per picture
-- in the page's statement, a correlated subquery with a sort per picture:
-- on SQLite that cost as much as reading the pictures themselves
-- (issue 13). media now carries the list, "WIDTH FORMAT" pairs joined by
-- commas, smallest first ('' when there are none). Triggers keep it, so
-- no code path (the renditions job, a deletion, an import, a hand-written
-- statement) can leave it behind; a value written into the column is
-- recomputed.
ALTER TABLE media ADD COLUMN rendition_list TEXT NOT NULL DEFAULT '';
--bun:split
UPDATE media m SET rendition_list = COALESCE((SELECT string_agg(r.width || ' ' || r.format, ',' ORDER BY r.width, r.format)
    FROM media_renditions r WHERE r.tenant_id = m.tenant_id AND r.media_id = m.id), '');
--bun:split
CREATE FUNCTION media_rendition_list() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.rendition_list := COALESCE((SELECT string_agg(r.width || ' ' || r.format, ',' ORDER BY r.width, r.format)
        FROM media_renditions r WHERE r.tenant_id = NEW.tenant_id AND r.media_id = NEW.id), '');
    RETURN NEW;
END
$$;
--bun:split
CREATE TRIGGER media_rendition_list BEFORE INSERT OR UPDATE ON media
    FOR EACH ROW EXECUTE FUNCTION media_rendition_list();
--bun:split
-- A rendition's change touches its picture's row, whose trigger above
-- recomputes the list.
CREATE FUNCTION media_renditions_list() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE media SET rendition_list = '' WHERE tenant_id = OLD.tenant_id AND id = OLD.media_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE media SET rendition_list = '' WHERE tenant_id = NEW.tenant_id AND id = NEW.media_id;
    END IF;
    RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER media_renditions_list AFTER INSERT OR UPDATE OR DELETE ON media_renditions
    FOR EACH ROW EXECUTE FUNCTION media_renditions_list();
