package site

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
)

// genericPlan is PostgreSQL's generic plan of query (? placeholders, of
// the given parameter types) for args: the plan a prepared statement
// settles on after a few runs.
func genericPlan(t *testing.T, bdb *bun.DB, types, query string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	// One connection: the plan mode, the statement and its plan.
	conn, err := bdb.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{"SET plan_cache_mode = force_generic_plan",
		"PREPARE planned(" + types + ") AS " + db.NumberPlaceholders(query)} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var plan []string
	if err := conn.NewRaw("EXPLAIN EXECUTE planned("+strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+")", args...).Scan(ctx, &plan); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}

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
	var text string
	if db.IsPostgres(bdb) {
		text = genericPlan(t, bdb, "text, text, bigint, text, text, bigint", ownAndCopiesSQL, args...)
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
		var plan []string
		for _, r := range rows {
			plan = append(plan, r.Detail)
		}
		text = strings.Join(plan, "\n")
	}
	for _, index := range []string{"posts_tenant_own_published_idx", "posts_tenant_copies_published_idx"} {
		if !strings.Contains(text, index) {
			t.Errorf("the plan does not read %s:\n%s", index, text)
		}
	}
	if strings.Contains(strings.ToLower(text), "sort") {
		t.Errorf("the plan sorts:\n%s", text)
	}
}

// TestHomeBlocksPlan: on PostgreSQL the home's blocks are read in one
// pass over the tenant's sections, each section's newest items off its
// index, without a Memoize node (which never hits: a field has one
// section) and without a sort.
func TestHomeBlocksPlan(t *testing.T) {
	bdb := dbtest.New(t)
	if !db.IsPostgres(bdb) {
		t.Skip("LATERAL and its plan are PostgreSQL's; SQLite reads the blocks with IN lists")
	}
	text := genericPlan(t, bdb, "text, bigint, bigint, text", blockItemsPG, "published", 4, 4, "t")
	for _, index := range []string{"posts_tenant_section_published_id_idx", "post_fields_tenant_field_published_idx"} {
		if !strings.Contains(text, index) {
			t.Errorf("the plan does not read %s:\n%s", index, text)
		}
	}
	for _, node := range []string{"Memoize", "Sort", "Hash"} {
		if strings.Contains(text, node) {
			t.Errorf("the plan has a %s node:\n%s", node, text)
		}
	}
	if n := len(sectionsRead.FindAllString(text, -1)); n != 1 {
		t.Errorf("the plan reads the sections %d times, want once:\n%s", n, text)
	}
}

// sectionsRead matches a plan node reading the sections table (not an
// index of it, whose name also starts with "sections"), under the alias
// s or, in a second branch, s_1.
var sectionsRead = regexp.MustCompile(`on sections s(_[0-9]+)?(\s|$)`)
