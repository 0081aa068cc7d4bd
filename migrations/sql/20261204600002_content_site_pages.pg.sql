-- Page cache: the tables added after 20261204500001_content_generations bump their tenant's content generation too.
CREATE CONSTRAINT TRIGGER site_settings_content AFTER INSERT OR UPDATE OR DELETE ON site_settings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER site_leaders_content AFTER INSERT OR UPDATE OR DELETE ON site_leaders
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
