package pagecache_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
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

// TestPageNotServedOnALaterDay: a page can change with the date alone (a
// document's expiry day passes, with no write to bump a generation), so
// a page rendered before midnight in Vietnam is rendered again after it,
// and not before.
func TestPageNotServedOnALaterDay(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	now := time.Now().UTC()
	if _, err := bdb.NewRaw(`INSERT INTO tenants (id, slug, name, kind, has_site, quota_per_week, onboarded_at, created_at, updated_at)
		VALUES ('t1', 't1', 'T1', 'unit', TRUE, 0, ?, ?, ?)`, now, now, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg := tenancy.NewRegistry(bdb, "localhost", log)
	if err := reg.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	// 23:59 in Vietnam (UTC+7) on 10/03/2027.
	clock := time.Date(2027, 3, 10, 16, 59, 0, 0, time.UTC)
	pc := pagecache.New(pagecache.Options{Budget: 1 << 20, Registry: reg, Generations: pagecache.NewGenerations(bdb, log),
		AdminHost: "admin.localhost", Log: log, Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }})
	renderer, err := web.NewRenderer(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	site := web.NewApp(web.ErrorHandler(renderer, log), 1<<20)
	site.Get("/", func(c *fiber.Ctx) error {
		c.Type("html", "utf-8")
		return c.SendString("<p>Văn bản còn hiệu lực</p>")
	})
	h := web.New(web.Options{Log: log, Registry: reg, Renderer: renderer, AdminHost: "admin.localhost", Site: site, PageCache: pc.Handler()}).Handler()
	xcache := func() string {
		var rc fasthttp.RequestCtx
		rc.Request.SetRequestURI("/")
		rc.Request.Header.SetHost("t1.localhost")
		h(&rc)
		return string(rc.Response.Header.Peek("X-Cache"))
	}
	if got := xcache(); got != "MISS" {
		t.Fatalf("first request: X-Cache %q", got)
	}
	if got := xcache(); got != "HIT" {
		t.Fatalf("same day: X-Cache %q, want HIT", got)
	}
	mu.Lock()
	clock = clock.Add(2 * time.Minute) // 00:01 on 11/03/2027 in Vietnam
	mu.Unlock()
	if got := xcache(); got != "MISS" {
		t.Errorf("after midnight in Vietnam: X-Cache %q, want MISS (a render for the new day)", got)
	}
	if got := xcache(); got != "HIT" {
		t.Errorf("the new day's page: X-Cache %q, want HIT", got)
	}
}
