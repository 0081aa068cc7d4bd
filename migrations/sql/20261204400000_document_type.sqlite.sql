-- Documents (issue 12): an item of type 'document' is a legal or
-- administrative text with its metadata (post_documents) and files
-- (post_attachments). The item itself keeps the workflow, revisions and
-- quota rules of every item.
--
-- Widening the CHECK of posts.type only relaxes it; as in
-- 20261204001400_lifecycle.sqlite.sql the table's definition is edited in
-- sqlite_schema, RESET reloads this connection's schema, and the CREATE
-- TABLE of the next migration moves the schema cookie for the others.
PRAGMA writable_schema = ON;
--bun:split
UPDATE sqlite_master
   SET sql = replace(sql, 'CHECK (type IN (''news'', ''article'', ''in-depth'', ''photo'', ''video'', ''republished''))',
                          'CHECK (type IN (''news'', ''article'', ''in-depth'', ''photo'', ''video'', ''republished'', ''document''))')
 WHERE type = 'table' AND name = 'posts';
--bun:split
PRAGMA writable_schema = RESET;
