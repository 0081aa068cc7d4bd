-- The media library: uploaded files (images, documents, videos) and the
-- resized copies of images (renditions). Every key leads with tenant_id.
--
-- A row exists only once its object is stored (upload = write object, then
-- commit the row); objects are keyed by content hash
-- (t/<tenant>/<xx>/<sha256><suffix>), so two rows of one tenant with the
-- same content share one object. Where media are used is not stored: it is
-- read from posts (body containing "/media/<id>" or featured_media_id = id),
-- see tenants/media/usage.go.

CREATE TABLE media (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    id           TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('image', 'document', 'video')),
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    object_key   TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    alt          TEXT NOT NULL DEFAULT '',
    caption      TEXT NOT NULL DEFAULT '',
    credit       TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE INDEX media_tenant_created_idx ON media (tenant_id, created_at);
--bun:split
CREATE INDEX media_tenant_object_idx ON media (tenant_id, object_key);
--bun:split
CREATE INDEX media_tenant_sha_idx ON media (tenant_id, sha256);
--bun:split
CREATE TABLE media_renditions (
    tenant_id  TEXT NOT NULL,
    media_id   TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    format     TEXT NOT NULL,
    object_key TEXT NOT NULL,
    size       BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, media_id, width),
    FOREIGN KEY (tenant_id, media_id) REFERENCES media (tenant_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX media_renditions_tenant_object_idx ON media_renditions (tenant_id, object_key);
