package media

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/web"
)

// PublicCache is the Cache-Control of media on the public sites: an
// address never changes content (the media id names one stored object,
// the rendition path one resized copy of it).
const PublicCache = "public, max-age=31536000, immutable"

// Routes registers the public media route on a tenant site:
//
//	GET /media/<media-id>/<file-name>        the original
//	GET /media/<media-id>/r/<width>.<ext>    a rendition
//
// The tenant is the one whose host served the request; a media of any
// other tenant is not found, whatever id or name is asked for.
func (s *Service) Routes(r fiber.Router) {
	r.Get("/media/:id/*", s.servePublic)
}

func (s *Service) servePublic(c *fiber.Ctx) error {
	t := web.Tenant(c)
	if t == nil {
		return errNotFound()
	}
	return s.serve(c, t.ID, c.Params("id"), c.Params("*"), PublicCache)
}

// validID accepts what db.NewID makes (and nothing that could be a path).
func validID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r == '-') {
			return false
		}
	}
	return true
}

// served is the object a media address names.
type served struct {
	key, contentType, etag string
}

// resolve maps the rest of a media address to the original or a
// rendition of m.
func resolve(m *Media, rest string) (served, bool) {
	tag := m.SHA256
	if len(tag) > 32 {
		tag = tag[:32]
	}
	if w, ok := strings.CutPrefix(rest, "r/"); ok {
		for _, r := range m.Renditions {
			if w == strconv.Itoa(r.Width)+"."+r.Format {
				return served{key: r.ObjectKey, contentType: extType(r.Format), etag: `"` + tag + "-" + strconv.Itoa(r.Width) + `"`}, true
			}
		}
		return served{}, false
	}
	if rest == "" || strings.Contains(rest, "/") {
		return served{}, false
	}
	return served{key: m.ObjectKey, contentType: m.ContentType, etag: `"` + tag + `"`}, true
}

// serve answers a media address of tenant tenantID with the object's
// bytes: correct type, nosniff, attachment for documents, ETag with
// If-None-Match, and single byte ranges (video seeking).
func (s *Service) serve(c *fiber.Ctx, tenantID, id, rest, cacheControl string) error {
	if !validID(id) {
		return errNotFound()
	}
	ctx := context.WithoutCancel(c.UserContext()) // the body is sent after the handler returns
	m, err := Get(ctx, s.db, tenantID, id)
	if err != nil {
		return err
	}
	obj, ok := resolve(m, rest)
	if !ok {
		return errNotFound()
	}
	if etagMatch(c.Get(fiber.HeaderIfNoneMatch), obj.etag) {
		setHeaders(c, m, obj, cacheControl)
		return c.SendStatus(fiber.StatusNotModified)
	}
	o, err := s.store.Open(ctx, obj.key)
	if blob.IsNotFound(err) {
		s.log.Warn("media object missing", "tenant", tenantID, "media", id, "key", obj.key)
		return errNotFound()
	}
	if err != nil {
		return err
	}
	h := &c.Response().Header
	size := o.Info().Size
	start, length, status := int64(0), size, fiber.StatusOK
	if rg := c.Get(fiber.HeaderRange); rg != "" && ifRange(c.Get(fiber.HeaderIfRange), obj.etag) {
		st, n, ok, satisfiable := parseRange(rg, size)
		switch {
		case ok && !satisfiable:
			_ = o.Close()
			h.Set(fiber.HeaderContentRange, "bytes */"+strconv.FormatInt(size, 10))
			return c.SendStatus(fiber.StatusRequestedRangeNotSatisfiable)
		case ok:
			start, length, status = st, n, fiber.StatusPartialContent
			h.Set(fiber.HeaderContentRange, "bytes "+strconv.FormatInt(st, 10)+"-"+strconv.FormatInt(st+n-1, 10)+"/"+strconv.FormatInt(size, 10))
		}
	}
	if start > 0 {
		if _, err := o.Seek(start, io.SeekStart); err != nil {
			_ = o.Close()
			return err
		}
	}
	setHeaders(c, m, obj, cacheControl)
	c.Status(status)
	if c.Method() == fiber.MethodHead {
		_ = o.Close()
		h.SetContentLength(int(length))
		c.Context().Response.SkipBody = true
		return nil
	}
	c.Context().SetBodyStream(&objectBody{Reader: io.LimitReader(o, length), c: o}, int(length))
	return nil
}

// setHeaders writes the headers of a successful media answer.
func setHeaders(c *fiber.Ctx, m *Media, obj served, cacheControl string) {
	h := &c.Response().Header
	h.Set(fiber.HeaderContentType, obj.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set(fiber.HeaderCacheControl, cacheControl)
	h.Set(fiber.HeaderETag, obj.etag)
	h.Set(fiber.HeaderLastModified, m.CreatedAt.UTC().Format(http.TimeFormat))
	h.Set(fiber.HeaderAcceptRanges, "bytes")
	disp := "inline"
	if m.Download() {
		disp = "attachment"
	}
	h.Set(fiber.HeaderContentDisposition, disp+`; filename="`+m.FileName()+`"; filename*=UTF-8''`+rfc5987(m.DownloadName()))
}

// rfc5987 percent-encodes s for a filename* parameter.
func rfc5987(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// objectBody is a response body fasthttp closes when it is sent.
type objectBody struct {
	io.Reader
	c io.Closer
}

func (b *objectBody) Close() error { return b.c.Close() }

// etagMatch implements If-None-Match (weak comparison, lists, "*").
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// ifRange reports whether a Range applies given If-Range: no If-Range, or
// the current ETag (a date is not trusted: send everything).
func ifRange(header, etag string) bool { return header == "" || header == etag }

// parseRange reads a single "bytes=" range against size. ok=false means
// the header is to be ignored (malformed, or several ranges: the whole
// object is sent); satisfiable=false means 416.
func parseRange(h string, size int64) (start, length int64, ok, satisfiable bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, false
	}
	a, b, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false, false
	}
	if a == "" { // suffix: the last b bytes
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, false, false
		}
		if n == 0 || size == 0 {
			return 0, 0, true, false
		}
		n = min(n, size)
		return size - n, n, true, true
	}
	st, err := strconv.ParseInt(a, 10, 64)
	if err != nil || st < 0 {
		return 0, 0, false, false
	}
	end := size - 1
	if b != "" {
		e, err := strconv.ParseInt(b, 10, 64)
		if err != nil || e < st {
			return 0, 0, false, false
		}
		end = min(e, size-1)
	}
	if st >= size {
		return 0, 0, true, false
	}
	return st, end - st + 1, true, true
}
