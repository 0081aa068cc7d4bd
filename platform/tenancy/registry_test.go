package tenancy_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/provision"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestNormalizeHost(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "example.vn", "example.vn"},
		{"port", "example.vn:8080", "example.vn"},
		{"upper case", "Alpha.LOCALHOST", "alpha.localhost"},
		{"upper case and port", "ALPHA.localhost:8080", "alpha.localhost"},
		{"trailing dot", "example.vn.", "example.vn"},
		{"trailing dot and port", "example.vn.:443", "example.vn"},
		{"surrounding spaces", "  example.vn ", "example.vn"},
		{"IPv4 with port", "127.0.0.1:8080", "127.0.0.1"},
		{"IPv6 literal", "[::1]", "::1"},
		{"IPv6 literal with port", "[::1]:8080", "::1"},
		{"IPv6 literal upper case", "[2001:DB8::1]:443", "2001:db8::1"},
		{"IPv6 literal without closing bracket", "[::1", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tenancy.NormalizeHost(tt.in); got != tt.want {
				t.Errorf("NormalizeHost(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// seed creates a small organisation through the provisioner and returns it by slug.
func seed(t *testing.T, bdb *bun.DB) map[string]*tenancy.Tenant {
	t.Helper()
	p := &provision.Provisioner{DB: bdb, BaseDomain: "localhost", AdminHost: "admin.localhost"}
	out := map[string]*tenancy.Tenant{}
	for _, in := range []provision.Input{
		{Slug: "so", Name: "Sở Thử nghiệm", Kind: tenancy.KindDepartment, Domains: []string{"so.example.vn"}},
		{Slug: "alpha", Name: "Trung tâm Alpha", Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"alpha.gov.vn", "www.alpha.gov.vn"}},
		{Slug: "beta", Name: "Trường Beta", Kind: tenancy.KindUnit, Parent: "so"},
	} {
		tn, err := p.Create(context.Background(), in)
		if err != nil {
			t.Fatalf("create %s: %v", in.Slug, err)
		}
		out[tn.Slug] = tn
	}
	return out
}

func TestRegistryResolve(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	seed(t, bdb)
	r := tenancy.NewRegistry(bdb, "localhost", discard)
	if _, ok := r.Resolve("alpha.localhost"); ok {
		t.Error("Resolve answered before the first Refresh")
	}
	if err := r.Refresh(ctx); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if r.Count() != 3 {
		t.Errorf("Count = %d, want 3", r.Count())
	}
	tests := []struct {
		name, host, want string // want "" = must not resolve
	}{
		{"registered domain", "so.example.vn", "so"},
		{"second registered domain", "www.alpha.gov.vn", "alpha"},
		{"subdomain of the base domain", "alpha.localhost", "alpha"},
		{"subdomain with port", "alpha.localhost:8080", "alpha"},
		{"subdomain upper case", "BETA.LocalHost", "beta"},
		{"registered domain upper case with port", "Alpha.Gov.VN:443", "alpha"},
		{"subdomain with trailing dot", "beta.localhost.", "beta"},
		{"department by subdomain", "so.localhost", "so"},
		{"unknown subdomain", "gamma.localhost", ""},
		{"unknown domain", "example.com", ""},
		{"sub-sub-domain", "x.alpha.localhost", ""},
		{"sub-sub-domain with port", "www.beta.localhost:8080", ""},
		{"base domain itself", "localhost", ""},
		{"base domain with port", "localhost:8080", ""},
		{"empty label", ".localhost", ""},
		{"slug alone", "alpha", ""},
		{"slug under another domain", "alpha.example.com", ""},
		{"base domain as a prefix", "alpha.localhost.evil.com", ""},
		{"subdomain of a registered domain", "x.so.example.vn", ""},
		{"admin host", "admin.localhost", ""},
		{"empty host", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := r.Resolve(tt.host)
			switch {
			case tt.want == "" && ok:
				t.Errorf("Resolve(%q) = %s, want no tenant", tt.host, got.Slug)
			case tt.want != "" && !ok:
				t.Errorf("Resolve(%q) found nothing, want %s", tt.host, tt.want)
			case tt.want != "" && got.Slug != tt.want:
				t.Errorf("Resolve(%q) = %s, want %s", tt.host, got.Slug, tt.want)
			}
		})
	}
}

func TestRegistryLookups(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	ts := seed(t, bdb)
	r := tenancy.NewRegistry(bdb, "localhost", discard)
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	got, ok := r.BySlug("alpha")
	if !ok || got.ID != ts["alpha"].ID {
		t.Errorf("BySlug(alpha) = %v, %v", got, ok)
	}
	if ok && (got.ParentSlug != "so" || len(got.Domains) != 2) {
		t.Errorf("BySlug(alpha): parent %q domains %v, want so and two domains", got.ParentSlug, got.Domains)
	}
	got, ok = r.ByID(ts["beta"].ID)
	if !ok || got.Slug != "beta" {
		t.Errorf("ByID(beta) = %v, %v", got, ok)
	}
	if _, ok := r.BySlug("gamma"); ok {
		t.Error("BySlug(gamma) found a tenant")
	}
	if _, ok := r.ByID("no-such-id"); ok {
		t.Error("ByID(no-such-id) found a tenant")
	}
}

func TestRegistryBaseDomainIsCaseInsensitive(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	p := &provision.Provisioner{DB: bdb, BaseDomain: "sites.example.vn", AdminHost: "admin.sites.example.vn"}
	if _, err := p.Create(ctx, provision.Input{Slug: "so", Name: "Sở", Kind: tenancy.KindDepartment}); err != nil {
		t.Fatal(err)
	}
	r := tenancy.NewRegistry(bdb, "Sites.Example.VN", discard)
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"so.sites.example.vn", "SO.SITES.EXAMPLE.VN:8443"} {
		if got, ok := r.Resolve(host); !ok || got.Slug != "so" {
			t.Errorf("Resolve(%q) = %v, %v; want so", host, got, ok)
		}
	}
	if _, ok := r.Resolve("so.localhost"); ok {
		t.Error("so.localhost resolved although the base domain is sites.example.vn")
	}
}

// TestRefreshSeesOtherProcess plays two processes on one database: the
// registry's and another that onboards and suspends tenants.
func TestRefreshSeesOtherProcess(t *testing.T) {
	ctx := context.Background()
	bdb, opts := dbtest.NewWithOptions(t)
	seed(t, bdb)
	r := tenancy.NewRegistry(bdb, "localhost", discard)
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}

	other, err := db.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open second connection: %v", err)
	}
	t.Cleanup(func() { _ = other.Close() })
	p := &provision.Provisioner{DB: other, BaseDomain: "localhost", AdminHost: "admin.localhost"}

	t.Run("a refresh without changes keeps the snapshot", func(t *testing.T) {
		before, _ := r.BySlug("alpha")
		if err := r.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		after, _ := r.BySlug("alpha")
		if before != after {
			t.Error("Refresh rebuilt the snapshot although nothing changed")
		}
	})

	t.Run("tenant created elsewhere is served after Refresh", func(t *testing.T) {
		if _, err := p.Create(ctx, provision.Input{Slug: "moi", Name: "Đơn vị Mới", Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"moi.gov.vn"}}); err != nil {
			t.Fatalf("create in the other process: %v", err)
		}
		if _, ok := r.Resolve("moi.localhost"); ok {
			t.Fatal("new tenant resolved before Refresh (snapshot should be in memory)")
		}
		if err := r.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		for _, host := range []string{"moi.localhost", "moi.gov.vn"} {
			if got, ok := r.Resolve(host); !ok || got.Slug != "moi" {
				t.Errorf("after Refresh Resolve(%q) = %v, %v; want moi", host, got, ok)
			}
		}
		if r.Count() != 4 {
			t.Errorf("Count = %d, want 4", r.Count())
		}
	})

	t.Run("tenant suspended elsewhere is seen as suspended after Refresh", func(t *testing.T) {
		err := db.InTx(ctx, other, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewUpdate().Model((*tenancy.Tenant)(nil)).
				Set("status = ?", tenancy.StatusSuspended).Where("slug = ?", "beta").Exec(ctx); err != nil {
				return err
			}
			return tenancy.BumpGeneration(ctx, tx, tenancy.GenerationTenants)
		})
		if err != nil {
			t.Fatalf("suspend: %v", err)
		}
		if got, _ := r.Resolve("beta.localhost"); got == nil || got.Status != tenancy.StatusActive {
			t.Fatalf("before Refresh beta = %+v, want the old active snapshot", got)
		}
		if err := r.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		got, ok := r.Resolve("beta.localhost")
		if !ok {
			t.Fatal("suspended tenant vanished from the registry; want it present with status suspended")
		}
		if got.Status != tenancy.StatusSuspended || got.Serving() {
			t.Errorf("beta status %q serving %v, want suspended and not serving", got.Status, got.Serving())
		}
		if a, _ := r.Resolve("alpha.localhost"); a == nil || a.Status != tenancy.StatusActive {
			t.Errorf("alpha = %+v, want still active", a)
		}
	})
}

func TestGenerationCounter(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	g0, err := tenancy.Generation(ctx, bdb, tenancy.GenerationTenants)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, bdb) // three creates
	g1, err := tenancy.Generation(ctx, bdb, tenancy.GenerationTenants)
	if err != nil {
		t.Fatal(err)
	}
	if g1 != g0+3 {
		t.Errorf("generation went from %d to %d after three creates, want +3", g0, g1)
	}
	if _, err := tenancy.Generation(ctx, bdb, "no-such-counter"); err == nil {
		t.Error("Generation of an unknown counter succeeded")
	}
}
