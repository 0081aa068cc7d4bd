package quota

// The monthly report at the scale of a year of history: 100 contributors ×
// 52 weeks × 20 items a week (104,000 submissions, 72,800 copies on the
// Department's site, their fields). On SQLite it runs with 10 contributors.
//
//	TRANGTIN_TEST_DATABASE_URL=postgres://... go test -run '^$' -bench MonthlyReport -benchtime 20x -v ./tenants/quota/
//
// With -v it logs the plan of the main query (EXPLAIN ANALYZE on PostgreSQL).

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/vntext"
)

type benchTenant struct {
	bun.BaseModel `bun:"table:tenants"`
	ID            string    `bun:"id,pk"`
	Slug          string    `bun:"slug"`
	Name          string    `bun:"name"`
	Kind          string    `bun:"kind"`
	ParentID      *string   `bun:"parent_id"`
	HasSite       bool      `bun:"has_site"`
	QuotaPerWeek  int       `bun:"quota_per_week"`
	OnboardedAt   time.Time `bun:"onboarded_at"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

type benchPost struct {
	bun.BaseModel    `bun:"table:posts"`
	TenantID         string     `bun:"tenant_id,pk"`
	ID               string     `bun:"id,pk"`
	Slug             string     `bun:"slug"`
	Title            string     `bun:"title"`
	Type             string     `bun:"type"`
	Status           string     `bun:"status"`
	EventDate        *time.Time `bun:"event_date"`
	AuthorID         string     `bun:"author_id"`
	PublishedAt      *time.Time `bun:"published_at"`
	FirstPublishedAt *time.Time `bun:"first_published_at"`
	LintErrors       int        `bun:"lint_errors"`
	LintWarnings     int        `bun:"lint_warnings"`
	CreatedAt        time.Time  `bun:"created_at"`
	UpdatedAt        time.Time  `bun:"updated_at"`
	UpdatedBy        string     `bun:"updated_by"`
}

type benchField struct {
	bun.BaseModel `bun:"table:post_fields"`
	TenantID      string `bun:"tenant_id,pk"`
	PostID        string `bun:"post_id,pk"`
	FieldCode     string `bun:"field_code,pk"`
}

type benchSubmission struct {
	bun.BaseModel  `bun:"table:submissions"`
	ParentTenantID string     `bun:"parent_tenant_id,pk"`
	ID             string     `bun:"id,pk"`
	ChildTenantID  string     `bun:"child_tenant_id"`
	PostID         string     `bun:"post_id"`
	Origin         string     `bun:"origin"`
	State          string     `bun:"state"`
	PostType       string     `bun:"post_type"`
	Counts         bool       `bun:"counts"`
	FirstSentAt    time.Time  `bun:"first_sent_at"`
	SentAt         time.Time  `bun:"sent_at"`
	SentBy         string     `bun:"sent_by"`
	DecidedAt      *time.Time `bun:"decided_at"`
	AcceptedPostID *string    `bun:"accepted_post_id"`
	CreatedAt      time.Time  `bun:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at"`
}

var benchFields = []string{"lao-dong-viec-lam", "giao-duc-nghe-nghiep", "an-toan-lao-dong", "tien-luong-bhxh", "nguoi-co-cong",
	"bao-tro-xa-hoi", "giam-ngheo", "tre-em", "binh-dang-gioi"} // phong-chong-te-nan stays uncovered

// insertAll bulk-inserts rows in batches.
func insertAll[T any](ctx context.Context, tx bun.Tx, rows []T) error {
	const batch = 2000
	for i := 0; i < len(rows); i += batch {
		part := rows[i:min(i+batch, len(rows))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// seedYear writes n contributors × 52 weeks × 20 items from Monday
// 01/12/2025 (2025-W49) and returns the department's id.
func seedYear(ctx context.Context, bdb *bun.DB, n int) (string, error) {
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, vntext.Location())
	created := start.AddDate(0, -1, 0)
	dept := "so-bench"
	ts := []benchTenant{{ID: dept, Slug: dept, Name: "Sở", Kind: "department", HasSite: true, OnboardedAt: created, CreatedAt: created, UpdatedAt: created}}
	for c := range n {
		ts = append(ts, benchTenant{ID: fmt.Sprintf("c%03d", c), Slug: fmt.Sprintf("don-vi-%03d", c), Name: fmt.Sprintf("Đơn vị %03d", c),
			Kind: "unit", ParentID: &dept, QuotaPerWeek: 1 + c%3, OnboardedAt: created, CreatedAt: created, UpdatedAt: created})
	}
	var posts, copies []benchPost
	var fields []benchField
	var subs []benchSubmission
	states := []string{"accepted", "accepted", "accepted", "accepted", "accepted", "accepted", "accepted", "returned", "refused", "sent"}
	for c := range n {
		child := fmt.Sprintf("c%03d", c)
		for i := range 52 * 20 {
			sent := start.Add(time.Duration(i)*(7*24*time.Hour/20) + time.Duration(c)*time.Minute)
			ev := time.Date(sent.Year(), sent.Month(), sent.Day()-i%4, 0, 0, 0, 0, time.UTC)
			id := fmt.Sprintf("p%03d-%04d", c, i)
			typ := "news"
			switch {
			case i%50 == 0:
				typ = "republished"
			case i%10 == 3:
				typ = "in-depth"
			}
			posts = append(posts, benchPost{TenantID: child, ID: id, Slug: id, Title: "Tin " + id, Type: typ, Status: "published",
				EventDate: &ev, AuthorID: "x", LintErrors: b2i(i%17 == 0), LintWarnings: b2i(i%5 == 0), CreatedAt: sent, UpdatedAt: sent, UpdatedBy: "x"})
			fields = append(fields, benchField{TenantID: child, PostID: id, FieldCode: benchFields[(i+c)%len(benchFields)]})
			s := benchSubmission{ParentTenantID: dept, ID: "s" + id, ChildTenantID: child, PostID: id, Origin: "sent", State: states[i%10],
				PostType: typ, Counts: typ != "republished", FirstSentAt: sent, SentAt: sent, SentBy: "x", CreatedAt: sent, UpdatedAt: sent}
			if i%97 == 0 {
				s.Origin, s.Counts, s.State = "pulled", false, "accepted"
			}
			if s.State != "sent" {
				d := sent.Add(5 * time.Hour)
				s.DecidedAt = &d
			}
			if s.State == "accepted" {
				cid := "c" + id
				cp := benchPost{TenantID: dept, ID: cid, Slug: cid, Title: "Tin " + id, Type: typ, Status: "approved", AuthorID: "x",
					CreatedAt: sent, UpdatedAt: sent, UpdatedBy: "x"}
				if i%7 != 0 {
					p := sent.Add(24 * time.Hour)
					cp.Status, cp.PublishedAt, cp.FirstPublishedAt = "published", &p, &p
				}
				copies = append(copies, cp)
				s.AcceptedPostID = &cid
			}
			subs = append(subs, s)
		}
	}
	err := db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
		if err := insertAll(ctx, tx, ts); err != nil {
			return err
		}
		if err := insertAll(ctx, tx, posts); err != nil {
			return err
		}
		if err := insertAll(ctx, tx, copies); err != nil {
			return err
		}
		if err := insertAll(ctx, tx, fields); err != nil {
			return err
		}
		return insertAll(ctx, tx, subs)
	})
	if err != nil {
		return "", fmt.Errorf("seed: %w", err)
	}
	// As autovacuum leaves a table after a bulk load: statistics and the
	// visibility map (which index-only scans rely on).
	analyze := "ANALYZE"
	if db.IsPostgres(bdb) {
		analyze = "VACUUM ANALYZE"
	}
	if _, err := bdb.ExecContext(ctx, analyze); err != nil {
		return "", err
	}
	return dept, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func BenchmarkMonthlyReport(b *testing.B) {
	ctx := context.Background()
	bdb := dbtest.New(b)
	n := 100
	if !db.IsPostgres(bdb) {
		n = 10
	}
	start := time.Now()
	dept, err := seedYear(ctx, bdb, n)
	if err != nil {
		b.Fatal(err)
	}
	p := MonthPeriod(2026, time.October) // five weeks, W40–W44
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, vntext.Location())
	b.Logf("%s: seeded %d contributors × 52 weeks × 20 items in %s", dbtest.Dialect(), n, time.Since(start).Round(time.Millisecond))
	if db.IsPostgres(bdb) {
		var plan []string
		if err := bdb.NewRaw("EXPLAIN (ANALYZE, BUFFERS) "+itemsSQL().For(bdb), dept, p.From().UTC(), p.To().UTC()).Scan(ctx, &plan); err != nil {
			b.Fatal(err)
		}
		b.Logf("plan of the main query:\n%s", strings.Join(plan, "\n"))
	}
	var r *Report
	b.ResetTimer()
	for b.Loop() {
		if r, err = Build(ctx, bdb, dept, p, now); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.Logf("report: %d contributors, %d items sent, %d weeks", len(r.Contributors), r.Totals.Sent, len(r.Weeks))
	if len(r.Contributors) != n || r.Totals.Sent == 0 || len(r.UncoveredFields) != 1 {
		b.Fatalf("unexpected report: %d contributors, %d sent, uncovered %v", len(r.Contributors), r.Totals.Sent, r.UncoveredFields)
	}
}
