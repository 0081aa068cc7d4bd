-- The first picture of the tenant's library in an item's body, derived on
-- every write (post.Post.BeforeAppendModel) like search_text: listings take
-- an item's cover from it instead of reading the whole body. '' = the body
-- has no such picture; NULL = not derived yet (a row written before this
-- column and not since), for which readers fall back to the body.
ALTER TABLE posts ADD COLUMN body_picture TEXT;
