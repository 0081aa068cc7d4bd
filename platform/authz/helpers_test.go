package authz

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/tenancy"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newTenants inserts n unit tenants and returns their ids.
func newTenants(t testing.TB, idb bun.IDB, prefix string, n int) []string {
	t.Helper()
	now := time.Now().UTC()
	ts := make([]*tenancy.Tenant, n)
	ids := make([]string, n)
	for i := range ts {
		ids[i] = db.NewID()
		ts[i] = &tenancy.Tenant{
			ID: ids[i], Slug: prefix + "-" + ids[i][len(ids[i])-12:], Name: "Đơn vị " + prefix,
			Kind: tenancy.KindUnit, Status: tenancy.StatusActive, HasSite: true, QuotaPerWeek: 1,
			OnboardedAt: now, CreatedAt: now, UpdatedAt: now,
		}
	}
	for i := 0; i < n; i += 500 {
		part := ts[i:min(i+500, n)]
		if _, err := idb.NewInsert().Model(&part).Exec(context.Background()); err != nil {
			t.Fatalf("insert tenants: %v", err)
		}
	}
	return ids
}

func newTenant(t testing.TB, idb bun.IDB, slug string) string {
	t.Helper()
	return newTenants(t, idb, slug, 1)[0]
}

func newEnforcer(t testing.TB, bdb *bun.DB) *Enforcer {
	t.Helper()
	e, err := New(context.Background(), bdb, quietLog())
	if err != nil {
		t.Fatalf("new enforcer: %v", err)
	}
	return e
}

// grant grants and reloads, failing the test on error.
func grant(t testing.TB, e *Enforcer, bdb *bun.DB, account, domain, role string) {
	t.Helper()
	ctx := context.Background()
	if err := e.Grant(ctx, bdb, account, domain, role); err != nil {
		t.Fatalf("grant %s %s %s: %v", account, domain, role, err)
	}
	if err := e.Reload(ctx); err != nil {
		t.Fatalf("reload: %v", err)
	}
}
