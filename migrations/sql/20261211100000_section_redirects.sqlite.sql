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
-- Page cache: see the .pg.sql twin; three triggers as in 20261204500001_content_generations.
CREATE TRIGGER section_redirects_content_insert AFTER INSERT ON section_redirects BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER section_redirects_content_update AFTER UPDATE ON section_redirects BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER section_redirects_content_delete AFTER DELETE ON section_redirects BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
