-- Page cache (platform/pagecache): see the .pg.sql twin. SQLite has no
-- generic trigger functions, so each table has three triggers (insert,
-- update, delete); SQLite runs one writer at a time, so locking is moot.
CREATE TABLE content_generations (
    tenant_id  TEXT PRIMARY KEY,
    generation BIGINT NOT NULL
);
--bun:split
CREATE TRIGGER tenants_content_insert AFTER INSERT ON tenants BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.id, 1 WHERE NEW.id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenants_content_update AFTER UPDATE ON tenants BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.id, 1 WHERE NEW.id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.id, 1 WHERE OLD.id IS NOT NULL AND OLD.id IS NOT NEW.id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenants_content_delete AFTER DELETE ON tenants BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.id, 1 WHERE OLD.id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_domains_content_insert AFTER INSERT ON tenant_domains BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_domains_content_update AFTER UPDATE ON tenant_domains BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_domains_content_delete AFTER DELETE ON tenant_domains BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER sections_content_insert AFTER INSERT ON sections BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER sections_content_update AFTER UPDATE ON sections BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER sections_content_delete AFTER DELETE ON sections BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_settings_content_insert AFTER INSERT ON tenant_settings BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_settings_content_update AFTER UPDATE ON tenant_settings BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_settings_content_delete AFTER DELETE ON tenant_settings BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER posts_content_insert AFTER INSERT ON posts BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER posts_content_update AFTER UPDATE ON posts BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER posts_content_delete AFTER DELETE ON posts BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_fields_content_insert AFTER INSERT ON post_fields BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_fields_content_update AFTER UPDATE ON post_fields BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_fields_content_delete AFTER DELETE ON post_fields BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_editions_content_insert AFTER INSERT ON post_editions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_editions_content_update AFTER UPDATE ON post_editions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER post_editions_content_delete AFTER DELETE ON post_editions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER media_content_insert AFTER INSERT ON media BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER media_content_update AFTER UPDATE ON media BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER media_content_delete AFTER DELETE ON media BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER media_renditions_content_insert AFTER INSERT ON media_renditions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER media_renditions_content_update AFTER UPDATE ON media_renditions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER media_renditions_content_delete AFTER DELETE ON media_renditions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_decisions_content_insert AFTER INSERT ON board_decisions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_decisions_content_update AFTER UPDATE ON board_decisions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_decisions_content_delete AFTER DELETE ON board_decisions BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_members_content_insert AFTER INSERT ON board_members BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_members_content_update AFTER UPDATE ON board_members BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_members_content_delete AFTER DELETE ON board_members BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_member_sections_content_insert AFTER INSERT ON board_member_sections BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_member_sections_content_update AFTER UPDATE ON board_member_sections BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_member_sections_content_delete AFTER DELETE ON board_member_sections BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_member_fields_content_insert AFTER INSERT ON board_member_fields BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_member_fields_content_update AFTER UPDATE ON board_member_fields BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_member_fields_content_delete AFTER DELETE ON board_member_fields BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_history_content_insert AFTER INSERT ON board_history BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_history_content_update AFTER UPDATE ON board_history BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER board_history_content_delete AFTER DELETE ON board_history BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER agreements_content_insert AFTER INSERT ON agreements BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER agreements_content_update AFTER UPDATE ON agreements BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER agreements_content_delete AFTER DELETE ON agreements BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_aliases_content_insert AFTER INSERT ON tenant_aliases BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_aliases_content_update AFTER UPDATE ON tenant_aliases BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_aliases_content_delete AFTER DELETE ON tenant_aliases BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_redirects_content_insert AFTER INSERT ON tenant_redirects BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_redirects_content_update AFTER UPDATE ON tenant_redirects BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT NEW.tenant_id, 1 WHERE NEW.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL AND OLD.tenant_id IS NOT NEW.tenant_id
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
--bun:split
CREATE TRIGGER tenant_redirects_content_delete AFTER DELETE ON tenant_redirects BEGIN
    INSERT INTO content_generations (tenant_id, generation) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NULL
        ON CONFLICT (tenant_id) DO UPDATE SET generation = generation + 1;
END;
