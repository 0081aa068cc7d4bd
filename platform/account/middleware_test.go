package account_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/web"
)

// console builds the platform's outer app with a tiny admin app behind
// Authenticate and RequireCSRF, as the console mounts them.
func console(t *testing.T, f *fixture) *fiber.App {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	admin := web.NewApp(web.ErrorHandler(nil, log), 1<<20)
	admin.Use(f.svc.Authenticate(), f.svc.RequireCSRF())
	admin.Get("/me", func(c *fiber.Ctx) error {
		p := web.Account(c)
		if p == nil {
			return c.SendString("anonymous csrf:" + web.CSRFToken(c))
		}
		return c.SendString(p.Email + " csrf:" + web.CSRFToken(c))
	})
	admin.Post("/login", func(c *fiber.Ctx) error {
		tok, _, err := f.svc.Login(c.UserContext(), c.FormValue("email"), c.FormValue("password"), web.ClientIP(c), c.Get(fiber.HeaderUserAgent))
		if err != nil {
			return err
		}
		if err := f.svc.IssueSessionCookie(c, tok); err != nil {
			return err
		}
		return c.SendString("welcome")
	})
	admin.Post("/logout", func(c *fiber.Ctx) error {
		if err := f.svc.EndSession(c); err != nil {
			return err
		}
		return c.SendString("bye")
	})
	admin.Post("/do", func(c *fiber.Ctx) error {
		if web.Account(c) == nil {
			return errs.Unauthenticated("login_required", "Vui lòng đăng nhập")
		}
		return c.SendString("done")
	})
	return web.New(web.Options{
		Log: log, AdminHost: "admin.localhost", Admin: admin,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}, // app.Test's peer
	})
}

type reply struct {
	status  int
	body    string
	code    string
	cookies []*http.Cookie
}

// send makes a request on the admin host. headers are name, value pairs;
// "Cookie" takes a session token.
func send(t *testing.T, app *fiber.App, method, path string, form url.Values, headers ...string) reply {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.Host = "admin.localhost"
	req.RequestURI = ""
	req.Header.Set("Accept", "application/json")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Cookie" {
			req.AddCookie(&http.Cookie{Name: account.CookieName, Value: headers[i+1]})
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := reply{status: res.StatusCode, body: string(b), cookies: res.Cookies()}
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	if json.Unmarshal(b, &e) == nil {
		r.code = e.Error.Code
	}
	return r
}

func csrfOf(t *testing.T, app *fiber.App, session string) string {
	t.Helper()
	r := send(t, app, http.MethodGet, "/me", nil, "Cookie", session)
	_, tok, _ := strings.Cut(r.body, " csrf:")
	if tok == "" {
		t.Fatalf("no CSRF token for the session: %q", r.body)
	}
	return tok
}

func TestCSRF(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	app := console(t, f)
	session := f.login(t, "an@x.vn")
	other := f.login(t, "an@x.vn")
	token := csrfOf(t, app, session)
	bearer, _, err := f.svc.CreateToken(ctx, f.db, a.ID, "api")
	if err != nil {
		t.Fatal(err)
	}
	ss, _, _ := f.svc.SessionFromToken(ctx, session)
	if token != account.CSRFToken(testSecret, ss.ID) || !account.CheckCSRF(testSecret, ss.ID, token) {
		t.Error("middleware token is not CSRFToken(secret, session id)")
	}

	tests := []struct {
		name    string
		form    url.Values
		headers []string
		status  int
		code    string
	}{
		{"session without token", nil, []string{"Cookie", session}, 403, "csrf"},
		{"session with a wrong token", nil, []string{"Cookie", session, account.CSRFHeader, "bm9wZQ"}, 403, "csrf"},
		{"session with another session's token", nil, []string{"Cookie", session, account.CSRFHeader, csrfOf(t, app, other)}, 403, "csrf"},
		{"session with header token", nil, []string{"Cookie", session, account.CSRFHeader, token}, 200, ""},
		{"session with form token", url.Values{account.CSRFField: {token}}, []string{"Cookie", session}, 200, ""},
		{"bearer token is exempt", nil, []string{"Authorization", "Bearer " + bearer}, 200, ""},
		{"bearer token with a cookie is exempt", nil, []string{"Authorization", "Bearer " + bearer, "Cookie", session}, 200, ""},
		{"anonymous reaches the route", nil, nil, 401, "login_required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, app, http.MethodPost, "/do", tc.form, tc.headers...)
			if r.status != tc.status || r.code != tc.code {
				t.Fatalf("POST /do = %d %q (%s), want %d %q", r.status, r.code, r.body, tc.status, tc.code)
			}
			if tc.status == 200 && r.body != "done" {
				t.Fatalf("body = %q", r.body)
			}
		})
	}
	if r := send(t, app, http.MethodGet, "/me", nil, "Cookie", session); r.status != 200 || !strings.HasPrefix(r.body, "an@x.vn ") {
		t.Errorf("GET needs no token: %d %q", r.status, r.body)
	}
	if account.CheckCSRF(testSecret, ss.ID, "") || account.CheckCSRF("other-secret", ss.ID, token) {
		t.Error("CheckCSRF accepts an empty token or another secret's")
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	app := console(t, f)
	session := f.login(t, "an@x.vn")
	bearer, _, err := f.svc.CreateToken(ctx, f.db, a.ID, "api")
	if err != nil {
		t.Fatal(err)
	}
	revoked, rtok, _ := f.svc.CreateToken(ctx, f.db, a.ID, "old")
	if err := f.svc.RevokeToken(ctx, f.db, a.ID, rtok.ID, ""); err != nil {
		t.Fatal(err)
	}
	ended := f.login(t, "an@x.vn")
	if err := f.svc.Logout(ctx, ended); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		headers []string
		status  int
		body    string
	}{
		{"anonymous", nil, 200, "anonymous csrf:"},
		{"session", []string{"Cookie", session}, 200, "an@x.vn csrf:"},
		{"bearer", []string{"Authorization", "Bearer " + bearer}, 200, "an@x.vn csrf:"},
		{"bearer, lower-case scheme", []string{"Authorization", "bearer " + bearer}, 200, "an@x.vn csrf:"},
		{"bad bearer with a good cookie", []string{"Authorization", "Bearer tt_nope", "Cookie", session}, 401, ""},
		{"revoked bearer", []string{"Authorization", "Bearer " + revoked}, 401, ""},
		{"other scheme", []string{"Authorization", "Basic YW46eA=="}, 401, ""},
		{"ended session is anonymous", []string{"Cookie", ended}, 200, "anonymous csrf:"},
		{"made-up session is anonymous", []string{"Cookie", "made-up"}, 200, "anonymous csrf:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, app, http.MethodGet, "/me", nil, tc.headers...)
			if r.status != tc.status {
				t.Fatalf("status = %d (%s), want %d", r.status, r.body, tc.status)
			}
			if tc.status == 401 && r.code != "token_invalid" {
				t.Errorf("code = %q", r.code)
			}
			if tc.body != "" && !strings.HasPrefix(r.body, tc.body) {
				t.Errorf("body = %q, want prefix %q", r.body, tc.body)
			}
			if strings.HasPrefix(tc.name, "bearer") && strings.TrimPrefix(r.body, "an@x.vn csrf:") != "" {
				t.Errorf("bearer request got a CSRF token: %q", r.body)
			}
			if strings.HasSuffix(tc.name, "is anonymous") {
				c := find(r.cookies, account.CookieName)
				if c == nil || c.Value != "" || c.MaxAge >= 0 && (c.Expires.IsZero() || c.Expires.After(time.Now())) {
					t.Errorf("unusable session cookie not cleared: %+v", c)
				}
			}
		})
	}
}

func TestPendingSessionIsNotALogin(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	a := f.account(t, "an@x.vn")
	enrol(t, f, a.ID)
	app := console(t, f)
	pending, _, err := f.svc.Login(ctx, "an@x.vn", testPassword, "", "")
	if err != nil {
		t.Fatal(err)
	}
	r := send(t, app, http.MethodGet, "/me", nil, "Cookie", pending)
	if !strings.HasPrefix(r.body, "anonymous csrf:") || r.body == "anonymous csrf:" {
		t.Fatalf("pending session: %q (want anonymous, with a form token for the 2FA form)", r.body)
	}
	if r := send(t, app, http.MethodPost, "/do", nil, "Cookie", pending); r.status != 403 || r.code != "csrf" {
		t.Errorf("CSRF-less POST with a pending session = %d %q", r.status, r.code)
	}
}

func TestLoginCookie(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	f.account(t, "an@x.vn")
	app := console(t, f)
	creds := url.Values{"email": {"an@x.vn"}, "password": {testPassword}}

	// Over TLS (as told by the trusted proxy), with a session already in
	// the browser: a new id, Secure, and the old session is gone.
	old := f.login(t, "an@x.vn")
	form := url.Values{"email": creds["email"], "password": creds["password"], account.CSRFField: {csrfOf(t, app, old)}}
	r := send(t, app, http.MethodPost, "/login", form, "Cookie", old, "X-Forwarded-Proto", "https", "User-Agent", "Firefox")
	if r.status != 200 {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	c := find(r.cookies, account.CookieName)
	if c == nil || c.Value == "" || c.Value == old {
		t.Fatalf("session cookie = %+v; the old value must not be reused", c)
	}
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Errorf("cookie attributes = %+v", c)
	}
	if _, _, err := f.svc.SessionFromToken(ctx, old); err == nil {
		t.Error("the pre-login session survived the login")
	}
	ss, _, err := f.svc.SessionFromToken(ctx, c.Value)
	if err != nil || ss.UserAgent != "Firefox" || ss.IP != "0.0.0.0" {
		t.Fatalf("new session = %+v, %v", ss, err)
	}

	// A value planted by an attacker is never adopted; plain HTTP: no Secure.
	r = send(t, app, http.MethodPost, "/login", creds, "Cookie", "planted-by-attacker")
	c = find(r.cookies, account.CookieName)
	if r.status != 200 || c == nil || c.Value == "planted-by-attacker" || c.Secure {
		t.Fatalf("login with a planted cookie: %d %+v", r.status, c)
	}

	// Logout ends the session and clears the cookie.
	session := c.Value
	r = send(t, app, http.MethodPost, "/logout", url.Values{account.CSRFField: {csrfOf(t, app, session)}}, "Cookie", session)
	if c := find(r.cookies, account.CookieName); r.status != 200 || c == nil || c.Value != "" {
		t.Fatalf("logout: %d %+v", r.status, c)
	}
	if _, _, err := f.svc.SessionFromToken(ctx, session); err == nil {
		t.Error("session valid after logout")
	}

	// A wrong password over HTTP: the same 401 as an unknown email.
	bad := send(t, app, http.MethodPost, "/login", url.Values{"email": {"an@x.vn"}, "password": {"wrong-password"}})
	unknown := send(t, app, http.MethodPost, "/login", url.Values{"email": {"x@x.vn"}, "password": {"wrong-password"}})
	if bad.status != 401 || bad.body != unknown.body || bad.code != account.CodeLoginFailed {
		t.Errorf("wrong password %d %q vs unknown email %d %q", bad.status, bad.body, unknown.status, unknown.body)
	}
}

func find(cs []*http.Cookie, name string) *http.Cookie {
	var last *http.Cookie
	for _, c := range cs {
		if c.Name == name {
			last = c
		}
	}
	return last
}
