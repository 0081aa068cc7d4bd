package pagecache_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/pagecache"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/templates"
)

// BenchmarkHit is a cached 30 KB page through the whole outer application
// (request id, access log, security headers, the cache), without a
// network: what a hit costs this process.
func BenchmarkHit(b *testing.B) {
	ctx := context.Background()
	bdb := dbtest.New(b)
	now := time.Now().UTC()
	if _, err := bdb.NewRaw(`INSERT INTO tenants (id, slug, name, kind, has_site, quota_per_week, onboarded_at, created_at, updated_at)
		VALUES ('t1', 't1', 'T1', 'unit', TRUE, 0, ?, ?, ?)`, now, now, now).Exec(ctx); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg := tenancy.NewRegistry(bdb, "localhost", log)
	if err := reg.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	gens := pagecache.NewGenerations(bdb, log)
	pc := pagecache.New(pagecache.Options{Budget: 64 << 20, Registry: reg, Generations: gens, AdminHost: "admin.localhost", Log: log})
	renderer, err := web.NewRenderer(templates.FS)
	if err != nil {
		b.Fatal(err)
	}
	page := strings.Repeat("<p>Nội dung trang chủ của đơn vị.</p>\n", 800)
	site := web.NewApp(web.ErrorHandler(renderer, log), 1<<20)
	site.Get("/", func(c *fiber.Ctx) error { c.Type("html", "utf-8"); return c.SendString(page) })
	app := web.New(web.Options{Log: log, Registry: reg, Renderer: renderer, AdminHost: "admin.localhost", Site: site, PageCache: pc.Handler()})
	h := app.Handler()
	get := func() *fasthttp.RequestCtx {
		var rc fasthttp.RequestCtx
		rc.Request.SetRequestURI("/")
		rc.Request.Header.SetHost("t1.localhost")
		h(&rc)
		return &rc
	}
	if rc := get(); string(rc.Response.Header.Peek("X-Cache")) != "MISS" {
		b.Fatalf("first request: %d X-Cache %q", rc.Response.StatusCode(), rc.Response.Header.Peek("X-Cache"))
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if rc := get(); string(rc.Response.Header.Peek("X-Cache")) != "HIT" {
				b.Errorf("X-Cache %q", rc.Response.Header.Peek("X-Cache"))
				return
			}
		}
	})
}
