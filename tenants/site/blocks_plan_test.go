package site

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
)

// TestHomeBlocksPlan: on PostgreSQL the home's blocks are read in one
// pass over the tenant's sections, each section's newest items off its
// index, without a Memoize node (which never hits: a field has one
// section) and without a sort. The plan checked is the generic one, which
// a prepared statement settles on after a few runs.
func TestHomeBlocksPlan(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	if !db.IsPostgres(bdb) {
		t.Skip("LATERAL and its plan are PostgreSQL's; SQLite reads the blocks with IN lists")
	}
	conn, err := bdb.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{"SET plan_cache_mode = force_generic_plan",
		"PREPARE blocks(text, bigint, bigint, text) AS " + db.NumberPlaceholders(blockItemsPG)} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var plan []string
	if err := conn.NewRaw("EXPLAIN EXECUTE blocks(?, ?, ?, ?)", "published", 4, 4, "t").Scan(ctx, &plan); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
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
