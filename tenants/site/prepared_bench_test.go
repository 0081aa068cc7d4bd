package site_test

import (
	"context"
	"testing"

	"github.com/trangtin/trangtin/tenants/post"
)

// BenchmarkItemQueryPrepared measures what prepared statements give the
// uncached render: the item page's reads (the item by slug, its fields)
// through bun, which writes the values into the SQL text so the database
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
		{"bun", func() error { _, err := post.PublicBySlug(ctx, f.a.DB, f.alpha.ID, p.Slug); return err }},
		{"prepared", func() error { _, err := post.PublicBySlug(ctx, f.a.Prepared, f.alpha.ID, p.Slug); return err }},
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
