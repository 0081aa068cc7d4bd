// Package authz decides who may do what, in which tenant: Casbin RBAC with
// domains, where a domain is a tenant id, or PlatformDomain ("platform")
// for the platform roles.
//
// # Policy
//
// Permissions are the constants of permissions.go; roles are the constants
// of roles.go. Which role holds which permission is data: the authz_rules
// table (Casbin "p" rows: role, domain "*", permission), seeded by the
// migration 20261127000100_authz.sql, where the position hierarchy
// editor-in-chief ⊃ deputy-editor ⊃ secretary ⊃ editor ⊃ contributor is
// expanded into explicit rows. Who holds which role is the
// authz_assignments table (Casbin "g" rows: account, role, domain), written
// by Enforcer.Grant and Enforcer.Revoke inside the caller's transaction.
// Adapter is the Casbin persist.Adapter over both tables.
//
// A platform role's permissions hold in every tenant: Allowed checks the
// tenant's domain, then PlatformDomain. Casbin decides whether an account
// may act; the tenant_id in every query decides which rows exist. Both,
// always.
//
// # Reloading across processes
//
// Every policy write bumps the 'policy' row of platform_state in the same
// transaction. Enforcer.Run polls that counter (one primary-key read per
// interval) and reloads the whole policy when it moved, so a grant or a
// revocation made by any process on the same database takes effect
// everywhere within one interval. The process that wrote calls Reload after
// its commit to see the change at once. Checks keep running during a reload
// against the previous policy (Casbin's SyncedEnforcer).
//
// # Routes declare their permission
//
// Every console and API route carries, in its own handler list and before
// its handler, exactly one of:
//
//	az.Require(authz.PostCreate, bySlug) // a permission in the tenant named by the request
//	az.Require(authz.TenantOnboard, nil) // a platform-wide permission
//	authz.RequireAuthenticated()         // any signed-in account (/api/v1/me, the dashboard)
//	authz.RequireSession()               // a console session, not an API token (/tai-khoan)
//	authz.RequirePublic()                // anyone (/login, static files)
//
// The handler both declares and enforces. CheckRoutes recognises these
// handlers by their code pointer, so a route-table test needs no naming
// convention:
//
//	if missing := authz.CheckRoutes(admin.GetRoutes(true)); len(missing) > 0 {
//		t.Errorf("routes without a declared permission: %v", missing)
//	}
//
// Guards installed with Use on a group or app are deliberately not counted:
// the permission sits next to each route, where a reviewer sees it.
package authz
