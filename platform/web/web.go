// Package web builds the one Fiber application that serves every host: it
// gives each request an id, recovers panics, logs access, decides the real
// host and client address (believing forwarding headers only from trusted
// proxies), answers /healthz and /readyz, and hands the request to the admin
// app or to the public site app of the tenant the host names. Every error
// goes back to ErrorHandler; nothing else writes an error response.
package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/i18n"
	"github.com/trangtin/trangtin/platform/logging"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// Check is one readiness probe (database, media store).
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
}

// Options configures the outer application.
type Options struct {
	Log *slog.Logger
	// Access writes the access log (through Log when nil).
	Access         *logging.Access
	Registry       *tenancy.Registry
	Renderer       *Renderer
	AdminHost      string
	TrustedProxies []netip.Prefix
	AdminAllow     []netip.Prefix
	Checks         []Check
	// Site serves public pages of the resolved tenant; Admin serves the
	// console and the API. Either may be nil (then 404).
	Site  *fiber.App
	Admin *fiber.App
	// StaticFiles serves /static/ on every host.
	Static fiber.Handler
	// Live are the liveness checks of /healthz: they fail only when this
	// process can no longer serve (a wedged pool), never because a
	// dependency is down (that is /readyz).
	Live []Check

	// BodyLimit bounds the body of every route but the uploads (default
	// DefaultBodyLimit); UploadLimit bounds the bodies of Uploads, the
	// upload routes of the admin host (see limits.go).
	BodyLimit   int64
	UploadLimit int64
	Uploads     []Route
	// RequestTimeout is every request's deadline (default
	// DefaultRequestTimeout); ClientWatch how often a running request
	// looks whether its client left (default 250 ms). WriteSlots bounds
	// the unsafe requests running at once (0: no bound). See deadline.go.
	RequestTimeout time.Duration
	ClientWatch    time.Duration
	WriteSlots     int

	// Front, when set, may answer a request before the Fiber app (the
	// page cache's hits: front.go); PageCache, when set, is the first
	// middleware after the recoverer (the page cache's misses, which it
	// stores).
	Front     Front
	PageCache fiber.Handler

	// Errors adjust the error handler of the outer app (the errors of
	// the shared middleware: a body over its limit, a refused network),
	// as the inner apps' own handlers are: ConsoleErrors, MapErrors.
	Errors []ErrorOption
}

// uploadReadTimeout is how long a client may take to send a request (and
// the extra time an upload route gets, as it reads its body itself).
const uploadReadTimeout = 60 * time.Second

// NewApp returns a Fiber app configured as every app of the platform must
// be: immutable strings (values taken from a request never alias a reused
// buffer), our error handler, no server banner, limits on bodies.
func NewApp(h fiber.ErrorHandler, bodyLimit int) *fiber.App {
	app := fiber.New(fiber.Config{
		Immutable:             true,
		DisableStartupMessage: true,
		ErrorHandler:          h,
		// With StreamRequestBody Fiber does not apply BodyLimit: the outer
		// app's limitBody bounds what is read (limits.go).
		BodyLimit:         bodyLimit,
		ReadTimeout:       uploadReadTimeout,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		StreamRequestBody: true,
		// Uploads are read as a stream by the media handler; pre-parsing
		// would buffer every multipart body before authentication.
		DisablePreParseMultipartForm: true,
		ReadBufferSize:               16 * 1024,
		// Every answer leaves in one system call with its headers: one
		// that fits is copied into this buffer, a larger one (a home,
		// about 64 KB) is sent by fasthttp with writev from where it
		// already is, the cached entry or the rendered body. A 128 KB
		// buffer that held every page cost a copy of the page per answer,
		// a tenth of a cached home's CPU (bench/README.md, stop 30).
		// Buffers go back to the pool after each response, so idle
		// keep-alive connections hold none.
		WriteBufferSize:   16 * 1024,
		ReduceMemoryUsage: true,
	})
	app.Use(inheritContext)
	return app
}

// New builds the outer app: shared middleware, probes, and host dispatch.
// What every request needs before any route (its record, the security
// headers, the access log, the Front) runs in the server's handler around
// Fiber's (outer): serve the app with Listener, Test or Server().Handler,
// not with Handler(), which is Fiber's alone.
func New(o Options) *fiber.App {
	app := NewApp(ErrorHandler(o.Renderer, o.Log, o.Errors...), 64<<20)
	app.Use(requestContext)
	app.Use(recoverer(o.Log))
	if o.PageCache != nil {
		app.Use(o.PageCache)
	}
	app.Use(requestDeadline(o), limitBody(o), checkInput(o))
	app.Get("/healthz", probe(o.Live, 10*time.Second))
	app.Get("/readyz", probe(o.Checks, 3*time.Second))
	if o.Static != nil {
		app.Get("/static/*", o.Static)
	}
	app.Use(writeBudget(o))
	var siteHandler, adminHandler func(c *fiber.Ctx) error
	if o.Site != nil {
		h := o.Site.Handler()
		siteHandler = func(c *fiber.Ctx) error { h(c.Context()); return nil }
	}
	if o.Admin != nil {
		h := o.Admin.Handler()
		adminHandler = func(c *fiber.Ctx) error { h(c.Context()); return nil }
	}
	app.Use(func(c *fiber.Ctx) error {
		host := Host(c)
		if host == o.AdminHost {
			if !allowed(o.AdminAllow, info(c).client) {
				return errs.Forbidden("admin_network", "Trang quản trị không cho phép truy cập từ mạng này")
			}
			if adminHandler == nil {
				return fiber.ErrNotFound
			}
			return adminHandler(c)
		}
		t, ok := o.Registry.Resolve(host)
		if !ok || t.Status == tenancy.StatusMerged {
			return moved(c, o.Registry, host)
		}
		if !t.HasSite {
			return ErrUnknownSite
		}
		if err := closedSite(c, t); err != nil {
			return err
		}
		SetTenant(c, t)
		if siteHandler == nil {
			return fiber.ErrNotFound
		}
		return siteHandler(c)
	})
	// Handler builds the route tree, which Server().Handler alone does not.
	app.Server().Handler = outer(&o, app.Handler())
	return app
}

// ErrUnknownSite answers a host that names no serving tenant: a plain 404
// that names no tenant.
var ErrUnknownSite = errs.NotFound("site_not_found", "Không tìm thấy trang thông tin")

// SuspendedRetryAfter is what a suspended site tells clients to wait, in
// seconds: a suspension is an administrative decision, not an outage, so
// crawlers are asked back in an hour rather than hammering.
const SuspendedRetryAfter = "3600"

// CodeSiteSuspended is the error code of a suspended tenant's site (503).
const CodeSiteSuspended = "site_suspended"

// moved answers a host that serves no site by itself: 301 to where its
// addresses live now (an old slug, a removed domain, a merged tenant), or
// the plain 404.
func moved(c *fiber.Ctx, reg *tenancy.Registry, host string) error {
	to, path, ok := reg.Moved(host, c.Path())
	if !ok || !to.HasSite {
		return ErrUnknownSite
	}
	if path == c.Path() {
		path = string(c.Request().URI().PathOriginal())
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
	}
	scheme := "http://"
	if Secure(c) {
		scheme = "https://"
	}
	loc := scheme + reg.PrimaryHost(to) + RequestPort(c) + path
	if q := c.Request().URI().QueryString(); len(q) > 0 {
		loc += "?" + string(q)
	}
	return c.Redirect(loc, fiber.StatusMovedPermanently)
}

// closedSite answers a tenant that is not active: a suspended site is 503
// with a notice and Retry-After; an archived one stays readable (its pages
// show a banner) but takes nothing (no form posts).
func closedSite(c *fiber.Ctx, t *tenancy.Tenant) error {
	switch t.Status {
	case tenancy.StatusSuspended:
		c.Set(fiber.HeaderRetryAfter, SuspendedRetryAfter)
		return &errs.Error{Kind: errs.KindUnavailable, Code: CodeSiteSuspended,
			Message: "Trang thông tin điện tử " + t.Name + " đang tạm ngừng hoạt động. Mời quý vị quay lại sau."}
	case tenancy.StatusArchived:
		if m := c.Method(); m != fiber.MethodGet && m != fiber.MethodHead {
			return errs.Conflict("site_archived", "Trang thông tin điện tử "+t.Name+" đã ngừng cập nhật và chỉ còn để tra cứu")
		}
	}
	return nil
}

func allowed(nets []netip.Prefix, addr netip.Addr) bool {
	if len(nets) == 0 {
		return true
	}
	if !addr.IsValid() {
		return false
	}
	addr = addr.Unmap()
	for _, n := range nets {
		if n.Contains(addr) {
			return true
		}
	}
	return false
}

// newRequest assigns the request id and works out host, client address,
// scheme and language once, for every later handler. A request target
// that names another host than Host is kept as the record's err, for the
// Fiber app to answer with its error page.
func newRequest(fctx *fasthttp.RequestCtx, o *Options, records *sync.Pool) *request {
	r := records.Get().(*request)
	r.records = records
	r.idBytes = newRequestID()
	peer, _ := netip.AddrFromSlice(fctx.RemoteIP())
	peer = peer.Unmap()
	// An absolute-form request target naming another host than the
	// Host header is refused, so the tenant is the one an ingress
	// routed by Host.
	r.err = checkRequestTarget(&fctx.Request.Header)
	h := &fctx.Request.Header
	host := string(h.Host())
	client := peer
	secure := fctx.IsTLS()
	if allowedNonEmpty(o.TrustedProxies, peer) {
		// Each value is read from the right, where the trusted proxy
		// next to us wrote it; what is further left came from the client.
		if fh := lastValue(string(h.Peek("X-Forwarded-Host"))); fh != "" {
			host = fh
		}
		if ff := h.Peek("X-Forwarded-For"); len(ff) > 0 {
			client = forwardedClient(string(ff), o.TrustedProxies, peer)
		}
		if p := lastValue(string(h.Peek("X-Forwarded-Proto"))); p != "" {
			secure = strings.EqualFold(p, "https")
		}
	}
	r.host, r.hostPort = tenancy.NormalizeHost(host), strings.ToLower(strings.TrimSpace(host))
	r.client, r.secure = client, secure
	if q := fctx.QueryArgs().Peek("lang"); len(q) > 0 {
		r.lang = i18n.Parse(string(q))
	} else {
		r.lang = i18n.Parse(string(h.Cookie("lang")))
	}
	return r
}

// requestContext answers, through the error handler, a request the outer
// handler found malformed (newRequest).
func requestContext(c *fiber.Ctx) error {
	if err := info(c).err; err != nil {
		return err
	}
	return c.Next()
}

// lastValue is the right-most non-empty entry of a comma-separated header.
func lastValue(header string) string {
	parts := strings.Split(header, ",")
	for i := len(parts) - 1; i >= 0; i-- {
		if p := strings.TrimSpace(parts[i]); p != "" {
			return p
		}
	}
	return ""
}

// checkRequestTarget refuses a request whose request line names a host
// (absolute form, "GET http://other/ HTTP/1.1") other than its Host header.
// fasthttp (RFC 9112 §3.2.2) replaces the Host header with the request
// line's authority, so the header the client sent is read from the raw
// headers.
func checkRequestTarget(h *fasthttp.RequestHeader) error {
	target := h.RequestURI()
	if len(target) == 0 || target[0] == '/' || string(target) == "*" {
		return nil
	}
	u, err := url.Parse(string(target))
	if err != nil || u.Host == "" {
		return errs.Invalid("host", "request_target_invalid", "Dòng yêu cầu không hợp lệ")
	}
	if sent := rawHeader(h.RawHeaders(), "Host"); sent != "" && tenancy.NormalizeHost(u.Host) != tenancy.NormalizeHost(sent) {
		return errs.Invalid("host", "host_mismatch", "Địa chỉ trong dòng yêu cầu khác với tiêu đề Host")
	}
	return nil
}

// rawHeader is the first value of the header name in a request's header
// lines as received, "" when it is not there.
func rawHeader(raw []byte, name string) string {
	for line := range bytes.Lines(raw) {
		k, v, ok := bytes.Cut(line, []byte{':'})
		if ok && bytes.EqualFold(bytes.TrimSpace(k), []byte(name)) {
			return string(bytes.TrimSpace(v))
		}
	}
	return ""
}

func allowedNonEmpty(nets []netip.Prefix, addr netip.Addr) bool {
	return len(nets) > 0 && allowed(nets, addr)
}

// forwardedClient walks X-Forwarded-For from the right, skipping trusted
// proxies, and returns the first address that is not one: the left-most
// entries are whatever the client chose to send.
func forwardedClient(header string, trusted []netip.Prefix, peer netip.Addr) netip.Addr {
	parts := strings.Split(header, ",")
	for i := len(parts) - 1; i >= 0; i-- {
		p := strings.TrimSpace(parts[i])
		addr, err := netip.ParseAddr(p)
		if err != nil {
			return peer
		}
		if !allowed(trusted, addr) {
			return addr
		}
	}
	return peer
}

// headerRequestID is the request id's header name in fasthttp's canonical
// form (SetCanonical, see commonHeaders).
var headerRequestID = HeaderName("X-Request-ID")

// newRequestID is 16 hex digits of a 64-bit random number. The id ties a
// request's log lines and error page together and guards nothing, so it
// comes from the runtime's per-thread generator (math/rand/v2): reading
// crypto/rand was a fiftieth of a cached page's CPU (issue 13).
func newRequestID() [16]byte {
	const digits = "0123456789abcdef"
	var b [16]byte
	v := rand.Uint64() // #nosec G404 -- a correlation id, not a secret
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = digits[v&0xf]
		v >>= 4
	}
	return b
}

func recoverer(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic", "request_id", RequestID(c), "host", Host(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return c.Next()
	}
}

// probe answers /healthz or /readyz: 200 when every check passes within
// timeout, else 503; the body names each check, never its error.
func probe(checks []Check, timeout time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), timeout)
		defer cancel()
		out := map[string]string{}
		ok := true
		for _, ch := range checks {
			if err := ch.Fn(ctx); err != nil {
				out[ch.Name] = "down"
				ok = false
				continue
			}
			out[ch.Name] = "ok"
		}
		status := "ok"
		code := fiber.StatusOK
		if !ok {
			status, code = "unavailable", fiber.StatusServiceUnavailable
		}
		body := map[string]any{"status": status}
		if len(checks) > 0 {
			body["checks"] = out
		}
		b, _ := json.Marshal(body)
		c.Status(code)
		c.Type("json")
		return c.Send(b)
	}
}
