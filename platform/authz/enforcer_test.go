package authz

import (
	"context"
	"reflect"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
)

// expectedRules is the role matrix the migration must seed, written out
// independently of it.
func expectedRules() map[string][]Permission {
	contributor := []Permission{PostCreate, PostEditOwn, PostSubmit, PostSubmitParent, MediaUpload, QuotaViewOwn, TenantView, BoardView}
	editor := append(append([]Permission(nil), contributor...), PostReview, PostEditAny, InboxView)
	secretary := append(append([]Permission(nil), editor...), MediaManage, ReportView)
	deputy := append(append([]Permission(nil), secretary...), PostPublish, PostSchedule, PostWithdraw, PostForcePublish, InboxDecide, PullCreate, AgreementManage)
	chief := append(append([]Permission(nil), deputy...), BoardManage)
	return map[string][]Permission{
		RoleContributor:   contributor,
		RoleEditor:        editor,
		RoleSecretary:     secretary,
		RoleDeputyEditor:  deputy,
		RoleEditorInChief: chief,
		RoleSiteAdmin:     {TenantView, TenantSettings, BoardView, BoardManage, AuditView, MediaUpload, MediaManage, QuotaViewOwn, ReportView},
		RoleOfficeStaff:   {TenantView, BoardView, InboxView, QuotaViewOwn, QuotaViewAll, QuotaManage, ReportView},
		RolePlatformAdmin: All(),
	}
}

func TestSeededRules(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	var rows []ruleRow
	if err := bdb.NewSelect().Model(&rows).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range rows {
		if r.Domain != anyDomain {
			t.Errorf("rule %v: domain %q, want *", r, r.Domain)
		}
		if !Permission(r.Permission).Valid() {
			t.Errorf("rule %v: permission not declared in permissions.go", r)
		}
		if !IsBoardRole(r.Role) && !IsPlatformRole(r.Role) {
			t.Errorf("rule %v: unknown role", r)
		}
		got[r.Role] = append(got[r.Role], r.Permission)
	}
	for role, perms := range expectedRules() {
		want := make([]string, len(perms))
		for i, p := range perms {
			want[i] = string(p)
		}
		sort.Strings(want)
		sort.Strings(got[role])
		if !reflect.DeepEqual(got[role], want) {
			t.Errorf("%s:\n got  %v\n want %v", role, got[role], want)
		}
	}
	// The positions nest.
	chain := []string{RoleEditorInChief, RoleDeputyEditor, RoleSecretary, RoleEditor, RoleContributor}
	for i := 0; i+1 < len(chain); i++ {
		higher := map[string]bool{}
		for _, p := range got[chain[i]] {
			higher[p] = true
		}
		for _, p := range got[chain[i+1]] {
			if !higher[p] {
				t.Errorf("%s lacks %s held by %s", chain[i], p, chain[i+1])
			}
		}
	}
}

func TestPermissionsAndRoles(t *testing.T) {
	seen := map[Permission]bool{}
	for _, p := range All() {
		if seen[p] || !p.Valid() || p.Marker() {
			t.Errorf("permission %q duplicated or invalid", p)
		}
		seen[p] = true
	}
	if Public.Valid() || Authenticated.Valid() || !Public.Marker() {
		t.Error("markers must not be permissions")
	}
	for _, r := range BoardRoles() {
		if !IsBoardRole(r) || IsPlatformRole(r) || RoleLabel(r) == r {
			t.Errorf("board role %q", r)
		}
	}
	for _, r := range PlatformRoles() {
		if !IsPlatformRole(r) || IsBoardRole(r) || RoleLabel(r) == r {
			t.Errorf("platform role %q", r)
		}
	}
}

func TestHierarchyAndIsolation(t *testing.T) {
	bdb := dbtest.New(t)
	e := newEnforcer(t, bdb)
	a, b := newTenant(t, bdb, "a"), newTenant(t, bdb, "b")
	chief, contributor, editor, admin, office, root := db.NewID(), db.NewID(), db.NewID(), db.NewID(), db.NewID(), db.NewID()
	grant(t, e, bdb, chief, a, RoleEditorInChief)
	grant(t, e, bdb, contributor, a, RoleContributor)
	grant(t, e, bdb, editor, a, RoleEditor)
	grant(t, e, bdb, admin, a, RoleSiteAdmin)
	grant(t, e, bdb, office, PlatformDomain, RoleOfficeStaff)
	grant(t, e, bdb, root, PlatformDomain, RolePlatformAdmin)

	t.Run("editor-in-chief can do all a contributor can", func(t *testing.T) {
		for _, p := range expectedRules()[RoleContributor] {
			if !e.Allowed(chief, a, p) {
				t.Errorf("chief lacks %s", p)
			}
		}
		if !e.Allowed(chief, a, PostPublish) || !e.Allowed(chief, a, BoardManage) {
			t.Error("chief cannot publish or manage the board")
		}
	})
	t.Run("contributor cannot publish", func(t *testing.T) {
		if !e.Allowed(contributor, a, PostCreate) {
			t.Error("contributor cannot create")
		}
		for _, p := range []Permission{PostPublish, PostReview, PostForcePublish, InboxDecide, BoardManage} {
			if e.Allowed(contributor, a, p) {
				t.Errorf("contributor may %s", p)
			}
		}
	})
	t.Run("site-admin without a position cannot publish", func(t *testing.T) {
		for _, p := range []Permission{BoardManage, TenantSettings, AuditView, MediaManage, TenantView} {
			if !e.Allowed(admin, a, p) {
				t.Errorf("site-admin lacks %s", p)
			}
		}
		for _, p := range []Permission{PostPublish, PostCreate, PostReview, InboxDecide} {
			if e.Allowed(admin, a, p) {
				t.Errorf("site-admin may %s", p)
			}
		}
		grant(t, e, bdb, admin, a, RoleDeputyEditor)
		if !e.Allowed(admin, a, PostPublish) {
			t.Error("site-admin and deputy cannot publish")
		}
	})
	t.Run("cross-tenant", func(t *testing.T) {
		for _, p := range All() {
			if e.Allowed(editor, b, p) || e.Allowed(chief, b, p) {
				t.Errorf("a's board holds %s in b", p)
			}
			if e.Allowed(chief, PlatformDomain, p) {
				t.Errorf("a's chief holds %s platform-wide", p)
			}
		}
		if e.Member(editor, b) || e.Member(chief, b) || !e.Member(editor, a) {
			t.Error("membership leaks across tenants")
		}
		if e.Member(editor, PlatformDomain) {
			t.Error("board member is a platform member")
		}
	})
	t.Run("office-staff", func(t *testing.T) {
		for _, tenant := range []string{a, b, PlatformDomain} {
			for _, p := range []Permission{QuotaViewAll, QuotaViewOwn, QuotaManage, ReportView, TenantView, BoardView, InboxView} {
				if !e.Allowed(office, tenant, p) {
					t.Errorf("office-staff lacks %s in %s", p, tenant)
				}
			}
			for _, p := range []Permission{PostCreate, PostEditAny, PostPublish, PostReview, InboxDecide, BoardManage, TenantSettings, TenantOnboard, AccountManage} {
				if e.Allowed(office, tenant, p) {
					t.Errorf("office-staff may %s in %s", p, tenant)
				}
			}
			if !e.Member(office, tenant) {
				t.Errorf("office-staff not a member of %s", tenant)
			}
		}
	})
	t.Run("platform-admin holds everything everywhere", func(t *testing.T) {
		for _, tenant := range []string{a, b, PlatformDomain} {
			for _, p := range All() {
				if !e.Allowed(root, tenant, p) {
					t.Errorf("platform-admin lacks %s in %s", p, tenant)
				}
			}
		}
	})
	t.Run("nonsense is refused", func(t *testing.T) {
		for _, c := range []struct{ acc, tenant string }{{"", a}, {chief, ""}, {chief, "*"}, {root, "*"}} {
			if e.Allowed(c.acc, c.tenant, PostCreate) || e.Member(c.acc, c.tenant) {
				t.Errorf("allowed %q in %q", c.acc, c.tenant)
			}
		}
		if e.Allowed(root, a, Public) || e.Allowed(root, a, Permission("post:*")) {
			t.Error("markers or patterns allowed")
		}
	})
	t.Run("listing", func(t *testing.T) {
		if got := e.Roles(admin, a); !reflect.DeepEqual(got, []string{RoleDeputyEditor, RoleSiteAdmin}) {
			t.Errorf("roles = %v", got)
		}
		if got := e.Roles(admin, b); len(got) != 0 {
			t.Errorf("roles in b = %v", got)
		}
		grant(t, e, bdb, editor, b, RoleContributor)
		want := map[string][]string{a: {RoleEditor}, b: {RoleContributor}}
		if got := e.Assignments(editor); !reflect.DeepEqual(got, want) {
			t.Errorf("assignments = %v, want %v", got, want)
		}
		wantMembers := map[string][]string{
			chief: {RoleEditorInChief}, contributor: {RoleContributor}, editor: {RoleEditor},
			admin: {RoleDeputyEditor, RoleSiteAdmin},
		}
		if got := e.Members(a); !reflect.DeepEqual(got, wantMembers) {
			t.Errorf("members = %v, want %v", got, wantMembers)
		}
		if got := e.Members(PlatformDomain); !reflect.DeepEqual(got, map[string][]string{office: {RoleOfficeStaff}, root: {RolePlatformAdmin}}) {
			t.Errorf("platform members = %v", got)
		}
	})
}

func TestGrantValidation(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	e := newEnforcer(t, bdb)
	a := newTenant(t, bdb, "a")
	unit := newTenant(t, bdb, "unit")
	if _, err := bdb.NewUpdate().Table("tenants").Set("parent_id = ?", a).Where("id = ?", unit).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	acc := db.NewID()
	cases := []struct {
		name, acc, domain, role, code string
	}{
		{"organisation role below the top", acc, unit, RoleOfficeStaff, "not_organisation"},
		{"organisation role on an unknown tenant", acc, db.NewID(), RoleOfficeStaff, "unknown_tenant"},
		{"platform-admin on a tenant", acc, a, RolePlatformAdmin, "platform_role_on_tenant"},
		{"board role on the platform", acc, PlatformDomain, RoleEditor, "board_role_on_platform"},
		{"board role on any domain", acc, "*", RoleEditor, "board_role_on_platform"},
		{"unknown role", acc, a, "owner", "unknown_role"},
		{"unknown tenant", acc, db.NewID(), RoleEditor, "unknown_tenant"},
		{"no account", "", a, RoleEditor, "account_required"},
	}
	for _, c := range cases {
		err := e.Grant(ctx, bdb, c.acc, c.domain, c.role)
		if e := errs.As(err); e == nil || e.Kind != errs.KindInvalid || e.Code != c.code || e.Message == "" {
			t.Errorf("%s: err = %v, want invalid %s", c.name, err, c.code)
		}
	}
	if err := e.Revoke(ctx, bdb, acc, a, RolePlatformAdmin); !errs.Is(err, errs.KindInvalid) {
		t.Errorf("revoke platform role on a tenant: %v", err)
	}
	if err := e.Grant(ctx, bdb, acc, a, RoleOfficeStaff); err != nil {
		t.Errorf("office staff of an organisation (top-level tenant): %v", err)
	}
	if err := e.Revoke(ctx, bdb, acc, a, RoleEditor); err != nil {
		t.Errorf("revoking a role not held: %v", err)
	}
	// A grant in a transaction that creates the tenant, then rolls back,
	// leaves nothing behind; the same committed counts after Reload.
	for _, commit := range []bool{false, true} {
		var tenant string
		err := db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
			tenant = newTenant(t, tx, "tx")
			if err := e.Grant(ctx, tx, acc, tenant, RoleEditor); err != nil {
				return err
			}
			if !commit {
				return errs.Conflict("rollback", "rollback")
			}
			return nil
		})
		if commit != (err == nil) {
			t.Fatalf("commit=%v: %v", commit, err)
		}
		if e.Allowed(acc, tenant, PostReview) {
			t.Fatalf("commit=%v: allowed before reload", commit)
		}
		if err := e.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if got := e.Allowed(acc, tenant, PostReview); got != commit {
			t.Errorf("commit=%v: allowed after reload = %v", commit, got)
		}
	}
}

// TestRevocationReachesSecondProcess: a second enforcer on its own
// connection pool, following the database with Run, sees a grant and a
// revocation within a second.
func TestRevocationReachesSecondProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bdb, opts := dbtest.NewWithOptions(t)
	other, err := db.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	first := newEnforcer(t, bdb)
	second := newEnforcer(t, other)
	done := make(chan struct{})
	go func() { defer close(done); second.Run(ctx, 100*time.Millisecond) }()
	t.Cleanup(func() { cancel(); <-done })

	a := newTenant(t, bdb, "a")
	acc := db.NewID()
	within := func(what string, want bool) {
		t.Helper()
		start := time.Now()
		for time.Since(start) < time.Second {
			if second.Allowed(acc, a, PostPublish) == want {
				t.Logf("%s seen by the second process after %v", what, time.Since(start).Round(time.Millisecond))
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("%s not seen by the second process within a second", what)
	}
	if err := first.Grant(ctx, bdb, acc, a, RoleEditorInChief); err != nil {
		t.Fatal(err)
	}
	within("grant", true)
	if err := first.Revoke(ctx, bdb, acc, a, RoleEditorInChief); err != nil {
		t.Fatal(err)
	}
	within("revocation", false)
	if second.Member(acc, a) {
		t.Error("still a member after revocation")
	}
}

// TestConcurrentReload runs checks while the policy is reloaded over and
// over (run with -race): a role nobody touches is never denied, and the
// changing one ends as the last write left it.
func TestConcurrentReload(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	e := newEnforcer(t, bdb)
	a := newTenant(t, bdb, "a")
	stable, flipping := db.NewID(), db.NewID()
	grant(t, e, bdb, stable, a, RoleEditor)

	stop := make(chan struct{})
	var wrong atomic.Int64
	var checks atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if !e.Allowed(stable, a, PostReview) || !e.Member(stable, a) || e.Allowed(stable, a, PostPublish) {
					wrong.Add(1)
				}
				_ = e.Allowed(flipping, a, PostPublish)
				_ = e.Roles(flipping, a)
				_ = e.Assignments(stable)
				checks.Add(1)
			}
		})
	}
	for i := range 20 {
		var err error
		if i%2 == 0 {
			err = e.Grant(ctx, bdb, flipping, a, RoleDeputyEditor)
		} else {
			err = e.Revoke(ctx, bdb, flipping, a, RoleDeputyEditor)
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		// Run's path too, from another goroutine.
		wg.Go(func() {
			if err := e.Refresh(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	close(stop)
	wg.Wait()
	if n := wrong.Load(); n > 0 {
		t.Errorf("%d of %d checks answered wrongly during reloads", n, checks.Load())
	}
	if e.Allowed(flipping, a, PostPublish) {
		t.Error("last revocation not in effect")
	}
	t.Logf("%d checks during 20 reloads", checks.Load())
}

func TestDecisionMemoIsBounded(t *testing.T) {
	d := newDecisions()
	for i := range maxDecisions + 10 {
		d.put(decisionKey{sub: strconv.Itoa(i), dom: "t", act: "a"}, true)
	}
	if n := len(d.m); n > maxDecisions {
		t.Errorf("memo holds %d decisions, bound %d", n, maxDecisions)
	}
}
