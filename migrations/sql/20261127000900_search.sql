-- Search text of items: title and summary lower-cased in NFC, followed by
-- the same without diacritics, so searches match whatever the reader typed
-- on both dialects (SQLite's LOWER and LIKE fold ASCII only).
ALTER TABLE posts ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
--bun:split
UPDATE posts SET search_text = LOWER(title || ' ' || summary);
