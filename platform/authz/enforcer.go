package authz

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/tenancy"
)

// modelText is Casbin's "RBAC with domains" model with the object folded
// into the action (a permission is one string). The matcher compares the
// permission first, so most rules are rejected by one string comparison
// before the role lookup runs, and it accepts rules written for any domain
// ('*') by plain equality: no domain pattern matching.
const modelText = `
[request_definition]
r = sub, dom, act

[policy_definition]
p = sub, dom, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.act == p.act && (p.dom == "*" || p.dom == r.dom) && g(r.sub, p.sub, r.dom)
`

// maxDecisions bounds the memo of Casbin's decisions; when full it starts
// over empty.
const maxDecisions = 1 << 16

// Enforcer answers authorization questions from an in-memory copy of the
// policy, kept by a Casbin SyncedEnforcer (safe for concurrent use) and
// reloaded when the database's policy generation moves. Casbin's decisions
// are memoised until the next reload: Casbin evaluates its matcher against
// every rule (tens of microseconds per check), a memo hit costs a map
// lookup. It is safe for concurrent use.
type Enforcer struct {
	se      *casbin.SyncedEnforcer
	db      bun.IDB
	log     *slog.Logger
	reload  sync.Mutex   // serialises reloads so an older load never lands after a newer one
	loadedG atomic.Int64 // the policy generation the in-memory copy reflects
	memo    atomic.Pointer[decisions]
	scope   atomic.Pointer[Scope]
}

// Scope is what the enforcer learns from the tenant tree, which changes
// without a policy reload (a tenant moves, is suspended).
type Scope struct {
	// Organisation names the top-level tenant above a tenant (itself at
	// the top): an organisation role held there holds in the tenant.
	Organisation func(tenantID string) string
	// Closed explains why a tenant takes no changes from its board (it is
	// suspended, archived or merged); nil when it does. Require refuses
	// every unsafe request on such a tenant unless the account manages
	// tenants (platform admins, who also lift the state).
	Closed func(tenantID string) error
}

// SetScope installs the tenant tree's answers (tenants/app wires the
// registry); without it organisation roles reach only their own tenant and
// no tenant is closed.
func (e *Enforcer) SetScope(s Scope) { e.scope.Store(&s) }

// decisions memoises Casbin's answers for one loaded policy. A reload
// swaps in a fresh memo only after the new policy is in place, so an
// answer computed from the old policy can only land in the old memo.
type decisions struct {
	mu sync.RWMutex
	m  map[decisionKey]bool
}

type decisionKey struct{ sub, dom, act string }

func newDecisions() *decisions { return &decisions{m: make(map[decisionKey]bool)} }

// New loads the policy from db and returns an enforcer. Call Run to follow
// changes made by other processes.
func New(ctx context.Context, db *bun.DB, log *slog.Logger) (*Enforcer, error) {
	if log == nil {
		log = slog.Default()
	}
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("authz model: %w", err)
	}
	se, err := casbin.NewSyncedEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("authz enforcer: %w", err)
	}
	se.SetAdapter(NewAdapter(db))
	// Policy is only ever changed through the database (Grant, Revoke, the
	// migration's rules), never through Casbin's management API.
	se.EnableAutoSave(false)
	e := &Enforcer{se: se, db: db, log: log}
	e.loadedG.Store(-1)
	e.memo.Store(newDecisions())
	if err := e.Reload(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// Reload reads the whole policy from the database and swaps it in. Checks
// running meanwhile see the old policy or the new one, never a mix. ctx
// bounds the generation read; Casbin's load takes no context, so the rows
// are read under the adapter's own 30-second deadline.
func (e *Enforcer) Reload(ctx context.Context) error {
	e.reload.Lock()
	defer e.reload.Unlock()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("reload authz policy: %w", err)
	}
	// The generation is read before the rows: a change committing in
	// between is then loaded now and loaded again on the next poll, never
	// missed.
	gen, err := tenancy.Generation(ctx, e.db, GenerationPolicy)
	if err != nil {
		return fmt.Errorf("reload authz policy: %w", err)
	}
	if err := e.se.LoadPolicy(); err != nil {
		return fmt.Errorf("reload authz policy: %w", err)
	}
	e.memo.Store(newDecisions())
	e.loadedG.Store(gen)
	return nil
}

// Refresh reloads the policy if its generation moved since the last load:
// one primary-key read when nothing changed.
func (e *Enforcer) Refresh(ctx context.Context) error {
	gen, err := tenancy.Generation(ctx, e.db, GenerationPolicy)
	if err != nil {
		return fmt.Errorf("refresh authz policy: %w", err)
	}
	if gen == e.loadedG.Load() {
		return nil
	}
	return e.Reload(ctx)
}

// Run is the watcher: it calls Refresh every interval until ctx ends, so a
// grant or revocation committed by any process on the same database takes
// effect here within one interval (use 500ms or less for "within a
// second"). Errors are logged and the last loaded policy keeps serving.
func (e *Enforcer) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := e.Refresh(ctx); err != nil && ctx.Err() == nil {
				e.log.Warn("refresh authorization policy", "err", err)
			}
		}
	}
}

// Generation is the policy generation the in-memory policy reflects.
func (e *Enforcer) Generation() int64 { return e.loadedG.Load() }

// Allowed reports whether the account may do p in the tenant: it holds a
// role there whose rules grant p, or a platform role whose rules grant p
// (platform roles hold in every tenant). For a platform-wide action pass
// PlatformDomain as tenantID. The markers Public and Authenticated are not
// permissions and are never Allowed; Require handles them.
func (e *Enforcer) Allowed(accountID, tenantID string, p Permission) bool {
	if accountID == "" || tenantID == "" || tenantID == anyDomain || p == "" || p.Marker() {
		return false
	}
	if tenantID != PlatformDomain && (e.enforce(accountID, tenantID, p) || e.viaOrganisation(accountID, tenantID, p)) {
		return true
	}
	return e.enforce(accountID, PlatformDomain, p)
}

// organisation is the top-level tenant above tenantID when it is another
// tenant, else "".
func (e *Enforcer) organisation(tenantID string) string {
	sc := e.scope.Load()
	if sc == nil || sc.Organisation == nil || tenantID == PlatformDomain {
		return ""
	}
	if org := sc.Organisation(tenantID); org != tenantID {
		return org
	}
	return ""
}

// viaOrganisation reports whether an organisation role the account holds
// on the organisation above tenantID grants p: only the organisation
// roles reach down, never a board role held on the organisation itself.
func (e *Enforcer) viaOrganisation(accountID, tenantID string, p Permission) bool {
	org := e.organisation(tenantID)
	if org == "" || !e.holdsOrganisationRole(accountID, org) {
		return false
	}
	return e.roleAllows(RoleOfficeStaff, org, p)
}

// holdsOrganisationRole reports whether the account holds an organisation
// role in org's domain.
func (e *Enforcer) holdsOrganisationRole(accountID, org string) bool {
	for _, r := range e.se.GetRolesForUserInDomain(accountID, org) {
		if IsOrganisationRole(r) {
			return true
		}
	}
	return false
}

// roleAllows asks Casbin whether role itself, in domain, holds p (a role
// always links to itself), through the memo.
func (e *Enforcer) roleAllows(role, domain string, p Permission) bool {
	return e.enforce(role, domain, p)
}

// enforce asks Casbin, through the memo of the current policy.
func (e *Enforcer) enforce(accountID, domain string, p Permission) bool {
	d := e.memo.Load()
	k := decisionKey{sub: accountID, dom: domain, act: string(p)}
	if ok, hit := d.get(k); hit {
		return ok
	}
	ok, err := e.se.Enforce(accountID, domain, string(p))
	if err != nil {
		e.log.Error("authorization check failed", "account", accountID, "domain", domain, "permission", string(p), "err", err)
		return false
	}
	d.put(k, ok)
	return ok
}

// memberAct keys membership answers in the memo; no permission contains a NUL.
const memberAct = "\x00member"

func (d *decisions) get(k decisionKey) (ok, hit bool) {
	d.mu.RLock()
	ok, hit = d.m[k]
	d.mu.RUnlock()
	return ok, hit
}

// put stores a decision. The key's strings are copied: callers may pass
// strings that alias a request buffer fasthttp reuses (c.Params, c.Get
// without Immutable), which must not become long-lived map keys.
func (d *decisions) put(k decisionKey, ok bool) {
	k = decisionKey{sub: strings.Clone(k.sub), dom: strings.Clone(k.dom), act: strings.Clone(k.act)}
	d.mu.Lock()
	if len(d.m) >= maxDecisions {
		clear(d.m)
	}
	d.m[k] = ok
	d.mu.Unlock()
}

// Member reports whether the account may see the tenant at all: it holds a
// role there, or a platform role granting TenantView. Callers answer 404
// rather than 403 to a non-member, so a tenant's existence is never
// revealed. Member(account, PlatformDomain) reports any platform role.
func (e *Enforcer) Member(accountID, tenantID string) bool {
	if accountID == "" || tenantID == "" || tenantID == anyDomain {
		return false
	}
	d := e.memo.Load()
	k := decisionKey{sub: accountID, dom: tenantID, act: memberAct}
	if ok, hit := d.get(k); hit {
		return ok
	}
	ok := len(e.se.GetRolesForUserInDomain(accountID, tenantID)) > 0 ||
		tenantID != PlatformDomain && e.enforce(accountID, PlatformDomain, TenantView)
	d.put(k, ok)
	if !ok {
		// Not memoised under the tenant: the tenant may move to another
		// organisation without a policy reload.
		org := e.organisation(tenantID)
		ok = org != "" && e.holdsOrganisationRole(accountID, org)
	}
	return ok
}

// OrganisationsOf lists the organisations (top-level tenant ids) where the
// account holds an organisation role, sorted.
func (e *Enforcer) OrganisationsOf(accountID string) []string {
	var out []string
	for dom, roles := range e.Assignments(accountID) {
		if dom == PlatformDomain {
			continue
		}
		for _, r := range roles {
			if IsOrganisationRole(r) {
				out = append(out, dom)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// Roles returns the account's roles in domain (a tenant id or
// PlatformDomain), sorted.
func (e *Enforcer) Roles(accountID, domain string) []string {
	if accountID == "" || domain == "" {
		return nil
	}
	roles := e.se.GetRolesForUserInDomain(accountID, domain)
	out := append([]string(nil), roles...)
	sort.Strings(out)
	return out
}

// Assignments returns every role the account holds, by domain (tenant id or
// PlatformDomain), roles sorted.
func (e *Enforcer) Assignments(accountID string) map[string][]string {
	out := map[string][]string{}
	if accountID == "" {
		return out
	}
	rows, err := e.se.GetFilteredGroupingPolicy(0, accountID)
	if err != nil {
		e.log.Error("list role assignments", "account", accountID, "err", err)
		return out
	}
	for _, r := range rows {
		out[r[2]] = append(out[r[2]], r[1])
	}
	for _, roles := range out {
		sort.Strings(roles)
	}
	return out
}

// Members returns every account holding a role in domain (a tenant id or
// PlatformDomain) with its roles, sorted. Platform roles reaching into a
// tenant are not listed under it.
func (e *Enforcer) Members(domain string) map[string][]string {
	out := map[string][]string{}
	if domain == "" {
		return out
	}
	rows, err := e.se.GetFilteredGroupingPolicy(2, domain)
	if err != nil {
		e.log.Error("list domain members", "domain", domain, "err", err)
		return out
	}
	for _, r := range rows {
		out[r[0]] = append(out[r[0]], r[1])
	}
	for _, roles := range out {
		sort.Strings(roles)
	}
	return out
}

// Grant gives the account role in domain (a tenant id for board roles,
// PlatformDomain for platform roles), writing through idb, which may be the
// caller's transaction; the policy generation is bumped in the same
// transaction. Granting a role already held is not an error. The in-memory
// policy is not touched: after the transaction commits, call Reload (or let
// Run pick the change up). A bad role, a platform role on a tenant, a board
// role off a tenant or an unknown tenant is errs.Invalid.
func (e *Enforcer) Grant(ctx context.Context, idb bun.IDB, accountID, domain, role string) error {
	return GrantRole(ctx, idb, accountID, domain, role)
}

// GrantRole writes a role assignment without an Enforcer at hand (the
// command line); running processes pick it up through the policy counter.
func GrantRole(ctx context.Context, idb bun.IDB, accountID, domain, role string) error {
	if err := validateAssignment(ctx, idb, accountID, domain, role, true); err != nil {
		return err
	}
	if err := writePolicy(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		return addRule(ctx, tx, "g", "g", []string{accountID, role, domain})
	}); err != nil {
		return fmt.Errorf("grant %s on %s: %w", role, domain, err)
	}
	return nil
}

// Revoke takes role in domain away from the account, like Grant in reverse:
// written through idb with the generation bumped and validated the same way
// (except that the tenant need no longer exist). Revoking a role not held
// is not an error.
func (e *Enforcer) Revoke(ctx context.Context, idb bun.IDB, accountID, domain, role string) error {
	return RevokeRole(ctx, idb, accountID, domain, role)
}

// RevokeRole is GrantRole in reverse.
func RevokeRole(ctx context.Context, idb bun.IDB, accountID, domain, role string) error {
	if err := validateAssignment(ctx, idb, accountID, domain, role, false); err != nil {
		return err
	}
	if err := writePolicy(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		return removeRules(ctx, tx, "g", "g", 0, accountID, role, domain)
	}); err != nil {
		return fmt.Errorf("revoke %s on %s: %w", role, domain, err)
	}
	return nil
}
