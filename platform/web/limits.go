package web

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
)

// Request bodies.
//
// Every app streams request bodies (Fiber's StreamRequestBody): fasthttp
// reads at most 8 KB before a handler runs and Fiber's BodyLimit is not
// applied to a stream, so a handler calling c.Body() or c.FormValue() would
// read whatever the client sends. limitBody is the one place that bounds
// what is read, before any route runs:
//
//   - every route gets the small limit (forms and JSON): a larger
//     Content-Length is refused with 413 before a byte is read; a chunked
//     body is read up to the limit and refused with 413 beyond it. The body
//     is then in memory and every later reader (CSRF check, input check,
//     handler) sees it;
//   - the upload routes (Options.Uploads) get the media limit and stay
//     streamed: a larger Content-Length is refused the same way, and a
//     chunked body is read through BodyStream, which fails with the same
//     413 once it passes the limit.

// DefaultBodyLimit is the body limit of every route that is not an upload.
const DefaultBodyLimit = 1 << 20

type keyBodyStream struct{}

// BodyStream is the request body of an upload route as a stream bounded by
// the route's limit (an error classified 413 past it), or nil when the
// body is not streamed. Upload handlers read it instead of the raw
// fasthttp stream. An app served without the outer app (a test, a
// benchmark) gets the raw stream.
func BodyStream(c *fiber.Ctx) io.Reader {
	if r, ok := c.Locals(keyBodyStream{}).(io.Reader); ok {
		return r
	}
	if r := c.Context().RequestBodyStream(); r != nil {
		return r
	}
	return nil
}

// ErrBodyTooLarge is the refusal of a body over limit bytes: 413, code
// body_too_large.
func ErrBodyTooLarge(limit int64) error { return &bodyTooLarge{limit: limit} }

// IsBodyTooLarge reports whether err is (or wraps) an ErrBodyTooLarge, for
// readers that would otherwise call a failed read a broken upload.
func IsBodyTooLarge(err error) bool {
	var b *bodyTooLarge
	return errors.As(err, &b)
}

type bodyTooLarge struct{ limit int64 }

func (b *bodyTooLarge) Error() string { return fmt.Sprintf("request body over %d bytes", b.limit) }

// Unwrap gives errs its code and message, and the web layer its status.
func (b *bodyTooLarge) Unwrap() error {
	return errs.TooLarge("body", "body_too_large", "Dữ liệu gửi lên quá lớn (tối đa "+size(b.limit)+")")
}

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d byte", n)
}

// Route names a route of the admin host by method and path pattern, where
// a segment ":name" matches any one segment: "POST /t/:slug/thu-vien".
type Route string

func (r Route) matches(method, path string) bool {
	m, pattern, ok := strings.Cut(string(r), " ")
	if !ok || !strings.EqualFold(m, method) {
		return false
	}
	want := strings.Split(strings.Trim(pattern, "/"), "/")
	got := strings.Split(strings.Trim(path, "/"), "/")
	if len(want) != len(got) {
		return false
	}
	for i, w := range want {
		if !strings.HasPrefix(w, ":") && w != got[i] || got[i] == "" {
			return false
		}
	}
	return true
}

// isUpload reports whether the request is one of the upload routes (they
// exist on the admin host only).
func (o Options) isUpload(c *fiber.Ctx) bool {
	if Host(c) != o.AdminHost {
		return false
	}
	for _, r := range o.Uploads {
		if r.matches(c.Method(), c.Path()) {
			return true
		}
	}
	return false
}

func limitBody(o Options) fiber.Handler {
	small := o.BodyLimit
	if small <= 0 {
		small = DefaultBodyLimit
	}
	return func(c *fiber.Ctx) error {
		req := &c.Context().Request
		limit, upload := small, o.isUpload(c)
		if upload && o.UploadLimit > 0 {
			limit = o.UploadLimit
		}
		if cl := req.Header.ContentLength(); cl > 0 && int64(cl) > limit {
			c.Context().SetConnectionClose()
			return ErrBodyTooLarge(limit)
		}
		stream := c.Context().RequestBodyStream()
		if stream == nil {
			if int64(len(req.Body())) > limit {
				return ErrBodyTooLarge(limit)
			}
			return c.Next()
		}
		if upload {
			body := &cappedReader{r: stream, left: limit, limit: limit}
			c.Locals(keyBodyStream{}, body)
			err := c.Next()
			// The body may have been handed to another goroutine: the object
			// store's HTTP client writes a request body from its own, and can
			// still be reading it after the upload returned on an error.
			// fasthttp reads the connection's next request from the same
			// buffer, so from here on no read may reach it.
			if !body.detach() {
				c.Context().SetConnectionClose() // the rest of the body is unread
			}
			return err
		}
		body, err := io.ReadAll(io.LimitReader(stream, limit+1))
		if err != nil {
			c.Context().SetConnectionClose()
			return errs.Invalid("body", "body_unreadable", "Không đọc được dữ liệu gửi lên")
		}
		if int64(len(body)) > limit {
			c.Context().SetConnectionClose()
			return ErrBodyTooLarge(limit)
		}
		// The body is now in memory: every later reader (CSRF token, input
		// check, handler) sees it without touching the connection.
		req.SetBodyRaw(body)
		return c.Next()
	}
}

// cappedReader fails with ErrBodyTooLarge once more than limit bytes were
// read, and with errBodyDetached once its request has ended.
type cappedReader struct {
	mu          sync.Mutex
	r           io.Reader
	left, limit int64
	eof         bool // the whole body was read
	detached    bool
}

// errBodyDetached is what a read gets once the request it belongs to has
// ended.
var errBodyDetached = errors.New("the request has ended; its body can no longer be read")

func (c *cappedReader) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.detached {
		return 0, errBodyDetached
	}
	if c.left < 0 {
		return 0, ErrBodyTooLarge(c.limit)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, ErrBodyTooLarge(c.limit)
	}
	if errors.Is(err, io.EOF) {
		c.eof = true
	}
	return n, err
}

// detach ends reading, waiting for a read in progress, and reports
// whether the body had been read to its end.
func (c *cappedReader) detach() (complete bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.detached = true
	return c.eof
}
