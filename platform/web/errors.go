package web

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// Status maps an error to its HTTP status.
func Status(err error) int {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	switch e := errs.As(err); {
	case e != nil:
		return classifiedStatus(e)
	case Unavailable(err):
		return fiber.StatusServiceUnavailable
	}
	return fiber.StatusInternalServerError
}

// classifiedStatus answers a classified error: by its reason where it has
// one, else by its kind.
func classifiedStatus(e *errs.Error) int {
	switch e.Reason {
	case errs.ReasonGone:
		return fiber.StatusGone
	case errs.ReasonTooLarge:
		return fiber.StatusRequestEntityTooLarge
	case errs.ReasonUnsupported:
		return fiber.StatusUnsupportedMediaType
	case errs.ReasonUnprocessable:
		return fiber.StatusUnprocessableEntity
	case errs.ReasonThrottled:
		return fiber.StatusTooManyRequests
	}
	switch e.Kind {
	case errs.KindNotFound:
		return fiber.StatusNotFound
	case errs.KindForbidden:
		return fiber.StatusForbidden
	case errs.KindInvalid:
		return fiber.StatusBadRequest
	case errs.KindConflict:
		return fiber.StatusConflict
	case errs.KindUnauthenticated:
		return fiber.StatusUnauthorized
	case errs.KindUnavailable:
		return fiber.StatusServiceUnavailable
	}
	return fiber.StatusInternalServerError
}

// RetryAfter is the Retry-After (seconds) of every 503.
const RetryAfter = "30"

// Unavailable reports whether an unclassified error means a dependency is
// down or too slow right now (a retry may succeed) rather than a bug: the
// request's deadline or cancellation, a network error, a closed or broken
// connection, PostgreSQL's connection, resource, shutdown, lock-timeout,
// statement-timeout, serialization and deadlock errors, SQLite's busy,
// locked, I/O, full and cannot-open errors. Driver errors are recognised
// by their methods (SQLState, Code), so this package imports no driver.
func Unavailable(err error) bool {
	var ne net.Error
	switch {
	case err == nil:
		return false
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.As(err, &ne):
		return true
	}
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		st := pg.SQLState()
		switch {
		case strings.HasPrefix(st, "08"), strings.HasPrefix(st, "53"), strings.HasPrefix(st, "57"),
			st == "55P03", st == "40001", st == "40P01":
			return true
		}
		return false
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff {
		case 5, 6, 10, 13, 14: // BUSY, LOCKED, IOERR, FULL, CANTOPEN
			return true
		}
	}
	// database/sql's own error for a pool closed at shutdown has no
	// exported value.
	return strings.Contains(err.Error(), "sql: database is closed")
}

// ErrorPage is the data of an error template.
type ErrorPage struct {
	Status  int
	Code    string
	Title   string
	Message string
	// Tenant is the site the error happened on, nil on the console and
	// the platform's own host: a site's error page carries its header,
	// search box, footer and a link home.
	Tenant *tenancy.Tenant
	// Shell and Back are set on a console page (ConsoleErrors): the
	// console layout's data (nil before sign-in, or when it cannot be
	// built) and the address of the link back, with its label.
	Shell     any
	Back      string
	BackLabel string
}

// ErrorOption adjusts an ErrorHandler.
type ErrorOption func(*errorConfig)

type errorConfig struct {
	consoleHost string
	shell       func(c *fiber.Ctx) (any, error)
	maps        []func(c *fiber.Ctx, err error) error
}

// ConsoleErrors answers the errors of the console (host, every path but
// /api/) to a browser with a page in the console layout ("console/error"):
// its menu built by shell when the person is signed in (shell may be nil;
// withMenu says which pages go without), and a link back, the Referer
// when it is on the same host, else the console's home. A GET (or HEAD)
// of an address that only takes a form post (405) is sent, 303, to the
// nearest page above it that a GET opens, the page of the form, with a
// message saying why.
func ConsoleErrors(host string, shell func(c *fiber.Ctx) (any, error)) ErrorOption {
	return func(o *errorConfig) { o.consoleHost, o.shell = host, shell }
}

// MapErrors gives fn a look at every error before it is answered: fn
// returns the error to answer (err itself, or one that says it better,
// such as the media library naming its file limit for a refused upload
// body).
func MapErrors(fn func(c *fiber.Ctx, err error) error) ErrorOption {
	return func(o *errorConfig) { o.maps = append(o.maps, fn) }
}

// ErrFormOnly is the message of a GET of an address that only takes a
// form post.
const ErrFormOnly = "Địa chỉ này chỉ dùng để gửi biểu mẫu"

// ErrorHandler is the one place errors become responses: JSON under /api/,
// a plain Vietnamese page elsewhere (in the console's layout on the
// console, with ConsoleErrors). Users never see internal error text;
// 5xx are logged once with request id, host and tenant.
func ErrorHandler(r *Renderer, log *slog.Logger, opts ...ErrorOption) fiber.ErrorHandler {
	var cfg errorConfig
	for _, o := range opts {
		o(&cfg)
	}
	return func(c *fiber.Ctx, err error) error {
		for _, m := range cfg.maps {
			err = m(c, err)
		}
		status := Status(err)
		code, message, field := errs.Public(err)
		var fe *fiber.Error
		if errors.As(err, &fe) && errs.As(err) == nil {
			code, message = fiberCode(fe.Code), fiberMessage(fe.Code)
		}
		if status == fiber.StatusServiceUnavailable {
			// An outage or a timeout: the client may try again shortly
			// (a suspended site has already said how long to wait).
			if c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
				c.Set(fiber.HeaderRetryAfter, RetryAfter)
			}
			if errs.As(err) == nil {
				code, message = "unavailable", "Hệ thống đang tạm gián đoạn, vui lòng thử lại sau ít phút"
			}
		}
		if status >= 500 && code != CodeSiteSuspended {
			attrs := []any{"request_id", RequestID(c), "host", Host(c), "path", c.Path(), "status", status, "err", err.Error()}
			if t := Tenant(c); t != nil {
				attrs = append(attrs, "tenant", t.Slug)
			}
			log.Error("request failed", attrs...)
		}
		if strings.HasPrefix(c.Path(), "/api/") || strings.Contains(c.Get(fiber.HeaderAccept), "application/json") && !strings.Contains(c.Get(fiber.HeaderAccept), "text/html") {
			body := fiber.Map{"code": code, "message": message}
			if field != "" {
				body["field"] = field
			}
			return c.Status(status).JSON(fiber.Map{"error": body})
		}
		console := cfg.consoleHost != "" && Host(c) == cfg.consoleHost
		if console && status == fiber.StatusMethodNotAllowed {
			if m := c.Method(); m == fiber.MethodGet || m == fiber.MethodHead {
				if to := formPage(c); to != "" {
					return RedirectWithFlash(c, to, "error", ErrFormOnly+"; hãy dùng biểu mẫu trên trang này.")
				}
				message = ErrFormOnly
			}
		}
		page := ErrorPage{Status: status, Code: code, Message: message}
		if t := Tenant(c); t != nil && !strings.HasPrefix(c.Path(), "/api/") {
			page.Tenant = t
		}
		l := Lang(c)
		switch {
		case status == fiber.StatusNotFound:
			page.Title, page.Message = l.T("error.not_found.title"), l.T("error.not_found.body")
		case status == fiber.StatusGone:
			page.Title, page.Message = l.T("error.gone.title"), l.T("error.gone.body")
		case code == CodeSiteSuspended:
			page.Title = l.T("error.suspended.title")
		case status == fiber.StatusForbidden:
			page.Title = l.T("error.forbidden.title")
		case status >= 500:
			page.Title, page.Message = l.T("error.server.title"), l.T("error.server.body")
		default:
			page.Title = l.T("error.bad_request.title")
		}
		if r == nil {
			return c.Status(status).SendString(page.Title)
		}
		tmpl := "errors/error"
		if console {
			tmpl = "console/error"
			switch status {
			case fiber.StatusRequestEntityTooLarge:
				page.Title = "Dữ liệu gửi lên quá lớn"
			case fiber.StatusMethodNotAllowed:
				page.Title = "Không mở được địa chỉ này"
			}
			page.Back, page.BackLabel = back(c)
			if cfg.shell != nil && Account(c) != nil && withMenu(status) {
				// The layout reads the database; a page that cannot have
				// its menu is still shown, without it.
				if sh, serr := cfg.shell(c); serr == nil {
					page.Shell = sh
				}
			}
		}
		if rerr := r.Render(c, status, tmpl, page); rerr != nil {
			log.Error("render error page", "request_id", RequestID(c), "err", rerr)
			return c.Status(status).SendString(page.Title)
		}
		return nil
	}
}

// withMenu reports whether a console error page carries the console's
// menu and tenant switcher: not on a refusal of access or a missing page,
// which name nothing but what the address says (the switcher would name
// tenants), nor on a 5xx, when the database the menu needs may be down.
func withMenu(status int) bool {
	switch status {
	case fiber.StatusUnauthorized, fiber.StatusForbidden, fiber.StatusNotFound, fiber.StatusGone:
		return false
	}
	return status < 500
}

// back is the link of a console error page: the page the person came
// from when the Referer names one on this host (and not the address that
// failed, for a GET), else the console's home.
func back(c *fiber.Ctx) (href, label string) {
	ref, err := url.Parse(c.Get(fiber.HeaderReferer))
	same := err == nil && ref.Host != "" && ref.Hostname() == Host(c) && (ref.Scheme == "http" || ref.Scheme == "https")
	path := ""
	if same {
		path = ref.EscapedPath()
	}
	read := c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.Contains(path, "\\") || read && ref.Path == c.Path() {
		return "/", "Về trang chủ quản trị"
	}
	if ref.RawQuery != "" {
		path += "?" + ref.RawQuery
	}
	return path, "Quay lại trang trước"
}

// formPage is the page a form-only address belongs to: the nearest path
// above it (dropping its last segments one by one) that a GET route of
// the app opens, "" when none does but the home.
func formPage(c *fiber.Ctx) string {
	segs := strings.Split(strings.Trim(c.Path(), "/"), "/")
	routes := c.App().GetRoutes(true)
	for n := len(segs) - 1; n > 0; n-- {
		for _, rt := range routes {
			if rt.Method == fiber.MethodGet && routeMatches(rt.Path, segs[:n]) {
				return "/" + strings.Join(segs[:n], "/")
			}
		}
	}
	return ""
}

// routeMatches reports whether a route path ("/t/:slug/bai-viet/:id")
// opens the path of segs; routes with wildcards or optional parameters
// are not considered.
func routeMatches(pattern string, segs []string) bool {
	want := strings.Split(strings.Trim(pattern, "/"), "/")
	if len(want) != len(segs) {
		return false
	}
	for i, w := range want {
		if segs[i] == "" || strings.ContainsAny(w, "*+?") {
			return false
		}
		if !strings.HasPrefix(w, ":") && w != segs[i] {
			return false
		}
	}
	return true
}

func fiberCode(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusRequestEntityTooLarge:
		return "too_large"
	case fiber.StatusUnauthorized:
		return "unauthenticated"
	case fiber.StatusForbidden:
		return "forbidden"
	case fiber.StatusTooManyRequests:
		return "too_many_requests"
	}
	if status >= 500 {
		return "internal"
	}
	return "bad_request"
}

func fiberMessage(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "Không tìm thấy"
	case fiber.StatusMethodNotAllowed:
		return "Phương thức không được hỗ trợ"
	case fiber.StatusRequestEntityTooLarge:
		return "Dữ liệu gửi lên quá lớn"
	case fiber.StatusTooManyRequests:
		return "Quá nhiều yêu cầu, vui lòng thử lại sau"
	}
	if status >= 500 {
		return "Đã có lỗi xảy ra. Vui lòng thử lại sau."
	}
	return "Yêu cầu không hợp lệ"
}
