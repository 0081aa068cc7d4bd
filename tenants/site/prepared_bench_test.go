package site_test

import (
	"context"
	"testing"

	"github.com/trangtin/trangtin/tenants/site"
)

// BenchmarkItemQueryPrepared measures what prepared statements give the
// uncached render: the item page's statement (the item by slug with its
// fields, its original's status and its picture) through bun, which writes the values into the SQL text so the database
// parses and plans each call anew, against the same statements through
// db.Prepared, as the public pages run them.
func BenchmarkItemQueryPrepared(b *testing.B) {
	f := newFixture(b)
	p := f.publish(f.alpha, input("Bài thử câu lệnh chuẩn bị trước", "tin-tuc-su-kien"))
	ctx := context.Background()
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"bun", func() error { return site.LoadItem(ctx, f.a.DB, f.alpha.ID, p.Slug) }},
		{"prepared", func() error { return site.LoadItem(ctx, f.a.Prepared, f.alpha.ID, p.Slug) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
