-- Every page that shows pictures (a home shows about twenty) wants each
-- picture's renditions for its srcset. They were aggregated per picture
-- in the page's statement, a correlated subquery with a sort per picture:
-- on SQLite that cost as much as reading the pictures themselves
-- (issue 13). media now carries the list, "WIDTH FORMAT" pairs joined by
-- commas, smallest first ('' when there are none). Triggers keep it, so
-- no code path (the renditions job, a deletion, an import, a hand-written
-- statement) can leave it behind; a value written into the column is
-- recomputed. The pairs are ordered in a subquery rather than inside
-- group_concat, which SQLite before 3.44 (the sqlite3 shell of Debian 12)
-- cannot parse: a trigger it cannot parse keeps it from opening the file.
ALTER TABLE media ADD COLUMN rendition_list TEXT NOT NULL DEFAULT '';
--bun:split
UPDATE media SET rendition_list = COALESCE((SELECT group_concat(pair, ',') FROM (SELECT r.width || ' ' || r.format AS pair
    FROM media_renditions r WHERE r.tenant_id = media.tenant_id AND r.media_id = media.id ORDER BY r.width, r.format)), '');
--bun:split
CREATE TRIGGER media_rendition_list_insert AFTER INSERT ON media BEGIN
    UPDATE media SET rendition_list = COALESCE((SELECT group_concat(pair, ',') FROM (SELECT r.width || ' ' || r.format AS pair
        FROM media_renditions r WHERE r.tenant_id = NEW.tenant_id AND r.media_id = NEW.id ORDER BY r.width, r.format)), '')
    WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
END;
--bun:split
CREATE TRIGGER media_rendition_list_update AFTER UPDATE OF tenant_id, id, rendition_list ON media BEGIN
    UPDATE media SET rendition_list = COALESCE((SELECT group_concat(pair, ',') FROM (SELECT r.width || ' ' || r.format AS pair
        FROM media_renditions r WHERE r.tenant_id = NEW.tenant_id AND r.media_id = NEW.id ORDER BY r.width, r.format)), '')
    WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
END;
--bun:split
CREATE TRIGGER media_renditions_list_insert AFTER INSERT ON media_renditions BEGIN
    UPDATE media SET rendition_list = COALESCE((SELECT group_concat(pair, ',') FROM (SELECT r.width || ' ' || r.format AS pair
        FROM media_renditions r WHERE r.tenant_id = NEW.tenant_id AND r.media_id = NEW.media_id ORDER BY r.width, r.format)), '')
    WHERE tenant_id = NEW.tenant_id AND id = NEW.media_id;
END;
--bun:split
CREATE TRIGGER media_renditions_list_update AFTER UPDATE ON media_renditions BEGIN
    UPDATE media SET rendition_list = COALESCE((SELECT group_concat(pair, ',') FROM (SELECT r.width || ' ' || r.format AS pair
        FROM media_renditions r WHERE r.tenant_id = media.tenant_id AND r.media_id = media.id ORDER BY r.width, r.format)), '')
    WHERE (tenant_id = NEW.tenant_id AND id = NEW.media_id) OR (tenant_id = OLD.tenant_id AND id = OLD.media_id);
END;
--bun:split
CREATE TRIGGER media_renditions_list_delete AFTER DELETE ON media_renditions BEGIN
    UPDATE media SET rendition_list = COALESCE((SELECT group_concat(pair, ',') FROM (SELECT r.width || ' ' || r.format AS pair
        FROM media_renditions r WHERE r.tenant_id = OLD.tenant_id AND r.media_id = OLD.media_id ORDER BY r.width, r.format)), '')
    WHERE tenant_id = OLD.tenant_id AND id = OLD.media_id;
END;
