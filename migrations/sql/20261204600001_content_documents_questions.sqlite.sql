-- Page cache: see the .pg.sql twin; three triggers per table as in 20261204500001_content_generations.
CREATE TRIGGER post_documents_content_insert AFTER INSERT ON post_documents BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_documents_content_update AFTER UPDATE ON post_documents BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_documents_content_delete AFTER DELETE ON post_documents BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_attachments_content_insert AFTER INSERT ON post_attachments BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_attachments_content_update AFTER UPDATE ON post_attachments BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_attachments_content_delete AFTER DELETE ON post_attachments BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER questions_content_insert AFTER INSERT ON questions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER questions_content_update AFTER UPDATE ON questions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER questions_content_delete AFTER DELETE ON questions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
