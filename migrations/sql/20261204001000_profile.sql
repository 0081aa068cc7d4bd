-- The tenant profile that Decree 42/2022 asks every site to show: the
-- governing body, the person responsible for the content, licence, contact,
-- and the English name and description for the /en page. Licence number,
-- licence date, address, phone and e-mail already exist.
ALTER TABLE tenants ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE tenants ADD COLUMN governing_body TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE tenants ADD COLUMN responsible_person TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE tenants ADD COLUMN responsible_title TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE tenants ADD COLUMN fax TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE tenants ADD COLUMN hotline TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE tenants ADD COLUMN address_en TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE tenants ADD COLUMN about_en TEXT NOT NULL DEFAULT '';
