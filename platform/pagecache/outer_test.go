package pagecache_test

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/logging"
	"github.com/trangtin/trangtin/platform/pagecache"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/templates"
)

// outerApp is the whole outer application (request id, access log,
// security headers, the page cache) in front of a site whose "/" answers
// page, for the tenant t1.localhost; now is the cache's clock (nil: the
// real one). get requests "/" and returns its X-Cache header; it reuses
// one request context per goroutine, as the server does per connection.
func outerApp(tb testing.TB, page string, now func() time.Time) (get func() string) {
	tb.Helper()
	ctx := context.Background()
	bdb := dbtest.New(tb)
	at := time.Now().UTC()
	if _, err := bdb.NewRaw(`INSERT INTO tenants (id, slug, name, kind, has_site, quota_per_week, onboarded_at, created_at, updated_at)
		VALUES ('t1', 't1', 'T1', 'unit', TRUE, 0, ?, ?, ?)`, at, at, at).Exec(ctx); err != nil {
		tb.Fatal(err)
	}
	// The log as trangtin serve writes it: records into a buffer, the
	// access log's lines encoded without slog.
	logOut := logging.NewWriter(io.Discard, 0)
	tb.Cleanup(func() { _ = logOut.Close() })
	log := logging.New("text", logOut)
	reg := tenancy.NewRegistry(bdb, "localhost", log)
	if err := reg.Refresh(ctx); err != nil {
		tb.Fatal(err)
	}
	pc := pagecache.New(pagecache.Options{Budget: 64 << 20, Registry: reg, Generations: pagecache.NewGenerations(bdb, log),
		AdminHost: "admin.localhost", Log: log, Now: now})
	renderer, err := web.NewRenderer(templates.FS)
	if err != nil {
		tb.Fatal(err)
	}
	site := web.NewApp(web.ErrorHandler(renderer, log), 1<<20)
	site.Get("/", func(c *fiber.Ctx) error { c.Type("html", "utf-8"); return c.SendString(page) })
	h := web.New(web.Options{Log: log, Registry: reg, Renderer: renderer, AdminHost: "admin.localhost", Site: site,
		Front: pc.Front(), PageCache: pc.Handler(), Access: logging.NewAccess(log, "text", logOut)}).Server().Handler
	pool := sync.Pool{New: func() any { return new(fasthttp.RequestCtx) }}
	return func() string {
		rc := pool.Get().(*fasthttp.RequestCtx)
		defer pool.Put(rc)
		rc.Request.Reset()
		rc.Response.Reset()
		rc.Request.SetRequestURI("/")
		rc.Request.Header.SetHost("t1.localhost")
		h(rc)
		return string(rc.Response.Header.Peek("X-Cache"))
	}
}
