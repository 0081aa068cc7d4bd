-- Authorization (Casbin RBAC with domains; see platform/authz).
--
-- authz_rules: role → permission, Casbin "p" rows (sub = role, dom, act =
-- permission). Every rule here has domain '*': it holds in whichever domain
-- the role is assigned. The position hierarchy (editor-in-chief ⊃ deputy
-- editor ⊃ secretary ⊃ editor ⊃ contributor) is expanded into explicit rows,
-- so a check never walks a role graph or matches domain patterns.
--
-- authz_assignments: account → role per domain, Casbin "g" rows (sub =
-- account id, role, dom). The domain is a tenant id for board roles, or
-- 'platform' for platform roles.
--
-- Every change bumps platform_state 'policy' in the same transaction; each
-- process polls that counter and reloads when it moves.

CREATE TABLE authz_rules (
    role       TEXT NOT NULL,
    domain     TEXT NOT NULL,
    permission TEXT NOT NULL,
    PRIMARY KEY (role, domain, permission)
);
--bun:split
CREATE TABLE authz_assignments (
    domain     TEXT NOT NULL CHECK (domain <> '' AND domain <> '*'),
    account_id TEXT NOT NULL CHECK (account_id <> ''),
    role       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (domain, account_id, role)
);
--bun:split
CREATE INDEX authz_assignments_account_idx ON authz_assignments (account_id);
--bun:split
-- Contributor (Cộng tác viên): writes, submits, sends to the parent.
INSERT INTO authz_rules (role, domain, permission) VALUES
    ('contributor', '*', 'post:create'),
    ('contributor', '*', 'post:edit-own'),
    ('contributor', '*', 'post:submit'),
    ('contributor', '*', 'post:submit-parent'),
    ('contributor', '*', 'media:upload'),
    ('contributor', '*', 'quota:view-own'),
    ('contributor', '*', 'tenant:view'),
    ('contributor', '*', 'board:view');
--bun:split
-- Editor (Biên tập viên) = contributor + review, edit any item, read the inbox.
INSERT INTO authz_rules (role, domain, permission) VALUES
    ('editor', '*', 'post:create'),
    ('editor', '*', 'post:edit-own'),
    ('editor', '*', 'post:submit'),
    ('editor', '*', 'post:submit-parent'),
    ('editor', '*', 'media:upload'),
    ('editor', '*', 'quota:view-own'),
    ('editor', '*', 'tenant:view'),
    ('editor', '*', 'board:view'),
    ('editor', '*', 'post:review'),
    ('editor', '*', 'post:edit-any'),
    ('editor', '*', 'inbox:view');
--bun:split
-- Secretary (Thư ký) = editor + manage media, read reports.
INSERT INTO authz_rules (role, domain, permission) VALUES
    ('secretary', '*', 'post:create'),
    ('secretary', '*', 'post:edit-own'),
    ('secretary', '*', 'post:submit'),
    ('secretary', '*', 'post:submit-parent'),
    ('secretary', '*', 'media:upload'),
    ('secretary', '*', 'quota:view-own'),
    ('secretary', '*', 'tenant:view'),
    ('secretary', '*', 'board:view'),
    ('secretary', '*', 'post:review'),
    ('secretary', '*', 'post:edit-any'),
    ('secretary', '*', 'inbox:view'),
    ('secretary', '*', 'media:manage'),
    ('secretary', '*', 'report:view');
--bun:split
-- Deputy editor (Phó ban) = secretary + publish, schedule, withdraw, force-publish,
-- decide the inbox, pull, keep the agreement register.
INSERT INTO authz_rules (role, domain, permission) VALUES
    ('deputy-editor', '*', 'post:create'),
    ('deputy-editor', '*', 'post:edit-own'),
    ('deputy-editor', '*', 'post:submit'),
    ('deputy-editor', '*', 'post:submit-parent'),
    ('deputy-editor', '*', 'media:upload'),
    ('deputy-editor', '*', 'quota:view-own'),
    ('deputy-editor', '*', 'tenant:view'),
    ('deputy-editor', '*', 'board:view'),
    ('deputy-editor', '*', 'post:review'),
    ('deputy-editor', '*', 'post:edit-any'),
    ('deputy-editor', '*', 'inbox:view'),
    ('deputy-editor', '*', 'media:manage'),
    ('deputy-editor', '*', 'report:view'),
    ('deputy-editor', '*', 'post:publish'),
    ('deputy-editor', '*', 'post:schedule'),
    ('deputy-editor', '*', 'post:withdraw'),
    ('deputy-editor', '*', 'post:force-publish'),
    ('deputy-editor', '*', 'inbox:decide'),
    ('deputy-editor', '*', 'pull:create'),
    ('deputy-editor', '*', 'agreement:manage');
--bun:split
-- Editor-in-chief (Trưởng ban) = deputy editor + manage the board.
INSERT INTO authz_rules (role, domain, permission) VALUES
    ('editor-in-chief', '*', 'post:create'),
    ('editor-in-chief', '*', 'post:edit-own'),
    ('editor-in-chief', '*', 'post:submit'),
    ('editor-in-chief', '*', 'post:submit-parent'),
    ('editor-in-chief', '*', 'media:upload'),
    ('editor-in-chief', '*', 'quota:view-own'),
    ('editor-in-chief', '*', 'tenant:view'),
    ('editor-in-chief', '*', 'board:view'),
    ('editor-in-chief', '*', 'post:review'),
    ('editor-in-chief', '*', 'post:edit-any'),
    ('editor-in-chief', '*', 'inbox:view'),
    ('editor-in-chief', '*', 'media:manage'),
    ('editor-in-chief', '*', 'report:view'),
    ('editor-in-chief', '*', 'post:publish'),
    ('editor-in-chief', '*', 'post:schedule'),
    ('editor-in-chief', '*', 'post:withdraw'),
    ('editor-in-chief', '*', 'post:force-publish'),
    ('editor-in-chief', '*', 'inbox:decide'),
    ('editor-in-chief', '*', 'pull:create'),
    ('editor-in-chief', '*', 'agreement:manage'),
    ('editor-in-chief', '*', 'board:manage');
--bun:split
-- Site admin: board, settings, media, audit; no writing or publishing.
INSERT INTO authz_rules (role, domain, permission) VALUES
    ('site-admin', '*', 'tenant:view'),
    ('site-admin', '*', 'tenant:settings'),
    ('site-admin', '*', 'board:view'),
    ('site-admin', '*', 'board:manage'),
    ('site-admin', '*', 'audit:view'),
    ('site-admin', '*', 'media:upload'),
    ('site-admin', '*', 'media:manage'),
    ('site-admin', '*', 'quota:view-own'),
    ('site-admin', '*', 'report:view');
--bun:split
-- Office staff (platform): read every tenant, quotas and reports; no item writing.
INSERT INTO authz_rules (role, domain, permission) VALUES
    ('office-staff', '*', 'tenant:view'),
    ('office-staff', '*', 'board:view'),
    ('office-staff', '*', 'inbox:view'),
    ('office-staff', '*', 'quota:view-own'),
    ('office-staff', '*', 'quota:view-all'),
    ('office-staff', '*', 'quota:manage'),
    ('office-staff', '*', 'report:view');
--bun:split
-- Platform admin: every permission.
INSERT INTO authz_rules (role, domain, permission) VALUES
    ('platform-admin', '*', 'post:create'),
    ('platform-admin', '*', 'post:edit-own'),
    ('platform-admin', '*', 'post:edit-any'),
    ('platform-admin', '*', 'post:submit'),
    ('platform-admin', '*', 'post:review'),
    ('platform-admin', '*', 'post:publish'),
    ('platform-admin', '*', 'post:schedule'),
    ('platform-admin', '*', 'post:withdraw'),
    ('platform-admin', '*', 'post:force-publish'),
    ('platform-admin', '*', 'post:submit-parent'),
    ('platform-admin', '*', 'media:upload'),
    ('platform-admin', '*', 'media:manage'),
    ('platform-admin', '*', 'board:view'),
    ('platform-admin', '*', 'board:manage'),
    ('platform-admin', '*', 'tenant:view'),
    ('platform-admin', '*', 'tenant:settings'),
    ('platform-admin', '*', 'inbox:view'),
    ('platform-admin', '*', 'inbox:decide'),
    ('platform-admin', '*', 'pull:create'),
    ('platform-admin', '*', 'agreement:manage'),
    ('platform-admin', '*', 'quota:view-own'),
    ('platform-admin', '*', 'quota:view-all'),
    ('platform-admin', '*', 'quota:manage'),
    ('platform-admin', '*', 'report:view'),
    ('platform-admin', '*', 'audit:view'),
    ('platform-admin', '*', 'audit:view-all'),
    ('platform-admin', '*', 'tenant:onboard'),
    ('platform-admin', '*', 'tenant:manage'),
    ('platform-admin', '*', 'account:manage');
