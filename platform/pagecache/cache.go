package pagecache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/trangtin/trangtin/platform/metrics"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
)

// Options configures a Cache.
type Options struct {
	// Budget is the memory for cached pages in bytes (TRANGTIN_PAGE_CACHE);
	// 0 turns the cache off.
	Budget      int64
	Registry    *tenancy.Registry
	Generations *Generations
	// AdminHost is never cached; a request carrying SessionCookie or an
	// Authorization header is neither served from nor stored in the cache.
	AdminHost     string
	SessionCookie string
	// Skip are path prefixes never cached (search, media files, probes).
	Skip []string
	// Params are the query parameters pages read (DefaultParams when nil).
	Params []string
	Log    *slog.Logger
	// Now is the clock (time.Now when nil): a page is never served on a
	// later Vietnam calendar day than it was rendered, because pages say
	// what depends on the date without any write ("Hết hiệu lực" of a
	// document whose expiry day has passed).
	Now func() time.Time
}

// DefaultSkip are the paths not cached by default: search results (any
// text makes a new page), media files (large, served by the media store
// with their own caching headers), static files and probes.
var DefaultSkip = []string{"/search", "/media/", "/static/", "/healthz", "/readyz"}

// Cache is the page cache.
type Cache struct {
	o      Options
	params map[string]bool
	store  *store
	loc    *time.Location // Vietnam's, for today
	day    atomic.Pointer[calendarDay]
	mu     sync.Mutex
	flight map[string]*call
	// Counters for the metrics.
	hits, misses, bypass atomic.Int64
}

type call struct {
	done chan struct{}
	e    *entry
}

// New returns a cache; nil when o.Budget is 0 (off).
func New(o Options) *Cache {
	if o.Budget <= 0 {
		return nil
	}
	if o.Params == nil {
		o.Params = DefaultParams
	}
	if o.Skip == nil {
		o.Skip = DefaultSkip
	}
	c := &Cache{o: o, params: map[string]bool{}, store: newStore(o.Budget), flight: map[string]*call{}, loc: vntext.Location()}
	for _, p := range o.Params {
		c.params[p] = true
	}
	return c
}

// today is the Vietnam calendar day, as yyyymmdd. Every lookup asks, so
// the day is worked out once and kept with the span of Unix seconds it
// covers.
func (pc *Cache) today() int {
	now := time.Now
	if pc.o.Now != nil {
		now = pc.o.Now
	}
	t := now()
	sec := t.Unix()
	if d := pc.day.Load(); d != nil && sec >= d.from && sec < d.until {
		return d.yyyymmdd
	}
	y, m, d := t.In(pc.loc).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, pc.loc)
	day := &calendarDay{from: start.Unix(), until: start.AddDate(0, 0, 1).Unix(), yyyymmdd: y*10000 + int(m)*100 + d}
	pc.day.Store(day)
	return day.yyyymmdd
}

// calendarDay is a day of the calendar and its span in Unix seconds.
type calendarDay struct {
	from, until int64
	yyyymmdd    int
}

// Stats reads the counters for the metrics.
func (pc *Cache) Stats() metrics.PageCacheStats {
	b, n := pc.store.usage()
	return metrics.PageCacheStats{Hits: pc.hits.Load(), Misses: pc.misses.Load(), Bypass: pc.bypass.Load(), Bytes: b, Entries: n}
}

// Front answers the requests the cache holds a fresh page for, before the
// Fiber app (web.Front); it declines all others, uncounted, for Handler.
// It never waits for the generations to reload after a write: Handler
// does, once.
func (pc *Cache) Front() web.Front {
	return func(fctx *fasthttp.RequestCtx, seen web.Seen) (*tenancy.Tenant, bool) {
		var buf [256]byte
		t, k, why := pc.cacheable(buf[:0], fctx, seen)
		if why != cacheableYes {
			return nil, false
		}
		gen, ok := pc.o.Generations.Current(t.ID)
		if !ok {
			return nil, false
		}
		e, _ := pc.lookup(t, k, gen)
		if e == nil {
			return nil, false
		}
		pc.hits.Add(1)
		serve(fctx, e)
		return t, true
	}
}

// Handler is the middleware; it belongs after the request context, the
// access log and the security headers, before everything else. Front
// answers most hits before it; it answers the others and renders, once per
// key, what it does not hold.
func (pc *Cache) Handler() fiber.Handler {
	return func(c *fiber.Ctx) error {
		fctx := c.Context()
		var buf [256]byte
		t, k, why := pc.cacheable(buf[:0], fctx, web.SeenOf(fctx))
		if why != cacheableYes {
			if why == cacheableBypass {
				pc.bypass.Add(1)
			}
			return c.Next()
		}
		// For the access log: a hit answered here goes no further, to the
		// host dispatch that names the tenant of the other requests.
		web.SetTenant(c, t)
		gen, err := pc.o.Generations.Of(c.UserContext(), t.ID)
		if err != nil {
			pc.o.Log.Warn("page cache: generations", "err", err)
			pc.bypass.Add(1)
			return c.Next()
		}
		e, v := pc.lookup(t, k, gen)
		if e != nil {
			pc.hits.Add(1)
			serve(fctx, e)
			return nil
		}
		pc.misses.Add(1)
		return pc.fill(c, string(k), t.ID, v)
	}
}

// version is what a page was rendered at: its tenant's content
// generation, the registry's and the Vietnam calendar day.
type version struct {
	gen    int64 // the tenant's content generation
	regGen int64 // the tenant registry's generation
	day    int   // yyyymmdd
}

// lookup is the entry of k if it is still good for t at its content
// generation gen (nil if there is none: a stale one is dropped), and the
// version a page rendered now would have.
func (pc *Cache) lookup(t *tenancy.Tenant, k []byte, gen int64) (*entry, version) {
	v := version{gen: gen, regGen: pc.o.Registry.Generation(), day: pc.today()}
	if e := pc.store.get(k); e != nil {
		if e.tenantID == t.ID && e.version == v {
			return e, v
		}
		pc.store.remove(k)
	}
	return nil, v
}

// Whether a request may be answered from the cache: cacheableNo is not a
// page (another method, the admin host, a skipped path, no site),
// cacheableBypass a page the cache must leave alone (a signed-in request,
// an unknown query parameter), counted as such.
const (
	cacheableYes = iota
	cacheableNo
	cacheableBypass
)

// cacheable resolves the tenant of a request the cache may answer, and
// appends its key to dst.
func (pc *Cache) cacheable(dst []byte, fctx *fasthttp.RequestCtx, seen web.Seen) (*tenancy.Tenant, []byte, int) {
	if !fctx.IsGet() && !fctx.IsHead() {
		return nil, nil, cacheableNo
	}
	if seen.Host == pc.o.AdminHost {
		return nil, nil, cacheableNo
	}
	path := fctx.URI().PathOriginal()
	for _, p := range pc.o.Skip {
		if bytes.HasPrefix(path, []byte(p)) {
			return nil, nil, cacheableNo
		}
	}
	t, ok := pc.o.Registry.Resolve(seen.Host)
	if !ok || !t.HasSite || (t.Status != tenancy.StatusActive && t.Status != tenancy.StatusArchived) {
		return nil, nil, cacheableNo
	}
	h := &fctx.Request.Header
	if len(h.Peek(fiber.HeaderAuthorization)) > 0 || (pc.o.SessionCookie != "" && len(h.Cookie(pc.o.SessionCookie)) > 0) {
		return nil, nil, cacheableBypass
	}
	k, ok := appendKey(dst, fctx, seen, pc.params)
	if !ok {
		return nil, nil, cacheableBypass
	}
	return t, k, cacheableYes
}

// fill renders a missing page once per key: the first request renders and
// stores, the others wait for it and are served its entry (or render
// themselves when it was not cacheable).
func (pc *Cache) fill(c *fiber.Ctx, k, tenantID string, v version) error {
	pc.mu.Lock()
	if cl, ok := pc.flight[k]; ok {
		pc.mu.Unlock()
		select {
		case <-cl.done:
		case <-c.UserContext().Done():
			return c.Next()
		case <-time.After(30 * time.Second):
			return c.Next()
		}
		if e := cl.e; e != nil && e.version == v && e.tenantID == tenantID {
			serve(c.Context(), e)
			return nil
		}
		return c.Next()
	}
	cl := &call{done: make(chan struct{})}
	pc.flight[k] = cl
	pc.mu.Unlock()
	defer func() {
		pc.mu.Lock()
		delete(pc.flight, k)
		pc.mu.Unlock()
		close(cl.done)
	}()
	if err := c.Next(); err != nil {
		return err
	}
	cl.e = pc.capture(c, k, tenantID, v)
	c.Response().Header.SetCanonical(headerXCache, stateMiss)
	return nil
}

// capture stores the response just rendered, if it may be cached.
func (pc *Cache) capture(c *fiber.Ctx, k, tenantID string, v version) *entry {
	resp := c.Response()
	if c.Method() != fiber.MethodGet || resp.StatusCode() != fiber.StatusOK || resp.IsBodyStream() ||
		len(resp.Header.Peek(fiber.HeaderSetCookie)) > 0 || len(resp.Header.Peek(fiber.HeaderContentEncoding)) > 0 {
		return nil
	}
	body := bytes.Clone(resp.Body())
	sum := sha256.Sum256(body)
	e := &entry{key: k, tenantID: tenantID, version: v, body: body,
		etag: []byte(`"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`)}
	e.gz = compress(body)
	h := &resp.Header
	h.SetCanonical(headerETag, e.etag)
	h.SetCanonical(headerLastModified, []byte(time.Now().UTC().Format(http.TimeFormat)))
	h.SetCanonical(headerVary, headerAcceptEncoding)
	// The request id is not on the header yet: the outer handler adds it
	// to every response once answered.
	h.CopyTo(&e.header)
	e.header.SetCanonical(headerXCache, stateHit)
	e.header.SetContentLength(len(body))
	e.headerBytes = len(e.header.Header())
	if e.gz != nil {
		e.header.CopyTo(&e.gzHeader)
		e.gzHeader.SetCanonical(headerContentEncoding, gzipName)
		e.gzHeader.SetContentLength(len(e.gz))
		e.headerBytes += len(e.gzHeader.Header())
	}
	if !pc.store.put(e) {
		return nil
	}
	if inm := c.Request().Header.Peek(fiber.HeaderIfNoneMatch); len(inm) > 0 && etagMatch(inm, e.etag) {
		// Re-rendered after an unrelated change, the same bytes: the
		// browser's copy is still good.
		c.Status(fiber.StatusNotModified)
		resp.ResetBody()
	}
	return e
}

// compress returns the gzip variant of body, nil when it is small or does
// not shrink much.
func compress(body []byte) []byte {
	if len(body) < 1024 {
		return nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body)
	if zw.Close() != nil || buf.Len() > len(body)*9/10 {
		return nil
	}
	return bytes.Clone(buf.Bytes())
}

// serve answers from an entry: 304 for a matching If-None-Match, else the
// body, compressed when the client takes gzip. The response's header is
// replaced by the entry's whole.
func serve(fctx *fasthttp.RequestCtx, e *entry) {
	h := &fctx.Response.Header
	if inm := fctx.Request.Header.Peek(fiber.HeaderIfNoneMatch); len(inm) > 0 && etagMatch(inm, e.etag) {
		e.header.CopyTo(h)
		fctx.SetStatusCode(fiber.StatusNotModified)
		return
	}
	if e.gz != nil && acceptsGzip(fctx.Request.Header.Peek(fiber.HeaderAcceptEncoding)) {
		e.gzHeader.CopyTo(h)
		fctx.Response.SetBodyRaw(e.gz)
		return
	}
	e.header.CopyTo(h)
	fctx.Response.SetBodyRaw(e.body)
}

func etagMatch(header, etag []byte) bool {
	for v := range bytes.SplitSeq(header, []byte(",")) {
		v = bytes.TrimSpace(v)
		if string(v) == "*" || bytes.Equal(bytes.TrimPrefix(v, []byte("W/")), etag) {
			return true
		}
	}
	return false
}

// The headers the cache sets, in fasthttp's canonical form, for
// SetCanonical: Set normalises each name and copies each value twice.
var (
	headerXCache          = web.HeaderName("X-Cache")
	headerETag            = web.HeaderName(fiber.HeaderETag)
	headerLastModified    = web.HeaderName(fiber.HeaderLastModified)
	headerVary            = web.HeaderName(fiber.HeaderVary)
	headerAcceptEncoding  = []byte(fiber.HeaderAcceptEncoding)
	headerContentEncoding = web.HeaderName(fiber.HeaderContentEncoding)
	gzipName              = []byte("gzip")
	stateHit, stateMiss   = []byte("HIT"), []byte("MISS")
)

func acceptsGzip(ae []byte) bool {
	if len(ae) == 0 {
		return false
	}
	for part := range strings.SplitSeq(string(ae), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			return !strings.Contains(strings.ReplaceAll(q, " ", ""), "q=0") || strings.Contains(q, "q=0.")
		}
	}
	return false
}
