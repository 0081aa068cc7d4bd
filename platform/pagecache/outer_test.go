package pagecache_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"
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
	return newOuter(tb, page, now, io.Discard).get
}

// outer is outerApp's world: get, and the database and log under it.
type outer struct {
	get func() string
	// fetch requests "/", taking gzip or not, and returns what a reader
	// would check of the answer.
	fetch func(gzip bool) answer
	bdb   *bun.DB
	// logs is the log, flushed before each read.
	logs func() string
}

func newOuter(tb testing.TB, page string, now func() time.Time, logTo io.Writer) *outer {
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
	var buf bytes.Buffer
	if logTo == nil {
		logTo = &buf
	}
	logOut := logging.NewWriter(logTo, 0)
	tb.Cleanup(func() { _ = logOut.Close() })
	log := logging.New("text", logOut)
	reg := tenancy.NewRegistry(bdb, "localhost", log)
	if err := reg.Refresh(ctx); err != nil {
		tb.Fatal(err)
	}
	gens := pagecache.NewGenerations(bdb, log)
	// This process's writes, through the hooked handle, mark the
	// generations for a reload, as the app's do.
	hooked := bdb.WithQueryHook(gens)
	pc := pagecache.New(pagecache.Options{Budget: 64 << 20, Registry: reg, Generations: gens,
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
	serve := func(gzip bool, read func(*fasthttp.Response)) {
		rc := pool.Get().(*fasthttp.RequestCtx)
		defer pool.Put(rc)
		rc.Request.Reset()
		rc.Response.Reset()
		rc.Request.SetRequestURI("/")
		rc.Request.Header.SetHost("t1.localhost")
		if gzip {
			rc.Request.Header.Set("Accept-Encoding", "gzip")
		}
		h(rc)
		read(&rc.Response)
	}
	return &outer{
		bdb: hooked,
		get: func() (xcache string) {
			serve(false, func(r *fasthttp.Response) { xcache = string(r.Header.Peek("X-Cache")) })
			return xcache
		},
		fetch: func(gzip bool) (a answer) {
			serve(gzip, func(r *fasthttp.Response) {
				h := &r.Header
				a = answer{xcache: string(h.Peek("X-Cache")), encoding: string(h.Peek("Content-Encoding")),
					csp: string(h.Peek("Content-Security-Policy")), id: string(h.Peek("X-Request-Id")), body: string(r.Body())}
			})
			return a
		},
		logs: func() string { _ = logOut.Flush(); return buf.String() },
	}
}

type answer struct{ xcache, encoding, csp, id, body string }

// TestConcurrentHits: readers served at once from one entry each get the
// whole page with its own request id, the security headers and the
// encoding they asked for (run with -race: they share the entry).
func TestConcurrentHits(t *testing.T) {
	page := strings.Repeat("<p>Nội dung trang chủ của đơn vị.</p>\n", 100)
	o := newOuter(t, page, nil, nil)
	if a := o.fetch(false); a.xcache != "MISS" || a.body != page {
		t.Fatalf("first request: X-Cache %q, %d bytes", a.xcache, len(a.body))
	}
	var wg sync.WaitGroup
	ids := make([][]string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				gz := (g+i)%2 == 0
				a := o.fetch(gz)
				want := ""
				if gz {
					want = "gzip"
				}
				if a.xcache != "HIT" || a.encoding != want || a.csp != web.SiteCSP || len(a.id) != 16 {
					t.Errorf("hit %d/%d: X-Cache %q, Content-Encoding %q (want %q), CSP %q, id %q", g, i, a.xcache, a.encoding, want, a.csp, a.id)
					return
				}
				if !gz && a.body != page {
					t.Errorf("hit %d/%d: %d bytes, want the page's %d", g, i, len(a.body), len(page))
					return
				}
				ids[g] = append(ids[g], a.id)
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, l := range ids {
		for _, id := range l {
			if seen[id] {
				t.Errorf("request id %s on two answers", id)
			}
			seen[id] = true
		}
	}
}

// A hit is logged with its tenant, also when the cache's middleware
// answers it: after a write of this process, the Front leaves the next
// request to it (the generations reload first), and the page it holds is
// still good when the write changed nothing of the tenant's.
func TestHitsAreLoggedWithTheirTenant(t *testing.T) {
	o := newOuter(t, "<p>Trang chủ</p>", nil, nil)
	if got := o.get(); got != "MISS" {
		t.Fatalf("first request: X-Cache %q", got)
	}
	if got := o.get(); got != "HIT" {
		t.Fatalf("second request: X-Cache %q", got)
	}
	if _, err := o.bdb.NewRaw("UPDATE tenants SET name = name WHERE id = 'no-such-tenant'").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := o.get(); got != "HIT" {
		t.Fatalf("after an unrelated write: X-Cache %q, want the page still held", got)
	}
	lines := strings.Split(strings.TrimSpace(o.logs()), "\n")
	var requests []string
	for _, l := range lines {
		if strings.Contains(l, "msg=request") {
			requests = append(requests, l)
		}
	}
	if len(requests) != 3 {
		t.Fatalf("want 3 access log lines, got %d:\n%s", len(requests), strings.Join(lines, "\n"))
	}
	for i, l := range requests {
		if !strings.Contains(l, " tenant=t1") {
			t.Errorf("request %d logged without its tenant: %s", i+1, l)
		}
	}
}
