package tenancy_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/provision"
)

func TestListTreeOrder(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	p := &provision.Provisioner{DB: bdb, BaseDomain: "localhost", AdminHost: "admin.localhost"}
	for _, in := range []provision.Input{
		{Slug: "so", Name: "Sở", Kind: tenancy.KindDepartment},
		{Slug: "cong-doan", Name: "A Công đoàn", Kind: tenancy.KindUnion, Parent: "so"},
		{Slug: "dv-b", Name: "B Đơn vị", Kind: tenancy.KindUnit, Parent: "so"},
		{Slug: "dv-a", Name: "A Đơn vị", Kind: tenancy.KindUnit, Parent: "so"},
		{Slug: "dv-a-con", Name: "Z Con của A", Kind: tenancy.KindUnit, Parent: "dv-a"},
		{Slug: "vp", Name: "Văn phòng", Kind: tenancy.KindOffice, Parent: "so"},
	} {
		if _, err := p.Create(ctx, in); err != nil {
			t.Fatalf("create %s: %v", in.Slug, err)
		}
	}
	ts, err := tenancy.List(ctx, bdb)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	parents := map[string]string{}
	for _, tn := range ts {
		got = append(got, tn.Slug)
		parents[tn.Slug] = tn.ParentSlug
	}
	// Department first, then its children by kind (office, unit, union) and
	// name, each followed by its own children.
	want := []string{"so", "vp", "dv-a", "dv-a-con", "dv-b", "cong-doan"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List order (-want +got):\n%s", diff)
	}
	wantParents := map[string]string{"so": "", "vp": "so", "dv-a": "so", "dv-a-con": "dv-a", "dv-b": "so", "cong-doan": "so"}
	if diff := cmp.Diff(wantParents, parents); diff != "" {
		t.Errorf("parent slugs (-want +got):\n%s", diff)
	}
}

func TestBySlug(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	seed(t, bdb)
	tn, err := tenancy.BySlug(ctx, bdb, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"alpha.gov.vn", "www.alpha.gov.vn"}, tn.Domains); diff != "" {
		t.Errorf("domains (-want +got):\n%s", diff)
	}
	if tn.ParentSlug != "so" {
		t.Errorf("ParentSlug = %q, want so", tn.ParentSlug)
	}
	_, err = tenancy.BySlug(ctx, bdb, "gamma")
	if !errs.Is(err, errs.KindNotFound) {
		t.Errorf("BySlug(gamma) err = %v, want not found", err)
	}
	_, err = tenancy.ByID(ctx, bdb, "no-such-id")
	if !errs.Is(err, errs.KindNotFound) {
		t.Errorf("ByID(no-such-id) err = %v, want not found", err)
	}
}

func TestViewShape(t *testing.T) {
	tn := &tenancy.Tenant{Slug: "beta", Name: "Trường Beta", Kind: tenancy.KindUnit, ParentSlug: "so",
		Status: tenancy.StatusActive, HasSite: true, QuotaPerWeek: 1}
	b, err := json.Marshal(tn.View())
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"slug": "beta", "name": "Trường Beta", "kind": "unit", "parent": "so", "status": "active",
		"domains": []any{}, "has_site": true, "quota_per_week": float64(1),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tenant JSON (-want +got):\n%s", diff)
	}
}
