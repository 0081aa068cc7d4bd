package provision_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/provision"
)

// lifeOrg is org plus a second organisation "syt" with a unit "bv", a
// unit "dv2" under "dv" and a second unit "dv3" of "so".
func lifeOrg(t *testing.T, p *provision.Provisioner) map[string]*tenancy.Tenant {
	t.Helper()
	out := org(t, p)
	for _, in := range []provision.Input{
		{Slug: "syt", Name: "Sở Y tế Thử nghiệm", Kind: tenancy.KindDepartment},
		{Slug: "bv", Name: "Bệnh viện Thử nghiệm", Kind: tenancy.KindUnit, Parent: "syt", Domains: []string{"bv.gov.vn"}},
		{Slug: "dv2", Name: "Phân hiệu Đơn vị", Kind: tenancy.KindUnit, Parent: "dv"},
		{Slug: "dv3", Name: "Đơn vị Thứ ba", Kind: tenancy.KindUnit, Parent: "so"},
	} {
		tn, err := p.Create(context.Background(), in)
		if err != nil {
			t.Fatalf("create %s: %v", in.Slug, err)
		}
		out[in.Slug] = tn
	}
	return out
}

func reason(r string) provision.Change {
	return provision.Change{ActorID: "acc-1", IP: "10.0.0.1", Reason: r}
}

// TestLifecycleRejects: every bad request gets one classified error, one
// line, naming the field, and changes nothing.
func TestLifecycleRejects(t *testing.T) {
	ctx := context.Background()
	p := newProvisioner(t)
	o := lifeOrg(t, p)
	if _, err := p.Merge(ctx, o["cd"].ID, "vp", reason("")); err != nil {
		t.Fatalf("merge cd into vp: %v", err)
	}
	if _, err := p.RemoveDomain(ctx, o["bv"].ID, "bv.gov.vn", reason("")); err != nil {
		t.Fatalf("remove bv.gov.vn: %v", err)
	}
	slug := func(s string) *string { return &s }
	tests := []struct {
		name        string
		op          func() error
		kind        errs.Kind
		code, field string
		mentions    string
	}{
		{"move under own descendant", func() error { _, err := p.Move(ctx, o["dv"].ID, "dv2", reason("")); return err },
			errs.KindInvalid, "parent_descendant", "parent", "dv2"},
		{"move under itself", func() error { _, err := p.Move(ctx, o["dv"].ID, "dv", reason("")); return err },
			errs.KindInvalid, "parent_loop", "parent", ""},
		{"move under an office", func() error { _, err := p.Move(ctx, o["dv"].ID, "vp", reason("")); return err },
			errs.KindInvalid, "parent_kind", "parent", "vp"},
		{"move under the same parent", func() error { _, err := p.Move(ctx, o["dv"].ID, "so", reason("")); return err },
			errs.KindInvalid, "same_parent", "parent", ""},
		{"move under an unknown parent", func() error { _, err := p.Move(ctx, o["dv"].ID, "khong-co", reason("")); return err },
			errs.KindInvalid, "parent_unknown", "parent", "khong-co"},
		{"move under a merged tenant", func() error { _, err := p.Move(ctx, o["dv"].ID, "cd", reason("")); return err },
			errs.KindInvalid, "parent_merged", "parent", ""},
		{"merge into itself", func() error { _, err := p.Merge(ctx, o["dv"].ID, "dv", reason("")); return err },
			errs.KindInvalid, "merge_self", "into", ""},
		{"merge into a child", func() error { _, err := p.Merge(ctx, o["dv"].ID, "dv2", reason("")); return err },
			errs.KindInvalid, "merge_into_descendant", "into", "dv2"},
		{"merge a site into a tenant without one", func() error { _, err := p.Merge(ctx, o["dv3"].ID, "vp", reason("")); return err },
			errs.KindInvalid, "into_no_site", "into", ""},
		{"merge into a merged tenant", func() error { _, err := p.Merge(ctx, o["dv3"].ID, "cd", reason("")); return err },
			errs.KindInvalid, "into_merged", "into", ""},
		{"slug taken", func() error {
			_, err := p.UpdateProfile(ctx, o["dv"].ID, "", "", provision.ProfilePatch{Slug: slug("dv3")})
			return err
		}, errs.KindConflict, "slug_taken", "", "dv3"},
		{"slug reserved", func() error {
			_, err := p.UpdateProfile(ctx, o["dv"].ID, "", "", provision.ProfilePatch{Slug: slug("admin")})
			return err
		}, errs.KindInvalid, "slug_reserved", "slug", ""},
		{"slug with diacritics", func() error {
			_, err := p.UpdateProfile(ctx, o["dv"].ID, "", "", provision.ProfilePatch{Slug: slug("đơn-vị")})
			return err
		}, errs.KindInvalid, "slug_format", "slug", ""},
		{"domain taken", func() error { _, err := p.AddDomain(ctx, o["dv3"].ID, "dv.gov.vn", reason("")); return err },
			errs.KindConflict, "domain_taken", "", "dv.gov.vn"},
		{"domain held as another tenant's old address", func() error { _, err := p.AddDomain(ctx, o["dv3"].ID, "bv.gov.vn", reason("")); return err },
			errs.KindConflict, "domain_taken", "", "bv.gov.vn"},
		{"domain not the tenant's", func() error { _, err := p.RemoveDomain(ctx, o["dv3"].ID, "dv.gov.vn", reason("")); return err },
			errs.KindInvalid, "domain_unknown", "domain", ""},
		{"domain invalid", func() error { _, err := p.AddDomain(ctx, o["dv3"].ID, "http://x", reason("")); return err },
			errs.KindInvalid, "domain_invalid", "domain", ""},
		{"suspend a merged tenant", func() error { _, err := p.Suspend(ctx, o["cd"].ID, reason("")); return err },
			errs.KindConflict, "tenant_merged", "", "cd"},
		{"archive a tenant with live children", func() error { _, err := p.Archive(ctx, o["dv"].ID, reason("")); return err },
			errs.KindInvalid, "has_children", "slug", ""},
		{"reason too long", func() error { _, err := p.Suspend(ctx, o["dv3"].ID, reason(strings.Repeat("a", 501))); return err },
			errs.KindInvalid, "too_long", "reason", ""},
	}
	before := count(t, p.DB, "tenant_history", "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.op()
			e := errs.As(err)
			if e == nil {
				t.Fatalf("err = %v, want a classified error", err)
			}
			if e.Kind != tt.kind || e.Code != tt.code || e.Field != tt.field {
				t.Errorf("got kind %v code %q field %q, want %v %q %q (%v)", e.Kind, e.Code, e.Field, tt.kind, tt.code, tt.field, err)
			}
			if !strings.Contains(e.Message, tt.mentions) || strings.Contains(err.Error(), "\n") {
				t.Errorf("message %q should name %q on one line", e.Message, tt.mentions)
			}
		})
	}
	if after := count(t, p.DB, "tenant_history", ""); after != before {
		t.Errorf("rejected changes wrote %d history rows", after-before)
	}
}

// TestRenameAndSlugKeepHistory: a rename and a new slug are versions of
// the tenant with who and why; the old slug stays the tenant's (an alias
// nobody else can take) until the tenant takes it back.
func TestRenameAndSlugKeepHistory(t *testing.T) {
	ctx := context.Background()
	p := newProvisioner(t)
	o := lifeOrg(t, p)
	name, slug := "Sở Nội vụ Thử nghiệm", "snv"
	got, err := p.UpdateProfile(ctx, o["so"].ID, "acc-1", "10.0.0.1", provision.ProfilePatch{Name: &name, Reason: "Hợp nhất theo Nghị quyết"})
	if err != nil || got.Name != name {
		t.Fatalf("rename: %v %+v", err, got)
	}
	if got, err = p.UpdateProfile(ctx, o["so"].ID, "acc-1", "", provision.ProfilePatch{Slug: &slug}); err != nil || got.Slug != slug {
		t.Fatalf("set slug: %v %+v", err, got)
	}
	vs, err := tenancy.Versions(ctx, p.DB, []string{o["so"].ID})
	if err != nil {
		t.Fatal(err)
	}
	var ops, names []string
	for _, v := range vs[o["so"].ID] {
		ops, names = append(ops, v.Op), append(names, v.Slug+" "+v.Name)
	}
	if diff := cmp.Diff([]string{"create", "rename", "set-slug"}, ops); diff != "" {
		t.Errorf("history ops (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"so Sở Thử nghiệm", "so Sở Nội vụ Thử nghiệm", "snv Sở Nội vụ Thử nghiệm"}, names); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if r := vs[o["so"].ID][1]; r.Reason != "Hợp nhất theo Nghị quyết" || r.ActorID != "acc-1" {
		t.Errorf("rename version: who %q why %q", r.ActorID, r.Reason)
	}
	if n := count(t, p.DB, "audit_events", "action = ? AND tenant_id = ? AND actor_id = ?", "tenant.rename", o["so"].ID, "acc-1"); n != 1 {
		t.Errorf("rename audited %d times", n)
	}
	if _, err := p.Create(ctx, provision.Input{Slug: "so", Name: "Kẻ chiếm", Kind: tenancy.KindDepartment}); !errs.Is(err, errs.KindConflict) {
		t.Errorf("another tenant took the old slug: %v", err)
	}
	back := "so"
	if got, err = p.UpdateProfile(ctx, o["so"].ID, "", "", provision.ProfilePatch{Slug: &back}); err != nil || got.Slug != "so" {
		t.Fatalf("take the old slug back: %v", err)
	}
	if n := count(t, p.DB, "tenant_aliases", "kind = 'slug' AND name = 'so'"); n != 0 {
		t.Errorf("the slug in use is still an alias")
	}
	if n := count(t, p.DB, "tenant_aliases", "kind = 'slug' AND name = 'snv' AND tenant_id = ?", o["so"].ID); n != 1 {
		t.Errorf("the slug left is not an alias")
	}
}

// TestMoveMergeAndStatus: the state after each operation, and retries of
// a status change change nothing.
func TestMoveMergeAndStatus(t *testing.T) {
	ctx := context.Background()
	p := newProvisioner(t)
	o := lifeOrg(t, p)
	moved, err := p.Move(ctx, o["dv3"].ID, "syt", reason("Chuyển về Sở Y tế"))
	if err != nil || moved.ParentSlug != "syt" {
		t.Fatalf("move: %v %+v", err, moved)
	}
	// Its governing body was its parent, by default: it follows the move.
	if stored, err := tenancy.BySlug(ctx, p.DB, "dv3"); err != nil {
		t.Fatal(err)
	} else if stored.GoverningBody != o["syt"].Name {
		t.Errorf("governing body after the move: %q, want %q", stored.GoverningBody, o["syt"].Name)
	}
	merged, err := p.Merge(ctx, o["dv"].ID, "bv", reason("Sáp nhập"))
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	if merged.Status != tenancy.StatusMerged || merged.MergedIntoSlug != "bv" || len(merged.Domains) != 0 {
		t.Errorf("merged tenant: status %s into %q domains %v", merged.Status, merged.MergedIntoSlug, merged.Domains)
	}
	if n := count(t, p.DB, "tenant_aliases", "kind = 'domain' AND name = 'dv.gov.vn' AND tenant_id = ?", o["dv"].ID); n != 1 {
		t.Error("the merged tenant's domain is not kept as its old address")
	}
	kid, err := tenancy.BySlug(ctx, p.DB, "dv2")
	if err != nil || kid.ParentSlug != "bv" {
		t.Errorf("the merged tenant's child went to %q (%v), want bv", kid.ParentSlug, err)
	}
	if _, err := p.AddDomain(ctx, o["bv"].ID, "dv.gov.vn", reason("Dùng lại tên miền cũ")); err != nil {
		t.Errorf("the receiving tenant cannot claim the merged tenant's domain: %v", err)
	}
	for range 2 {
		if s, err := p.Suspend(ctx, o["vp"].ID, reason("Bảo trì")); err != nil || s.Status != tenancy.StatusSuspended {
			t.Fatalf("suspend: %v", err)
		}
	}
	if s, err := p.Resume(ctx, o["vp"].ID, reason("")); err != nil || s.Status != tenancy.StatusActive {
		t.Fatalf("resume: %v", err)
	}
	if s, err := p.Archive(ctx, o["vp"].ID, reason("Giải thể")); err != nil || s.Status != tenancy.StatusArchived {
		t.Fatalf("archive: %v", err)
	}
	var ops []string
	vs, _ := tenancy.Versions(ctx, p.DB, []string{o["vp"].ID})
	for _, v := range vs[o["vp"].ID] {
		ops = append(ops, v.Op+":"+string(v.Status))
	}
	if diff := cmp.Diff([]string{"create:active", "suspend:suspended", "resume:active", "archive:archived"}, ops); diff != "" {
		t.Errorf("status history (-want +got):\n%s", diff)
	}
	if _, err := p.Create(ctx, provision.Input{Slug: "moi", Name: "Mới", Kind: tenancy.KindUnit, Parent: "vp"}); !errs.Is(err, errs.KindInvalid) {
		t.Errorf("created a child of an archived office: %v", err)
	}
}

// TestSeveralOrganisations: a second department at the top is an
// organisation of its own.
func TestSeveralOrganisations(t *testing.T) {
	p := newProvisioner(t)
	o := lifeOrg(t, p)
	if o["syt"].ParentID != nil {
		t.Errorf("second department has a parent")
	}
	if n := count(t, p.DB, "tenants", "parent_id IS NULL"); n != 2 {
		t.Errorf("%d organisations, want 2", n)
	}
}
