-- A document is found by its number (số, ký hiệu: 125/QĐ-UBND) in the
-- site search and in the document library, typed as printed, without its
-- diacritics (125/QD-UBND), in lower case or in part (SLĐTBXH). Both read
-- posts.search_text only, which the application writes from the title and
-- summary on every write of the item (lower case and folded, see
-- post.BeforeAppendModel); the number lives in post_documents, and the
-- library matched it with LOWER(number), which on SQLite lowers ASCII only
-- and never folds Đ, so no number holding a Đ (QĐ, NĐ, SLĐTBXH) was found.
--
-- A document's search_text now ends with a unit separator (char 31) and its
-- number, lower-cased and with Đ/đ folded to d. Triggers keep that tail, so
-- no path (an edit, a workflow step, an edition's publication, a copy, a
-- merge, an import, a hand-written UPDATE) can leave it behind or stale:
-- whenever search_text is written the tail is cut and made anew from
-- post_documents, and a change of a document's number rewrites it. The
-- folding here is SQL's: Đ/đ and ASCII, which is what numbers are made of
-- (abbreviations are written in capitals without tone marks, Đ aside).
-- Recursive triggers are off (SQLite's default): the UPDATE in the posts
-- trigger does not fire it again.
CREATE TRIGGER posts_search_document_number AFTER UPDATE OF search_text ON posts
WHEN instr(NEW.search_text, char(31)) > 0
    OR EXISTS (SELECT 1 FROM post_documents d WHERE d.tenant_id = NEW.tenant_id AND d.post_id = NEW.id)
BEGIN
    UPDATE posts SET search_text =
        CASE WHEN instr(NEW.search_text, char(31)) > 0
            THEN substr(NEW.search_text, 1, instr(NEW.search_text, char(31)) - 1)
            ELSE NEW.search_text END
        || COALESCE((SELECT char(31) || LOWER(REPLACE(d.number, 'Đ', 'đ')) || ' ' || LOWER(REPLACE(REPLACE(d.number, 'Đ', 'd'), 'đ', 'd'))
            FROM post_documents d WHERE d.tenant_id = NEW.tenant_id AND d.post_id = NEW.id AND d.number <> ''), '')
    WHERE tenant_id = NEW.tenant_id AND id = NEW.id;
END;
--bun:split
CREATE TRIGGER post_documents_search_insert AFTER INSERT ON post_documents BEGIN
    UPDATE posts SET search_text = search_text WHERE tenant_id = NEW.tenant_id AND id = NEW.post_id;
END;
--bun:split
CREATE TRIGGER post_documents_search_update AFTER UPDATE OF tenant_id, post_id, number ON post_documents BEGIN
    UPDATE posts SET search_text = search_text WHERE tenant_id = OLD.tenant_id AND id = OLD.post_id;
    UPDATE posts SET search_text = search_text WHERE tenant_id = NEW.tenant_id AND id = NEW.post_id;
END;
--bun:split
CREATE TRIGGER post_documents_search_delete AFTER DELETE ON post_documents BEGIN
    UPDATE posts SET search_text = search_text WHERE tenant_id = OLD.tenant_id AND id = OLD.post_id;
END;
--bun:split
-- The documents written before: the posts trigger adds their numbers.
UPDATE posts SET search_text = search_text
WHERE EXISTS (SELECT 1 FROM post_documents d WHERE d.tenant_id = posts.tenant_id AND d.post_id = posts.id);
