package authz

import (
	"context"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
)

// benchPolicy fills a database like the demo (21 tenants, ~60 board
// accounts, an office staff account and a platform admin) plus 1,000 more
// tenants with three members each, and returns a loaded enforcer.
type benchPolicy struct {
	e                            *Enforcer
	demo, extra                  []string // tenant ids
	chief, contributor, stranger string   // accounts of demo[0]; stranger holds nothing
	farEditor                    string   // editor of extra[999]
	office, admin                string
	assignments                  int
}

func newBenchPolicy(b *testing.B) *benchPolicy {
	b.Helper()
	ctx := context.Background()
	bdb := dbtest.New(b)
	p := &benchPolicy{
		demo:  newTenants(b, bdb, "demo", 21),
		extra: newTenants(b, bdb, "extra", 1000),
	}
	now := time.Now().UTC()
	var rows []assignmentRow
	add := func(acc, domain, role string) {
		rows = append(rows, assignmentRow{Domain: domain, AccountID: acc, Role: role, CreatedAt: now})
	}
	demoRoles := []string{RoleEditorInChief, RoleEditor, RoleContributor}
	for i, t := range p.demo {
		for _, r := range demoRoles {
			acc := db.NewID()
			add(acc, t, r)
			if i == 0 && r == RoleEditorInChief {
				p.chief = acc
				add(acc, t, RoleSiteAdmin)
			}
			if i == 0 && r == RoleContributor {
				p.contributor = acc
			}
		}
	}
	p.office, p.admin, p.stranger = db.NewID(), db.NewID(), db.NewID()
	add(p.office, PlatformDomain, RoleOfficeStaff)
	add(p.admin, PlatformDomain, RolePlatformAdmin)
	for i, t := range p.extra {
		for _, r := range []string{RoleEditorInChief, RoleEditor, RoleContributor} {
			acc := db.NewID()
			add(acc, t, r)
			if i == len(p.extra)-1 && r == RoleEditor {
				p.farEditor = acc
			}
		}
	}
	for i := 0; i < len(rows); i += 500 {
		part := rows[i:min(i+500, len(rows))]
		if _, err := bdb.NewInsert().Model(&part).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	p.assignments = len(rows)
	p.e = newEnforcer(b, bdb)
	return p
}

func BenchmarkAllowed(b *testing.B) {
	p := newBenchPolicy(b)
	b.Logf("policy: %d tenants, %d role assignments, 118 rules", len(p.demo)+len(p.extra), p.assignments)
	cases := []struct {
		name    string
		acc, t  string
		perm    Permission
		want    bool
		member  bool
		checkFn string
	}{
		{"board/allowed", p.chief, p.demo[0], PostPublish, true, false, "Allowed"},
		{"board/allowed-first-rule", p.contributor, p.demo[0], PostCreate, true, false, "Allowed"},
		{"board/denied", p.contributor, p.demo[0], PostPublish, false, false, "Allowed"},
		{"board/far-tenant", p.farEditor, p.extra[999], PostReview, true, false, "Allowed"},
		{"cross-tenant/denied", p.chief, p.demo[1], PostCreate, false, false, "Allowed"},
		{"platform/office-in-tenant", p.office, p.extra[500], QuotaViewAll, true, false, "Allowed"},
		{"platform/admin-in-tenant", p.admin, p.extra[500], PostPublish, true, false, "Allowed"},
		{"platform/domain", p.office, PlatformDomain, ReportView, true, false, "Allowed"},
		{"stranger", p.stranger, p.demo[0], TenantView, false, false, "Allowed"},
		{"member/board", p.contributor, p.demo[0], "", true, true, "Member"},
		{"member/office", p.office, p.extra[10], "", true, true, "Member"},
		{"member/cross-tenant", p.chief, p.extra[10], "", false, true, "Member"},
	}
	for _, c := range cases {
		b.Run(c.checkFn+"/"+c.name, func(b *testing.B) {
			check := func() bool { return p.e.Allowed(c.acc, c.t, c.perm) }
			if c.member {
				check = func() bool { return p.e.Member(c.acc, c.t) }
			}
			if check() != c.want {
				b.Fatalf("%s = %v, want %v", c.name, !c.want, c.want)
			}
			b.ReportAllocs()
			for b.Loop() {
				check()
			}
		})
	}
	// Casbin alone, without the memo: what every first check after a
	// reload costs.
	for _, c := range cases {
		if c.member {
			continue
		}
		b.Run("casbin/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = p.e.se.Enforce(c.acc, c.t, string(c.perm))
			}
		})
	}
	b.Run("Allowed/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				p.e.Allowed(p.chief, p.demo[0], PostPublish)
			}
		})
	})
}

// BenchmarkReload is the cost of one full policy reload at the same size.
func BenchmarkReload(b *testing.B) {
	p := newBenchPolicy(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := p.e.Reload(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
