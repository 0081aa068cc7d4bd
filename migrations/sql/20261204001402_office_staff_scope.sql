-- Office staff belong to one organisation: 'office-staff' may now be
-- granted on a top-level tenant, where it reaches that organisation's
-- tenants only; on the platform domain it remains the provincial level,
-- which sees every organisation. Before several organisations could exist,
-- platform office staff were the one organisation's office: where there is
-- exactly one top-level tenant, their assignments move to it, so they keep
-- seeing what they saw and never see an organisation added later.
INSERT INTO authz_assignments (domain, account_id, role, created_at)
SELECT t.id, a.account_id, a.role, a.created_at
  FROM authz_assignments AS a
  JOIN tenants AS t ON t.parent_id IS NULL
 WHERE a.domain = 'platform' AND a.role = 'office-staff'
   AND (SELECT COUNT(*) FROM tenants WHERE parent_id IS NULL) = 1;
--bun:split
DELETE FROM authz_assignments
 WHERE domain = 'platform' AND role = 'office-staff'
   AND (SELECT COUNT(*) FROM tenants WHERE parent_id IS NULL) = 1;
--bun:split
UPDATE platform_state SET generation = generation + 1 WHERE name = 'policy';
