package site_test

import (
	"context"
	"testing"

	"github.com/trangtin/trangtin/platform/db"
)

type oldImageRow struct {
	ID        string  `bun:"id"`
	ObjectKey string  `bun:"object_key"`
	Name      string  `bun:"name"`
	Width     int     `bun:"width"`
	Height    int     `bun:"height"`
	Alt       string  `bun:"alt"`
	Caption   string  `bun:"caption"`
	Credit    string  `bun:"credit"`
	RWidth    *int    `bun:"r_width"`
	RFormat   *string `bun:"r_format"`
}
type newImageRow struct {
	ID         string `bun:"id"`
	ObjectKey  string `bun:"object_key"`
	Name       string `bun:"name"`
	Width      int    `bun:"width"`
	Height     int    `bun:"height"`
	Alt        string `bun:"alt"`
	Caption    string `bun:"caption"`
	Credit     string `bun:"credit"`
	Renditions string `bun:"renditions"`
}

func BenchmarkZZQueries(b *testing.B) {
	ctx := context.Background()
	bdb, err := db.Open(ctx, db.Options{SQLitePath: "/tmp/demo3/trangtin.db"})
	if err != nil {
		b.Fatal(err)
	}
	var soID string
	if err := bdb.NewRaw("SELECT id FROM tenants WHERE slug = 'so-ldtbxh'").Scan(ctx, &soID); err != nil {
		b.Fatal(err)
	}
	so := struct{ ID string }{soID}
	var ids []string
	if err := bdb.NewRaw("SELECT DISTINCT COALESCE(featured_media_id, body_picture) FROM posts WHERE tenant_id = ? AND status = 'published' AND COALESCE(featured_media_id, body_picture, '') <> '' LIMIT 48", so.ID).Scan(ctx, &ids); err != nil {
		b.Fatal(err)
	}
	p := db.NewPrepared(bdb)
	in, idArgs := db.InList(ids)
	args := append(append([]any{so.ID}, idArgs...), "image")
	var nr int
	_ = bdb.NewRaw("SELECT count(*) FROM media_renditions WHERE tenant_id = ?", so.ID).Scan(ctx, &nr)
	b.Logf("%d ids, %d renditions", len(ids), nr)
	b.Run("images-join", func(b *testing.B) {
		for range b.N {
			var rows []oldImageRow
			if err := db.Select(ctx, p, &rows, `SELECT m.id, m.object_key, m.name, m.width, m.height, m.alt, m.caption, m.credit, r.width AS r_width, r.format AS r_format FROM media m LEFT JOIN media_renditions r ON r.tenant_id = m.tenant_id AND r.media_id = m.id WHERE m.tenant_id = ? AND m.id IN (`+in+`) AND m.kind = ? ORDER BY m.id, r.width`, args...); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, agg := range []string{"group_concat(r.width || ' ' || r.format, ',' ORDER BY r.width, r.format)", "group_concat(r.width || ' ' || r.format, ',')"} {
		b.Run("images-agg", func(b *testing.B) {
			for range b.N {
				var rows []newImageRow
				if err := db.Select(ctx, p, &rows, "SELECT m.id, m.object_key, m.name, m.width, m.height, m.alt, m.caption, m.credit,"+
					" COALESCE((SELECT "+agg+" FROM media_renditions r WHERE r.tenant_id = m.tenant_id AND r.media_id = m.id), '') AS renditions"+
					" FROM media m WHERE m.tenant_id = ? AND m.id IN ("+in+") AND m.kind = ?", args...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
