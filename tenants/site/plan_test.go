package site

import (
	"context"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
)

// TestOwnAndCopiesReadTheirIndexes: the latest own items and the units'
// copies each come off their own partial index (migration
// 20261208100000), so a Department with thousands of copies reads only
// the rows it shows. On PostgreSQL the plan checked is the generic one,
// which a prepared statement settles on after a few runs; before the
// indexes it read every copy of the tenant and sorted them.
func TestOwnAndCopiesReadTheirIndexes(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	args := []any{"t", "published", 9, "t", "published", 6}
	var plan []string
	if db.IsPostgres(bdb) {
		// One connection: the statement, the plan mode and the plan.
		conn, err := bdb.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for _, q := range []string{"SET plan_cache_mode = force_generic_plan",
			"PREPARE own_and_copies(text, text, bigint, text, text, bigint) AS " + db.NumberPlaceholders(ownAndCopiesSQL)} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := conn.NewRaw("EXPLAIN EXECUTE own_and_copies(?, ?, ?, ?, ?, ?)", args...).Scan(ctx, &plan); err != nil {
			t.Fatal(err)
		}
	} else {
		var rows []struct {
			ID      int    `bun:"id"`
			Parent  int    `bun:"parent"`
			NotUsed int    `bun:"notused"`
			Detail  string `bun:"detail"`
		}
		if err := bdb.NewRaw("EXPLAIN QUERY PLAN "+ownAndCopiesSQL, args...).Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			plan = append(plan, r.Detail)
		}
	}
	text := strings.Join(plan, "\n")
	for _, index := range []string{"posts_tenant_own_published_idx", "posts_tenant_copies_published_idx"} {
		if !strings.Contains(text, index) {
			t.Errorf("the plan does not read %s:\n%s", index, text)
		}
	}
	if strings.Contains(strings.ToLower(text), "sort") {
		t.Errorf("the plan sorts:\n%s", text)
	}
}
