-- Page cache: see the .pg.sql twin; three triggers per table as in 20261204500001_content_generations.
CREATE TRIGGER site_settings_content_insert AFTER INSERT ON site_settings BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER site_settings_content_update AFTER UPDATE ON site_settings BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER site_settings_content_delete AFTER DELETE ON site_settings BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER site_leaders_content_insert AFTER INSERT ON site_leaders BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER site_leaders_content_update AFTER UPDATE ON site_leaders BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER site_leaders_content_delete AFTER DELETE ON site_leaders BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
