-- A section removed with its items moved to another leaves its address
-- behind: readers and search engines following a link to it are sent on
-- to the section that took its items (301) rather than to a 404. A new
-- section taking the address ends the redirect.
CREATE TABLE section_redirects (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    slug       TEXT NOT NULL,
    section_id TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, slug)
);
--bun:split
-- Page cache: a redirect is a page; it bumps its tenant's content generation (20261204500001_content_generations).
CREATE CONSTRAINT TRIGGER section_redirects_content AFTER INSERT OR UPDATE OR DELETE ON section_redirects
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
