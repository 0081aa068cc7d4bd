package tenancy_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/trangtin/trangtin/migrations"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// benchRegistry builds a registry over a fresh SQLite database holding n
// tenants, t00000 … (one top department and n-1 units under it), each with
// one registered domain <slug>.gov.vn. Rows are bulk-inserted directly: the
// provisioner's sections would make 10,000 tenants slow to set up.
func benchRegistry(b *testing.B, n int) *tenancy.Registry {
	b.Helper()
	ctx := context.Background()
	bdb, err := db.Open(ctx, db.Options{SQLitePath: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = bdb.Close() })
	if _, err := migrations.Up(ctx, bdb, 30*time.Second); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	tenants := make([]tenancy.Tenant, n)
	domains := make([]tenancy.Domain, n)
	var rootID string
	for i := range tenants {
		id := db.NewID()
		tn := tenancy.Tenant{
			ID: id, Slug: fmt.Sprintf("t%05d", i), Name: fmt.Sprintf("Đơn vị số %d", i),
			Kind: tenancy.KindUnit, Status: tenancy.StatusActive, HasSite: true, QuotaPerWeek: 1,
			OnboardedAt: now, CreatedAt: now, UpdatedAt: now,
		}
		if i == 0 {
			tn.Kind, tn.QuotaPerWeek, rootID = tenancy.KindDepartment, 0, id
		} else {
			tn.ParentID = &rootID
		}
		tenants[i] = tn
		domains[i] = tenancy.Domain{TenantID: id, Domain: tn.Slug + ".gov.vn", CreatedAt: now}
	}
	const batch = 500
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		ts, ds := tenants[lo:hi], domains[lo:hi]
		if _, err := bdb.NewInsert().Model(&ts).Exec(ctx); err != nil {
			b.Fatalf("insert tenants: %v", err)
		}
		if _, err := bdb.NewInsert().Model(&ds).Exec(ctx); err != nil {
			b.Fatalf("insert domains: %v", err)
		}
	}
	if err := tenancy.BumpGeneration(ctx, bdb, tenancy.GenerationTenants); err != nil {
		b.Fatal(err)
	}
	r := tenancy.NewRegistry(bdb, "localhost", discard)
	start := time.Now()
	if err := r.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d tenants: first Refresh (load and index) took %v", n, time.Since(start))
	if r.Count() != n {
		b.Fatalf("registry holds %d tenants, want %d", r.Count(), n)
	}
	return r
}

// BenchmarkResolve measures Host → tenant resolution with 10 and 10,000
// tenants over a mix of subdomains, registered domains and unknown hosts.
// Resolution works on an in-memory snapshot, so the two should be on par.
func BenchmarkResolve(b *testing.B) {
	for _, n := range []int{10, 10_000} {
		r := benchRegistry(b, n)
		// A fixed mix, spread over the whole tenant set: per group of four,
		// a subdomain with port, a registered domain in upper case, an
		// unknown subdomain and an unknown domain.
		type probe struct {
			host string
			want string // "" = must not resolve
		}
		var hosts []probe
		for i := 0; i < 256; i++ {
			slug := fmt.Sprintf("t%05d", (i*7919)%n)
			hosts = append(hosts,
				probe{slug + ".localhost:8080", slug},
				probe{"WWW." + slug + ".GOV.VN", ""},
				probe{slug + ".GOV.VN", slug},
				probe{fmt.Sprintf("u%05d.localhost", i), ""},
				probe{fmt.Sprintf("x%d.example.com", i), ""},
			)
		}
		for _, p := range hosts {
			got, ok := r.Resolve(p.host)
			if (p.want == "") == ok || (ok && got.Slug != p.want) {
				b.Fatalf("Resolve(%q) = %v, %v; want %q", p.host, got, ok, p.want)
			}
		}
		b.Run(fmt.Sprintf("tenants=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r.Resolve(hosts[i%len(hosts)].host)
			}
		})
	}
}
