-- Page cache: the tables added after 20261204500001_content_generations bump their tenant's content generation too.
CREATE CONSTRAINT TRIGGER post_documents_content AFTER INSERT OR UPDATE OR DELETE ON post_documents
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER post_attachments_content AFTER INSERT OR UPDATE OR DELETE ON post_attachments
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
--bun:split
CREATE CONSTRAINT TRIGGER questions_content AFTER INSERT OR UPDATE OR DELETE ON questions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_touch();
