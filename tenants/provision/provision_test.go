package provision_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/provision"
)

// requiredSlugs are the default sections of the contract, in order.
var requiredSlugs = []string{
	"gioi-thieu", "tin-tuc-su-kien", "van-ban-chi-dao-dieu-hanh", "van-ban-phap-luat", "thu-tuc-hanh-chinh",
	"chinh-sach-phap-luat", "chien-luoc-ke-hoach", "cong-khai-tai-chinh-thong-ke", "tiep-can-thong-tin", "lien-he",
}

// fieldCodes are the fields of the sector in the contract.
var fieldCodes = []string{
	"lao-dong-viec-lam", "giao-duc-nghe-nghiep", "an-toan-lao-dong", "tien-luong-bhxh", "nguoi-co-cong",
	"bao-tro-xa-hoi", "giam-ngheo", "tre-em", "binh-dang-gioi", "phong-chong-te-nan",
}

func newProvisioner(t *testing.T) *provision.Provisioner {
	t.Helper()
	return &provision.Provisioner{DB: dbtest.New(t), BaseDomain: "localhost", AdminHost: "admin.localhost"}
}

// org creates the department "so" (domain so.example.vn), the unit "dv"
// (domain dv.gov.vn), the office "vp" and the union "cd".
func org(t *testing.T, p *provision.Provisioner) map[string]*tenancy.Tenant {
	t.Helper()
	out := map[string]*tenancy.Tenant{}
	for _, in := range []provision.Input{
		{Slug: "so", Name: "Sở Thử nghiệm", Kind: tenancy.KindDepartment, Domains: []string{"so.example.vn"}},
		{Slug: "dv", Name: "Đơn vị Thử nghiệm", Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"dv.gov.vn"}},
		{Slug: "vp", Name: "Văn phòng Sở", Kind: tenancy.KindOffice, Parent: "so"},
		{Slug: "cd", Name: "Công đoàn Sở", Kind: tenancy.KindUnion, Parent: "so"},
	} {
		tn, err := p.Create(context.Background(), in)
		if err != nil {
			t.Fatalf("create %s: %v", in.Slug, err)
		}
		out[in.Slug] = tn
	}
	return out
}

func count(t *testing.T, idb bun.IDB, table, where string, args ...any) int {
	t.Helper()
	q := idb.NewSelect().Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	n, err := q.Count(context.Background())
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return int(n)
}

func sectionSlugs(t *testing.T, idb bun.IDB, tenantID string) []string {
	t.Helper()
	ss, err := tenancy.Sections(context.Background(), idb, tenantID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range ss {
		out = append(out, s.Slug)
	}
	return out
}

func TestCreateRejects(t *testing.T) {
	p := newProvisioner(t)
	org(t, p)
	unit := func(slug string) provision.Input {
		return provision.Input{Slug: slug, Name: "Đơn vị mới", Kind: tenancy.KindUnit, Parent: "so"}
	}
	with := func(in provision.Input, f func(*provision.Input)) provision.Input { f(&in); return in }

	tests := []struct {
		name     string
		in       provision.Input
		kind     errs.Kind
		code     string
		field    string
		mentions string // the message names the offending value
	}{
		{"duplicate slug", unit("dv"), errs.KindConflict, "slug_taken", "", "dv"},
		{"duplicate domain of another tenant", with(unit("moi"), func(in *provision.Input) { in.Domains = []string{"dv.gov.vn"} }),
			errs.KindConflict, "domain_taken", "", "dv.gov.vn"},
		{"duplicate domain in other spelling", with(unit("moi"), func(in *provision.Input) { in.Domains = []string{"DV.Gov.VN."} }),
			errs.KindConflict, "domain_taken", "", "dv.gov.vn"},
		{"unknown parent", with(unit("moi"), func(in *provision.Input) { in.Parent = "khong-co" }),
			errs.KindInvalid, "parent_unknown", "parent", "khong-co"},
		{"parent is itself", with(unit("moi"), func(in *provision.Input) { in.Parent = "moi" }),
			errs.KindInvalid, "parent_loop", "parent", ""},
		{"unit without parent", provision.Input{Slug: "moi", Name: "Mồ côi", Kind: tenancy.KindUnit},
			errs.KindInvalid, "parent_required", "parent", ""},
		{"child of an office", with(unit("moi"), func(in *provision.Input) { in.Parent = "vp" }),
			errs.KindInvalid, "parent_kind", "parent", "vp"},
		{"child of a union", with(unit("moi"), func(in *provision.Input) { in.Parent = "cd" }),
			errs.KindInvalid, "parent_kind", "parent", "cd"},
		{"slug with capitals", unit("Phong-A"), errs.KindInvalid, "slug_format", "slug", "Phong-A"},
		{"slug with diacritics", unit("phòng"), errs.KindInvalid, "slug_format", "slug", "phòng"},
		{"slug with underscore", unit("a_b"), errs.KindInvalid, "slug_format", "slug", "a_b"},
		{"slug with leading hyphen", unit("-a"), errs.KindInvalid, "slug_format", "slug", "-a"},
		{"slug with trailing hyphen", unit("ab-"), errs.KindInvalid, "slug_format", "slug", "ab-"},
		{"slug with double hyphen", unit("a--b"), errs.KindInvalid, "slug_format", "slug", "a--b"},
		{"slug with a dot", unit("a.b"), errs.KindInvalid, "slug_format", "slug", "a.b"},
		{"slug with a space", unit("a b"), errs.KindInvalid, "slug_format", "slug", "a b"},
		{"slug of one character", unit("a"), errs.KindInvalid, "slug_length", "slug", ""},
		{"slug of 64 characters", unit(strings.Repeat("a", 64)), errs.KindInvalid, "slug_length", "slug", ""},
		{"empty slug", unit(""), errs.KindInvalid, "slug_required", "slug", ""},
		{"reserved slug admin", unit("admin"), errs.KindInvalid, "slug_reserved", "slug", "admin"},
		{"reserved slug www", unit("www"), errs.KindInvalid, "slug_reserved", "slug", "www"},
		{"bad kind", with(unit("moi"), func(in *provision.Input) { in.Kind = "school" }),
			errs.KindInvalid, "kind_invalid", "kind", "school"},
		{"empty kind", with(unit("moi"), func(in *provision.Input) { in.Kind = "" }),
			errs.KindInvalid, "kind_invalid", "kind", ""},
		{"empty name", with(unit("moi"), func(in *provision.Input) { in.Name = "" }),
			errs.KindInvalid, "name_required", "name", ""},
		{"blank name", with(unit("moi"), func(in *provision.Input) { in.Name = " \t " }),
			errs.KindInvalid, "name_required", "name", ""},
		{"name over 200 characters", with(unit("moi"), func(in *provision.Input) { in.Name = strings.Repeat("ă", 201) }),
			errs.KindInvalid, "name_length", "name", ""},
		{"colour word", with(unit("moi"), func(in *provision.Input) { in.Colour = "red" }),
			errs.KindInvalid, "colour_format", "colour", ""},
		{"colour too short", with(unit("moi"), func(in *provision.Input) { in.Colour = "#12345" }),
			errs.KindInvalid, "colour_format", "colour", ""},
		{"domain equal to the admin host", with(unit("moi"), func(in *provision.Input) { in.Domains = []string{"admin.localhost"} }),
			errs.KindInvalid, "domain_reserved", "domain", "admin.localhost"},
		{"domain equal to the admin host in capitals", with(unit("moi"), func(in *provision.Input) { in.Domains = []string{"ADMIN.Localhost."} }),
			errs.KindInvalid, "domain_reserved", "domain", "admin.localhost"},
		{"domain not a host name", with(unit("moi"), func(in *provision.Input) { in.Domains = []string{"not a domain"} }),
			errs.KindInvalid, "domain_invalid", "domain", ""},
		{"domain with a port", with(unit("moi"), func(in *provision.Input) { in.Domains = []string{"moi.gov.vn:8080"} }),
			errs.KindInvalid, "domain_invalid", "domain", ""},
		{"domain with a scheme", with(unit("moi"), func(in *provision.Input) { in.Domains = []string{"https://moi.gov.vn"} }),
			errs.KindInvalid, "domain_invalid", "domain", ""},
		{"quota negative", with(unit("moi"), func(in *provision.Input) { q := -1; in.Quota = &q }),
			errs.KindInvalid, "quota_range", "quota_per_week", ""},
	}
	before := count(t, p.DB, "tenants", "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn, err := p.Create(context.Background(), tt.in)
			if err == nil {
				t.Fatalf("Create accepted it: %+v", tn)
			}
			e := errs.As(err)
			if e == nil {
				t.Fatalf("error %v is not classified (would be an internal error)", err)
			}
			if e.Kind != tt.kind || e.Code != tt.code || e.Field != tt.field {
				t.Errorf("got kind %v code %q field %q, want kind %v code %q field %q (%v)",
					e.Kind, e.Code, e.Field, tt.kind, tt.code, tt.field, err)
			}
			if e.Message == "" {
				t.Error("no message for the user")
			}
			if tt.mentions != "" && !strings.Contains(e.Message, tt.mentions) {
				t.Errorf("message %q does not name %q", e.Message, tt.mentions)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("message is not one line: %q", err.Error())
			}
		})
	}
	if after := count(t, p.DB, "tenants", ""); after != before {
		t.Errorf("rejected creates left %d tenant rows behind", after-before)
	}
}

// TestCreateRejectsShadowingHosts covers domains and slugs that would make a
// host of one tenant answer as another, or the platform's own host.
func TestCreateRejectsShadowingHosts(t *testing.T) {
	t.Run("a domain that is another tenant's subdomain", func(t *testing.T) {
		p := newProvisioner(t)
		org(t, p)
		// dv.localhost is where tenant dv answers; letting "moi" register it
		// would make dv.localhost serve moi's site (registered domains win).
		_, err := p.Create(context.Background(), provision.Input{Slug: "moi", Name: "Mới", Kind: tenancy.KindUnit, Parent: "so",
			Domains: []string{"dv.localhost"}})
		if err == nil {
			t.Fatal("Create let tenant moi register dv.localhost, another tenant's host")
		}
		if !errs.Is(err, errs.KindInvalid) && !errs.Is(err, errs.KindConflict) {
			t.Errorf("err = %v, want invalid or conflict", err)
		}
	})
	t.Run("a slug whose subdomain is already another tenant's domain", func(t *testing.T) {
		p := newProvisioner(t)
		org(t, p)
		_, err := p.Create(context.Background(), provision.Input{Slug: "truoc", Name: "Trước", Kind: tenancy.KindUnit, Parent: "so",
			Domains: []string{"sau.localhost"}})
		if err != nil {
			return // refused up front: sau.localhost stays free for a tenant "sau"
		}
		_, err = p.Create(context.Background(), provision.Input{Slug: "sau", Name: "Sau", Kind: tenancy.KindUnit, Parent: "so"})
		if err == nil {
			t.Fatal("both accepted: sau.localhost now names tenant truoc (its domain) and tenant sau (its subdomain)")
		}
	})
	t.Run("a slug whose subdomain is the admin host", func(t *testing.T) {
		p := &provision.Provisioner{DB: dbtest.New(t), BaseDomain: "example.vn", AdminHost: "quantri.example.vn"}
		if _, err := p.Create(context.Background(), provision.Input{Slug: "so", Name: "Sở", Kind: tenancy.KindDepartment}); err != nil {
			t.Fatal(err)
		}
		// quantri.example.vn is the console; a tenant "quantri" would never be reachable.
		_, err := p.Create(context.Background(), provision.Input{Slug: "quantri", Name: "Quản trị", Kind: tenancy.KindUnit, Parent: "so"})
		if err == nil {
			t.Fatal("Create accepted slug quantri although quantri.example.vn is the admin host")
		}
	})
}

func TestCheckNoLoop(t *testing.T) {
	ctx := context.Background()
	p := newProvisioner(t)
	org(t, p)
	// so → a → b → c
	ids := map[string]string{}
	parent := "so"
	for _, slug := range []string{"a", "b", "c"} {
		slug = "dv-" + slug
		tn, err := p.Create(ctx, provision.Input{Slug: slug, Name: "Đơn vị " + slug, Kind: tenancy.KindUnit, Parent: parent})
		if err != nil {
			t.Fatalf("create %s: %v", slug, err)
		}
		ids[slug], parent = tn.ID, slug
	}
	so, err := tenancy.BySlug(ctx, p.DB, "so")
	if err != nil {
		t.Fatal(err)
	}
	ids["so"] = so.ID

	tests := []struct {
		name         string
		tenant, into string
		wantCode     string // "" = allowed
	}{
		{"move a under b's child c", "dv-a", "dv-c", "parent_loop"},
		{"move a under its child b", "dv-a", "dv-b", "parent_loop"},
		{"move a under itself", "dv-a", "dv-a", "parent_loop"},
		{"move the department under a unit", "so", "dv-c", "parent_loop"},
		{"move c under a (up the tree)", "dv-c", "dv-a", ""},
		{"move c under the department", "dv-c", "so", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := provision.CheckNoLoop(ctx, p.DB, ids[tt.tenant], ids[tt.into])
			if tt.wantCode == "" {
				if err != nil {
					t.Errorf("CheckNoLoop refused: %v", err)
				}
				return
			}
			e := errs.As(err)
			if e == nil || e.Kind != errs.KindInvalid || e.Code != tt.wantCode || e.Field != "parent" {
				t.Errorf("err = %v, want invalid parent %s", err, tt.wantCode)
			}
		})
	}
	t.Run("unknown parent id", func(t *testing.T) {
		err := provision.CheckNoLoop(ctx, p.DB, ids["dv-a"], "no-such-id")
		if err == nil || errs.Is(err, errs.KindInternal) {
			t.Errorf("err = %v, want a classified not-found error", err)
		}
	})
}

func TestCreateRejectsArchivedParent(t *testing.T) {
	ctx := context.Background()
	p := newProvisioner(t)
	org(t, p)
	if _, err := p.DB.NewUpdate().Table("tenants").Set("status = ?", tenancy.StatusArchived).Where("slug = ?", "dv").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := p.Create(ctx, provision.Input{Slug: "con", Name: "Con", Kind: tenancy.KindUnit, Parent: "dv"})
	if e := errs.As(err); e == nil || e.Code != "parent_archived" || e.Field != "parent" {
		t.Errorf("err = %v, want parent_archived", err)
	}
}

func TestCreateSucceeds(t *testing.T) {
	ctx := context.Background()
	p := newProvisioner(t)
	ts := org(t, p)
	three := 3

	wantAllSections := append(append([]string{}, requiredSlugs...), fieldCodes...)
	tests := []struct {
		name         string
		in           provision.Input
		existing     string // a tenant made by org instead of in
		wantSite     bool
		wantQuota    int
		wantSections []string
	}{
		{name: "department", existing: "so", wantSite: true, wantQuota: 0, wantSections: wantAllSections},
		{name: "unit", existing: "dv", wantSite: true, wantQuota: 1, wantSections: wantAllSections},
		{name: "office has no site", existing: "vp", wantSite: false, wantQuota: 1},
		{name: "union has no site", existing: "cd", wantSite: false, wantQuota: 0},
		{name: "unit with --no-site", in: provision.Input{Slug: "khong-trang", Name: "Không trang", Kind: tenancy.KindUnit, Parent: "so", NoSite: true},
			wantSite: false, wantQuota: 1},
		{name: "unit under a unit", in: provision.Input{Slug: "dv-con", Name: "Đơn vị con", Kind: tenancy.KindUnit, Parent: "dv"},
			wantSite: true, wantQuota: 1, wantSections: wantAllSections},
		{name: "department under the department", in: provision.Input{Slug: "so-con", Name: "Chi cục", Kind: tenancy.KindDepartment, Parent: "so"},
			wantSite: true, wantQuota: 0, wantSections: wantAllSections},
		{name: "quota override", in: provision.Input{Slug: "chi-tieu", Name: "Chỉ tiêu", Kind: tenancy.KindUnion, Parent: "so", Quota: &three},
			wantSite: false, wantQuota: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			created := ts[tt.existing]
			if tt.existing == "" {
				var err error
				created, err = p.Create(ctx, tt.in)
				if err != nil {
					t.Fatalf("Create: %v", err)
				}
			}
			stored, err := tenancy.BySlug(ctx, p.DB, created.Slug)
			if err != nil {
				t.Fatalf("read back: %v", err)
			}
			for label, tn := range map[string]*tenancy.Tenant{"returned": created, "stored": stored} {
				if tn.HasSite != tt.wantSite || tn.QuotaPerWeek != tt.wantQuota || tn.Status != tenancy.StatusActive {
					t.Errorf("%s: has_site %v quota %d status %q, want %v, %d, active",
						label, tn.HasSite, tn.QuotaPerWeek, tn.Status, tt.wantSite, tt.wantQuota)
				}
			}
			if got := sectionSlugs(t, p.DB, created.ID); !cmp.Equal(got, tt.wantSections) {
				t.Errorf("sections (-want +got):\n%s", cmp.Diff(tt.wantSections, got))
			}
		})
	}

	t.Run("a unit's governing body is its parent until its profile says otherwise", func(t *testing.T) {
		for slug, want := range map[string]string{"dv": ts["so"].Name, "dv-con": ts["dv"].Name, "so": ""} {
			tn, err := tenancy.BySlug(ctx, p.DB, slug)
			if err != nil {
				t.Fatal(err)
			}
			if tn.GoverningBody != want {
				t.Errorf("%s: governing body %q, want %q", slug, tn.GoverningBody, want)
			}
		}
	})

	t.Run("default sections are flagged and named", func(t *testing.T) {
		ss, err := tenancy.Sections(ctx, p.DB, ts["dv"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ss) != 20 {
			t.Fatalf("%d sections, want 20", len(ss))
		}
		var fieldsSeen []string
		for _, s := range ss {
			if s.Name == "" {
				t.Errorf("section %s has no name", s.Slug)
			}
			isRequired := contains(requiredSlugs, s.Slug)
			if s.Required != isRequired {
				t.Errorf("section %s required = %v, want %v", s.Slug, s.Required, isRequired)
			}
			if !isRequired {
				if s.FieldCode == nil || *s.FieldCode != s.Slug {
					t.Errorf("field section %s has field code %v, want its slug", s.Slug, s.FieldCode)
				}
				fieldsSeen = append(fieldsSeen, s.Slug)
			} else if s.FieldCode != nil {
				t.Errorf("required section %s has a field code %q", s.Slug, *s.FieldCode)
			}
		}
		sort.Strings(fieldsSeen)
		want := append([]string{}, fieldCodes...)
		sort.Strings(want)
		if diff := cmp.Diff(want, fieldsSeen); diff != "" {
			t.Errorf("field sections (-want +got):\n%s", diff)
		}
		// Sections belong to their tenant only.
		if n := count(t, p.DB, "sections", "tenant_id = ?", ts["vp"].ID); n != 0 {
			t.Errorf("office has %d sections", n)
		}
	})

	t.Run("returned tenant has parent slug and domains", func(t *testing.T) {
		if got := ts["dv"]; got.ParentSlug != "so" || !cmp.Equal(got.Domains, []string{"dv.gov.vn"}) {
			t.Errorf("dv: parent %q domains %v", got.ParentSlug, got.Domains)
		}
		if got := ts["so"]; got.ParentID != nil || got.ParentSlug != "" {
			t.Errorf("so: parent %v %q, want none", got.ParentID, got.ParentSlug)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestCreateNormalizesText(t *testing.T) {
	ctx := context.Background()
	p := newProvisioner(t)
	org(t, p)
	nfc := "Trung tâm Công tác xã hội tỉnh Thanh Hóa"
	nfd := norm.NFD.String(nfc)
	if nfd == nfc {
		t.Fatal("test input is not decomposed")
	}
	tn, err := p.Create(ctx, provision.Input{
		Slug: "ctxh", Name: "  " + strings.ReplaceAll(nfd, " ", "   ") + " ", Kind: tenancy.KindUnit, Parent: "so",
		ShortName: norm.NFD.String("TT CTXH Thanh Hóa"),
		Domains:   []string{"CTXH.Gov.VN.", "ctxh.gov.vn", "www.ctxh.gov.vn"},
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := tenancy.BySlug(ctx, p.DB, "ctxh")
	if err != nil {
		t.Fatal(err)
	}
	for label, got := range map[string]*tenancy.Tenant{"returned": tn, "stored": stored} {
		if got.Name != nfc {
			t.Errorf("%s name %q (% x), want NFC %q with single spaces", label, got.Name, got.Name, nfc)
		}
		if got.ShortName != "TT CTXH Thanh Hóa" {
			t.Errorf("%s short name %q is not NFC", label, got.ShortName)
		}
		if diff := cmp.Diff([]string{"ctxh.gov.vn", "www.ctxh.gov.vn"}, got.Domains); diff != "" {
			t.Errorf("%s domains (-want +got):\n%s", label, diff)
		}
	}
	// The NFC name is found by an exact query, as search and lists rely on.
	if n := count(t, p.DB, "tenants", "name = ?", nfc); n != 1 {
		t.Errorf("%d rows with the NFC name, want 1", n)
	}
}

func TestCreateBumpsGeneration(t *testing.T) {
	ctx := context.Background()
	p := newProvisioner(t)
	org(t, p)
	g0, err := tenancy.Generation(ctx, p.DB, tenancy.GenerationTenants)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Create(ctx, provision.Input{Slug: "moi", Name: "Mới", Kind: tenancy.KindUnit, Parent: "so"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Create(ctx, provision.Input{Slug: "moi", Name: "Mới", Kind: tenancy.KindUnit, Parent: "so"}); err == nil {
		t.Fatal("duplicate accepted")
	}
	g1, err := tenancy.Generation(ctx, p.DB, tenancy.GenerationTenants)
	if err != nil {
		t.Fatal(err)
	}
	if g1 != g0+1 {
		t.Errorf("generation %d → %d, want +1 (one success, one failure)", g0, g1)
	}
}

// snapshot counts what a create writes, to prove a failed one wrote nothing.
type snapshot struct{ Tenants, Domains, Sections int }

func take(t *testing.T, idb bun.IDB) snapshot {
	return snapshot{count(t, idb, "tenants", ""), count(t, idb, "tenant_domains", ""), count(t, idb, "sections", "")}
}

func TestFailedCreateLeavesNothing(t *testing.T) {
	ctx := context.Background()

	t.Run("duplicate domain in second position", func(t *testing.T) {
		p := newProvisioner(t)
		org(t, p)
		before := take(t, p.DB)
		g0, _ := tenancy.Generation(ctx, p.DB, tenancy.GenerationTenants)
		_, err := p.Create(ctx, provision.Input{Slug: "moi", Name: "Mới", Kind: tenancy.KindUnit, Parent: "so",
			Domains: []string{"moi.gov.vn", "dv.gov.vn"}})
		if e := errs.As(err); e == nil || e.Code != "domain_taken" {
			t.Fatalf("err = %v, want domain_taken", err)
		}
		if diff := cmp.Diff(before, take(t, p.DB)); diff != "" {
			t.Errorf("rows changed by a failed create (-before +after):\n%s", diff)
		}
		if n := count(t, p.DB, "tenants", "slug = ?", "moi"); n != 0 {
			t.Errorf("tenant moi exists after a failed create")
		}
		if n := count(t, p.DB, "tenant_domains", "domain = ?", "moi.gov.vn"); n != 0 {
			t.Errorf("domain moi.gov.vn kept after a failed create")
		}
		if g1, _ := tenancy.Generation(ctx, p.DB, tenancy.GenerationTenants); g1 != g0 {
			t.Errorf("generation moved %d → %d on a failed create", g0, g1)
		}
	})

	t.Run("hook failing after the rows were written", func(t *testing.T) {
		p := newProvisioner(t)
		org(t, p)
		before := take(t, p.DB)
		var sawRows int
		p.Hooks = []provision.Hook{func(ctx context.Context, tx bun.Tx, tn *tenancy.Tenant) error {
			// Inside the transaction the tenant and its sections exist...
			sawRows = count(t, tx, "sections", "tenant_id = ?", tn.ID)
			return errors.New("board roles: boom")
		}}
		_, err := p.Create(ctx, provision.Input{Slug: "moi", Name: "Mới", Kind: tenancy.KindUnit, Parent: "so",
			Domains: []string{"moi.gov.vn"}})
		if err == nil || !strings.Contains(err.Error(), "boom") {
			t.Fatalf("err = %v, want the hook's error", err)
		}
		if sawRows != 20 {
			t.Errorf("hook saw %d sections inside the transaction, want 20", sawRows)
		}
		// ...and after the failure none of it remains.
		if diff := cmp.Diff(before, take(t, p.DB)); diff != "" {
			t.Errorf("rows left by a failed create (-before +after):\n%s", diff)
		}
		// The slug and domain are free again.
		p.Hooks = nil
		if _, err := p.Create(ctx, provision.Input{Slug: "moi", Name: "Mới", Kind: tenancy.KindUnit, Parent: "so",
			Domains: []string{"moi.gov.vn"}}); err != nil {
			t.Errorf("retry after the failed create: %v", err)
		}
	})
}

// TestConcurrentCreates races two creates that clash; exactly one wins and
// the other gets the same classified error as a sequential clash.
func TestConcurrentCreates(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		in       func(i int) provision.Input
		wantCode string
	}{
		{"same slug", func(i int) provision.Input {
			return provision.Input{Slug: "dua", Name: fmt.Sprintf("Đua %d", i), Kind: tenancy.KindUnit, Parent: "so"}
		}, "slug_taken"},
		{"same domain", func(i int) provision.Input {
			return provision.Input{Slug: fmt.Sprintf("dua-%d", i), Name: "Đua", Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"dua.gov.vn"}}
		}, "domain_taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProvisioner(t)
			org(t, p)
			const n = 4
			errsOut := make([]error, n)
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errsOut[i] = p.Create(ctx, tt.in(i))
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errsOut {
				if err == nil {
					ok++
					continue
				}
				if e := errs.As(err); e == nil || e.Code != tt.wantCode {
					t.Errorf("loser got %v, want %s", err, tt.wantCode)
				}
			}
			if ok != 1 {
				t.Errorf("%d creates succeeded, want exactly 1", ok)
			}
		})
	}
}

func TestValidateSlug(t *testing.T) {
	for _, slug := range []string{"ab", "so-ldtbxh", "trung-tam-1", "a1", "2024", strings.Repeat("a", 63)} {
		t.Run(slug, func(t *testing.T) {
			if err := provision.ValidateSlug(slug); err != nil {
				t.Errorf("ValidateSlug(%q) = %v, want ok", slug, err)
			}
		})
	}
}
