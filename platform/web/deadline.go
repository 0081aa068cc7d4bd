package web

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
)

// Bounded waits.
//
// A request's work is cancelled when nobody can receive its answer any
// more, so that it neither holds a database connection nor commits behind
// the client's back:
//
//   - every request's context (c.UserContext, in every app) carries a
//     deadline, Options.RequestTimeout; a query still running then is
//     cancelled and its transaction rolled back;
//   - once a request has run for a moment, the connection is watched:
//     when the client closes it (orderly close seen with a non-consuming
//     peek on the socket), the context is cancelled at once;
//   - unsafe requests (the ones that may write) take one of
//     Options.WriteSlots before they run, so stuck writers can hold at
//     most that many database connections and readers always find one.
//     A writer that cannot get a slot before its deadline gets 503 with
//     Retry-After.
//
// Fiber gives each app its own Ctx, so the context travels to the site and
// admin apps through the request's locals (inheritContext).

type keyContext struct{}

// DefaultRequestTimeout bounds a request when Options.RequestTimeout is 0.
const DefaultRequestTimeout = 30 * time.Second

// inheritContext gives an app's Ctx the request context set by the outer
// app, if any. NewApp installs it first in every app.
func inheritContext(c *fiber.Ctx) error {
	if ctx, ok := c.Locals(keyContext{}).(context.Context); ok {
		c.SetUserContext(ctx)
	}
	return c.Next()
}

// requestDeadline sets the request context: a deadline and cancellation
// when the client goes away.
func requestDeadline(o Options) fiber.Handler {
	timeout := o.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	watch := o.ClientWatch
	if watch <= 0 {
		watch = 250 * time.Millisecond
	}
	return func(c *fiber.Ctx) error {
		limit := timeout
		if o.isUpload(c) {
			limit += uploadReadTimeout // the body is read inside the handler
		}
		ctx, cancel := context.WithTimeoutCause(context.Background(), limit, errRequestTimeout)
		defer cancel()
		stop := watchClient(c.Context().Conn(), watch, cancel)
		defer stop()
		c.SetUserContext(ctx)
		c.Locals(keyContext{}, ctx)
		return c.Next()
	}
}

var errRequestTimeout = errors.New("request deadline passed")

// watchClient cancels when the client closes conn, looking every interval
// once the request has lasted that long (most requests end before the
// first look); stop ends the watch.
func watchClient(conn net.Conn, interval time.Duration, cancel context.CancelFunc) (stop func()) {
	if conn == nil || !canPeek(conn) {
		return func() {}
	}
	var mu sync.Mutex
	stopped := false
	var t *time.Timer
	look := func() {
		if peerClosed(conn) {
			cancel()
			return
		}
		mu.Lock()
		if !stopped {
			t.Reset(interval)
		}
		mu.Unlock()
	}
	mu.Lock()
	t = time.AfterFunc(interval, look)
	mu.Unlock()
	return func() {
		mu.Lock()
		stopped = true
		t.Stop()
		mu.Unlock()
	}
}

// writeBudget admits at most slots unsafe requests at once; 0 is no limit.
// Upload routes are not counted: they stream their body first and hold no
// connection while doing so.
func writeBudget(o Options) fiber.Handler {
	if o.WriteSlots <= 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	slots := make(chan struct{}, o.WriteSlots)
	return func(c *fiber.Ctx) error {
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
			return c.Next()
		}
		if o.isUpload(c) {
			return c.Next()
		}
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		case <-c.UserContext().Done():
			return errBusy(context.Cause(c.UserContext()))
		}
		return c.Next()
	}
}

func errBusy(cause error) error {
	return errs.Unavailable("busy", "Máy chủ đang bận; vui lòng thử lại sau ít phút", cause)
}
