-- Search by a document's number (số, ký hiệu): see the .sqlite.sql twin.
-- A document's search_text ends with a unit separator (chr 31) and its
-- number, lower-cased and with Đ/đ folded to d (LOWER alone depends on the
-- database's locale, and never folds Đ). A BEFORE trigger makes the tail
-- anew whenever search_text is written; a change of a document's number
-- rewrites its item's search_text, which goes through that trigger.
CREATE FUNCTION posts_search_document_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_text := split_part(NEW.search_text, chr(31), 1)
        || COALESCE((SELECT chr(31) || LOWER(REPLACE(d.number, 'Đ', 'đ')) || ' ' || LOWER(REPLACE(REPLACE(d.number, 'Đ', 'd'), 'đ', 'd'))
            FROM post_documents d WHERE d.tenant_id = NEW.tenant_id AND d.post_id = NEW.id AND d.number <> ''), '');
    RETURN NEW;
END
$$;
--bun:split
CREATE TRIGGER posts_search_document_number BEFORE UPDATE OF search_text ON posts
    FOR EACH ROW EXECUTE FUNCTION posts_search_document_number();
--bun:split
CREATE FUNCTION post_documents_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE posts SET search_text = search_text WHERE tenant_id = OLD.tenant_id AND id = OLD.post_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE posts SET search_text = search_text WHERE tenant_id = NEW.tenant_id AND id = NEW.post_id;
    END IF;
    RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER post_documents_search AFTER INSERT OR DELETE OR UPDATE OF tenant_id, post_id, number ON post_documents
    FOR EACH ROW EXECUTE FUNCTION post_documents_search();
--bun:split
-- The documents written before: the posts trigger adds their numbers.
UPDATE posts p SET search_text = search_text
FROM post_documents d WHERE d.tenant_id = p.tenant_id AND d.post_id = p.id;
