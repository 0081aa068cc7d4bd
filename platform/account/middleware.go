package account

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/web"
)

// CookieName is the console session cookie.
const CookieName = "trangtin_session"

// CSRFField and CSRFHeader carry the form token of unsafe console requests.
const (
	CSRFField  = "_csrf"
	CSRFHeader = "X-CSRF-Token"
)

// localKey keys this package's request locals; a private type cannot
// collide with another package's keys.
type localKey int

const keySession localKey = iota

// CurrentSession is the session the request's cookie named, full or pending
// (Session.Pending), as found by Authenticate; nil when there is none.
func CurrentSession(c *fiber.Ctx) *Session { ss, _ := c.Locals(keySession).(*Session); return ss }

// SessionCookie is the raw session cookie value of the request ("" if none),
// for CompleteMFA and Logout.
func SessionCookie(c *fiber.Ctx) string { return c.Cookies(CookieName) }

// SetSessionCookie hands the browser a session token: HttpOnly, SameSite=Lax,
// Path=/, Secure when the request came over TLS. It is a browser-session
// cookie; the server enforces the idle and absolute timeouts.
func SetSessionCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{
		Name: CookieName, Value: token, Path: "/",
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: web.Secure(c),
	})
}

// ClearSessionCookie tells the browser to drop the session cookie.
func ClearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{
		Name: CookieName, Value: "", Path: "/", Expires: time.Unix(0, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: web.Secure(c),
	})
}

// IssueSessionCookie sets the cookie of a session just created by Login
// or CompleteMFA. Whatever session the request's old cookie named is
// revoked first: nothing chosen before the login survives it.
func (s *Service) IssueSessionCookie(c *fiber.Ctx, token string) error {
	if old := SessionCookie(c); old != "" && old != token {
		if err := s.Logout(c.UserContext(), old); err != nil {
			return err
		}
	}
	SetSessionCookie(c, token)
	return nil
}

// EndSession logs the request's session out and clears its cookie.
func (s *Service) EndSession(c *fiber.Ctx) error {
	if err := s.Logout(c.UserContext(), SessionCookie(c)); err != nil {
		return err
	}
	ClearSessionCookie(c)
	return nil
}

// Authenticate finds the caller of a console or API request. An
// Authorization header must be "Bearer <API token>" naming a live token of
// an active account, else the request fails with 401 (a cookie does not
// rescue it). Otherwise the session cookie is read: a full session sets
// web.SetAccount and the form token (web.SetCSRFToken); a pending one (owing
// its second factor) only CurrentSession and the form token; an unusable
// one is cleared. Without credentials the request goes on anonymous and
// the route decides.
func (s *Service) Authenticate() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if h := c.Get(fiber.HeaderAuthorization); h != "" {
			scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				return errTokenInvalid()
			}
			t, a, err := s.TokenFromBearer(c.UserContext(), strings.TrimSpace(tok))
			if err != nil {
				return err
			}
			web.SetAccount(c, &web.Principal{AccountID: a.ID, Email: a.Email, Name: a.Name, TokenID: t.ID})
			return c.Next()
		}
		token := SessionCookie(c)
		if token == "" {
			return c.Next()
		}
		ss, a, err := s.SessionFromToken(c.UserContext(), token)
		switch {
		case errs.Is(err, errs.KindUnauthenticated):
			ClearSessionCookie(c)
			return c.Next()
		case err != nil:
			return err
		}
		c.Locals(keySession, ss)
		web.SetCSRFToken(c, CSRFToken(s.secret, ss.ID))
		if !ss.Pending {
			web.SetAccount(c, &web.Principal{AccountID: a.ID, Email: a.Email, Name: a.Name, SessionID: ss.ID,
				PasswordTemporary: a.PasswordTemporary()})
		}
		return c.Next()
	}
}

// RequireCSRF refuses an unsafe request (POST, PUT, PATCH, DELETE, …) made
// with a session, full or pending, unless it carries the session's form
// token in the X-CSRF-Token header or the _csrf form field: errs.Forbidden
// code "csrf" (403). Requests authenticated by a bearer token are exempt (a
// browser never adds that header on its own). An anonymous request has no
// session to bind a token to (the login form itself): it, and any request
// made with a cookie, is refused (code cross_site) when the browser says it
// comes from another site — Sec-Fetch-Site other than same-origin or none,
// or else an Origin other than the admin host. Clients that send neither
// header (scripts, old browsers) are let through to the route. Mount it
// after Authenticate.
func (s *Service) RequireCSRF() fiber.Handler {
	return func(c *fiber.Ctx) error {
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
			return c.Next()
		}
		if p := web.Account(c); p != nil && p.TokenID != "" {
			return c.Next()
		}
		if web.CrossSite(c) {
			return errs.Forbidden("cross_site", "Biểu mẫu được gửi từ một trang khác; vui lòng mở trang quản trị và thử lại.")
		}
		ss := CurrentSession(c)
		if ss == nil {
			return c.Next()
		}
		tok := c.Get(CSRFHeader)
		if tok == "" {
			tok = c.FormValue(CSRFField)
		}
		if !CheckCSRF(s.secret, ss.ID, tok) {
			return errs.Forbidden("csrf", "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.")
		}
		return c.Next()
	}
}
