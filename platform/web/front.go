package web

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/trangtin/trangtin/platform/i18n"
	"github.com/trangtin/trangtin/platform/logging"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// Seen is what the platform works out about every request before any
// handler: the normalised host, the host with its port as written
// (lower-cased), the scheme and the interface language.
type Seen struct {
	Host, HostPort string
	Secure         bool
	Lang           i18n.Lang
}

// SeenOf is what was worked out about the request of fctx (the zero Seen,
// in Vietnamese, outside the outer app).
func SeenOf(fctx *fasthttp.RequestCtx) Seen {
	r, ok := fctx.UserValue(keyRequest).(*request)
	if !ok {
		return Seen{Lang: i18n.VI}
	}
	return r.seen()
}

func (r *request) seen() Seen {
	return Seen{Host: r.host, HostPort: r.hostPort, Secure: r.secure, Lang: r.lang}
}

// A Front answers a request before the Fiber app, or declines (false) and
// leaves it untouched. It gets the request with what was seen of it, and
// names the tenant it answered for (nil for none), for the access log. Its
// answer is the whole response but the request id, which outer adds to
// every response. The page cache replays the headers its page was
// rendered with, the security headers among them; an answer without a
// Content-Security-Policy gets the security headers from outer. The page
// cache answers its hits there: a hit then costs no Fiber context, route
// walk or middleware (BenchmarkHit 2.2 → 1.9 µs, bench/README.md, stop 32).
type Front func(fctx *fasthttp.RequestCtx, seen Seen) (t *tenancy.Tenant, answered bool)

// outer is the server's handler: every request gets its record
// (newRequest), goes to the Front and, unless that answered, to the Fiber
// app with the security headers, and is logged once answered. The
// request id goes on the response last, so that a handler may replace the
// whole header (the page cache does) without losing it.
func outer(o *Options, app fasthttp.RequestHandler) fasthttp.RequestHandler {
	access := o.Access
	if access == nil {
		access = logging.NewAccess(o.Log, "", nil)
	}
	records := &sync.Pool{New: func() any { return new(request) }}
	return func(fctx *fasthttp.RequestCtx) {
		start := fctx.Time() // when the server read the request
		if start.IsZero() {
			start = time.Now() // a RequestCtx not from a server (tests)
		}
		r := newRequest(fctx, o, records)
		fctx.SetUserValue(keyRequest, r)
		if r.err == nil && o.Front != nil && front(o, fctx, r) {
			if len(fctx.Response.Header.PeekBytes(headerCSP)) == 0 {
				setSecurityHeaders(&fctx.Response.Header, r.host == o.AdminHost, r.secure)
			}
		} else {
			setSecurityHeaders(&fctx.Response.Header, r.host == o.AdminHost, r.secure)
			app(fctx)
		}
		fctx.Response.Header.SetCanonical(headerRequestID, r.idBytes[:])
		end := time.Now()
		rec := logging.Request{ID: r.idBytes[:], Method: fctx.Method(), Host: r.host, Path: fctx.URI().PathOriginal(),
			Status: fctx.Response.StatusCode(), DurationMS: end.Sub(start).Milliseconds(), IP: r.client, End: end}
		if r.tenant != nil {
			rec.Tenant = r.tenant.Slug
		}
		access.Log(logCtx(fctx), rec)
	}
}

// front runs o.Front on a request; a panic there is logged and the
// request goes on to the Fiber app with a fresh response.
func front(o *Options, fctx *fasthttp.RequestCtx, r *request) (answered bool) {
	defer func() {
		if p := recover(); p != nil {
			o.Log.Error("panic", "request_id", r.requestID(), "host", r.host, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			fctx.Response.Reset()
			answered = false
		}
	}()
	t, ok := o.Front(fctx, r.seen())
	if ok {
		r.tenant = t
	}
	return ok
}

// logCtx is the context the access log is written with: the request's
// own, which the Fiber app kept in its locals (requestDeadline), if any.
func logCtx(fctx *fasthttp.RequestCtx) context.Context {
	if ctx, ok := fctx.UserValue(keyContext{}).(context.Context); ok {
		return ctx
	}
	return context.Background()
}
