package site_test

import (
	"context"
	"testing"

	"github.com/trangtin/trangtin/tenants/post"
)

// BenchmarkItemQueryPrepared measures what the uncached render would gain
// from prepared statements: the item page's main query as bun sends it
// (values written into the SQL text, so SQLite parses it on every call)
// against the same statement prepared once and run with arguments. It
// informs a design decision (issue 13); no page uses the prepared form.
func BenchmarkItemQueryPrepared(b *testing.B) {
	f := newFixture(b)
	p := f.publish(f.alpha, input("Bài thử câu lệnh chuẩn bị trước", "tin-tuc-su-kien"))
	ctx := context.Background()
	bdb := f.a.DB
	b.Run("bun", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			q := new(post.Post)
			if err := bdb.NewSelect().Model(q).Where("tenant_id = ? AND slug = ?", f.alpha.ID, p.Slug).Scan(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The same text; bun writes PostgreSQL's placeholders from "?" only
	// through its own formatter, so this runs on SQLite (the default).
	if bdb.Dialect().Name().String() != "sqlite" {
		b.Skip("placeholders written for SQLite")
	}
	stmt, err := bdb.DB.PrepareContext(ctx, bdb.NewSelect().Model((*post.Post)(nil)).String()+" WHERE (tenant_id = ? AND slug = ?)")
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	b.Run("prepared", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rows, err := stmt.QueryContext(ctx, f.alpha.ID, p.Slug)
			if err != nil {
				b.Fatal(err)
			}
			q := new(post.Post)
			if !rows.Next() {
				b.Fatal("the item is not found")
			}
			if err := bdb.ScanRow(ctx, rows, q); err != nil {
				b.Fatal(err)
			}
			if err := rows.Close(); err != nil {
				b.Fatal(err)
			}
			if q.Slug != p.Slug {
				b.Fatalf("scanned %q", q.Slug)
			}
		}
	})
}
