-- Page cache (platform/pagecache): every change that can alter a tenant's
-- public pages bumps that tenant's content generation in the same
-- transaction, from a trigger on each table that feeds the pages, so no
-- code path (service, job, CLI, import, a hand-written UPDATE) can forget
-- it. Every replica polls these rows and drops its cached pages of a tenant
-- whose generation moved. The triggers are deferred constraint triggers:
-- the generation row of a tenant is locked only while the transaction
-- commits, not from its first write, so concurrent writers of one tenant do
-- not queue behind each other for their whole transaction. An UPDATE that
-- moves a row to another tenant (a merge) bumps both.
CREATE TABLE content_generations (
    tenant_id  TEXT PRIMARY KEY,
    generation BIGINT NOT NULL
);
--bun:split
CREATE FUNCTION content_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col TEXT := COALESCE(TG_ARGV[0], 'tenant_id');
    old_id TEXT;
    new_id TEXT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_id := to_jsonb(OLD) ->> col;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_id := to_jsonb(NEW) ->> col;
    END IF;
    IF new_id IS NOT NULL THEN
        INSERT INTO content_generations (tenant_id, generation) VALUES (new_id, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET generation = content_generations.generation + 1;
    END IF;
    IF old_id IS NOT NULL AND old_id IS DISTINCT FROM new_id THEN
        INSERT INTO content_generations (tenant_id, generation) VALUES (old_id, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET generation = content_generations.generation + 1;
    END IF;
    RETURN NULL;
END
$$;
--bun:split
CREATE CONSTRAINT TRIGGER tenants_content AFTER INSERT OR UPDATE OR DELETE ON tenants
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch('id');
--bun:split
CREATE CONSTRAINT TRIGGER tenant_domains_content AFTER INSERT OR UPDATE OR DELETE ON tenant_domains
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER sections_content AFTER INSERT OR UPDATE OR DELETE ON sections
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER tenant_settings_content AFTER INSERT OR UPDATE OR DELETE ON tenant_settings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER posts_content AFTER INSERT OR UPDATE OR DELETE ON posts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER post_fields_content AFTER INSERT OR UPDATE OR DELETE ON post_fields
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER post_editions_content AFTER INSERT OR UPDATE OR DELETE ON post_editions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER media_content AFTER INSERT OR UPDATE OR DELETE ON media
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER media_renditions_content AFTER INSERT OR UPDATE OR DELETE ON media_renditions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER board_decisions_content AFTER INSERT OR UPDATE OR DELETE ON board_decisions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER board_members_content AFTER INSERT OR UPDATE OR DELETE ON board_members
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER board_member_sections_content AFTER INSERT OR UPDATE OR DELETE ON board_member_sections
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER board_member_fields_content AFTER INSERT OR UPDATE OR DELETE ON board_member_fields
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER board_history_content AFTER INSERT OR UPDATE OR DELETE ON board_history
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER agreements_content AFTER INSERT OR UPDATE OR DELETE ON agreements
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER tenant_aliases_content AFTER INSERT OR UPDATE OR DELETE ON tenant_aliases
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER tenant_redirects_content AFTER INSERT OR UPDATE OR DELETE ON tenant_redirects
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
