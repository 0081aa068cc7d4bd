package pagecache_test

import (
	"context"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/pagecache"
)

// exempt are the tables with a tenant_id that no public page reads, each
// with the reason; every other such table must bump its tenant's content
// generation, or a cached page would outlive the change.
var exempt = map[string]string{
	"content_generations":   "the generations themselves",
	"audit_events":          "the audit trail is never shown on a public page",
	"jobs":                  "the queue; a job that changes a page writes the tables it changes",
	"notifications":         "console notifications",
	"post_revisions":        "history written with the posts row, which bumps",
	"post_transitions":      "history written with the posts row, which bumps",
	"quota_history":         "quota report only",
	"quota_exemptions":      "quota report only",
	"tenant_status_history": "quota report only; the tenants row bumps",
	"tenant_history":        "console history; the tenants row bumps",
}

func tenantTables(ctx context.Context, t *testing.T, bdb *bun.DB) []string {
	var names []string
	var err error
	if bdb.Dialect().Name() == dialect.PG {
		err = bdb.NewRaw(`SELECT table_name FROM information_schema.columns
			WHERE column_name = 'tenant_id' AND table_schema = current_schema()`).Scan(ctx, &names)
	} else {
		err = bdb.NewRaw(`SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND p.name = 'tenant_id'`).Scan(ctx, &names)
	}
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return append(names, "tenants")
}

func triggers(ctx context.Context, t *testing.T, bdb *bun.DB, table string) []string {
	var names []string
	var err error
	if bdb.Dialect().Name() == dialect.PG {
		err = bdb.NewRaw(`SELECT tgname FROM pg_trigger WHERE tgrelid = ?::regclass AND NOT tgisinternal`, table).Scan(ctx, &names)
	} else {
		err = bdb.NewRaw(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, table).Scan(ctx, &names)
	}
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// TestTablesFeedingPagesBumpGenerations lists every table with a tenant_id
// column (tables added later included) and fails for one without its
// content trigger, unless exempt says why no page reads it.
func TestTablesFeedingPagesBumpGenerations(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	tables := tenantTables(ctx, t, bdb)
	if len(tables) < 15 {
		t.Fatalf("found only %d tenant tables (%v); the listing is wrong", len(tables), tables)
	}
	for _, table := range tables {
		got := strings.Join(triggers(ctx, t, bdb, table), " ")
		want := []string{table + "_content"}
		if bdb.Dialect().Name() != dialect.PG {
			want = []string{table + "_content_insert", table + "_content_update", table + "_content_delete"}
		}
		missing := false
		for _, w := range want {
			missing = missing || !strings.Contains(" "+got+" ", " "+w+" ")
		}
		_, isExempt := exempt[table]
		switch {
		case missing && !isExempt:
			t.Errorf("table %s has a tenant_id but no content trigger %v (a change to it would leave cached pages stale); "+
				"add the trigger in a migration (see 20261204500001_content_generations) or list it in exempt with the reason", table, want)
		case !missing && isExempt:
			t.Errorf("table %s is exempt but has the content trigger; drop one of them", table)
		}
	}
}

// TestGenerationsFollowWrites: a write to a table that feeds pages moves
// its tenant's generation, the writing process sees it on the next lookup
// (no poll), a row moved to another tenant moves both, and an exempt
// table moves nothing.
func TestGenerationsFollowWrites(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	g := pagecache.NewGenerations(bdb, slog.New(slog.NewTextHandler(io.Discard, nil)))
	//lint:ignore SA1019 every user of this *bun.DB must see the hook; WithQueryHook would return a copy only new code uses
	bdb.AddQueryHook(g)
	now := time.Now().UTC()
	for _, id := range []string{"t1", "t2"} {
		if _, err := bdb.NewRaw(`INSERT INTO tenants (id, slug, name, kind, has_site, quota_per_week, onboarded_at, created_at, updated_at)
			VALUES (?, ?, ?, 'unit', TRUE, 0, ?, ?, ?)`, id, id, id, now, now, now).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	of := func(id string) int64 {
		t.Helper()
		n, err := g.Of(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	t1, t2 := of("t1"), of("t2")
	if t1 == 0 || t2 == 0 {
		t.Fatalf("inserting a tenant left its generation at 0 (t1=%d t2=%d)", t1, t2)
	}
	err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw(`INSERT INTO sections (tenant_id, id, slug, name, position, created_at) VALUES ('t1', 's1', 'a', 'A', 1, ?)`, now).Exec(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := of("t1"); got <= t1 {
		t.Errorf("after a section insert t1's generation is %d, want above %d", got, t1)
	}
	if got := of("t2"); got != t2 {
		t.Errorf("a write to t1 moved t2's generation from %d to %d", t2, got)
	}
	t1 = of("t1")
	if _, err := bdb.NewRaw(`UPDATE sections SET tenant_id = 't2' WHERE id = 's1'`).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if a, b := of("t1"), of("t2"); a <= t1 || b <= t2 {
		t.Errorf("moving a row from t1 to t2: generations t1 %d→%d, t2 %d→%d; want both up", t1, a, t2, b)
	}
	t2 = of("t2")
	if _, err := bdb.NewRaw(`INSERT INTO audit_events (id, tenant_id, action, created_at) VALUES ('e1', 't2', 'x', ?)`, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if got := of("t2"); got != t2 {
		t.Errorf("an audit event moved t2's generation from %d to %d", t2, got)
	}
	if _, err := bdb.NewRaw(`DELETE FROM sections WHERE id = 's1'`).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if got := of("t2"); got <= t2 {
		t.Errorf("deleting t2's section left its generation at %d", got)
	}
}
