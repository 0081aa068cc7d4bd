-- Documents (issue 12): an item of type 'document' is a legal or
-- administrative text with its metadata (post_documents) and files
-- (post_attachments). The item itself keeps the workflow, revisions and
-- quota rules of every item.
ALTER TABLE posts DROP CONSTRAINT posts_type_check;
--bun:split
ALTER TABLE posts ADD CONSTRAINT posts_type_check CHECK (type IN ('news', 'article', 'in-depth', 'photo', 'video', 'republished', 'document'));
