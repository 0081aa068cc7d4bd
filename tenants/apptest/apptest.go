// Package apptest builds the whole platform for a test, as `trangtin serve`
// assembles it: an organisation provisioned as the CLI does, people with
// their roles, app.New over a fresh database (dbtest: SQLite, or
// PostgreSQL when TRANGTIN_TEST_DATABASE_URL is set), and browsers that
// keep cookies and send each form with its token. Scenarios state what a
// person sees: a status, the texts present on the page and those absent.
//
//	w := apptest.New(t, apptest.Options{Org: org, People: people})
//	w.Run(t, []apptest.Scenario{
//		{Name: "the editor sees the queue", As: "editor", Path: "/t/cam-tu/bai-viet",
//			Present: []string{"Hàng chờ duyệt"}, Absent: []string{"Cài đặt"}},
//	})
package apptest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/provision"
)

// AdminHost is the console's host in every world (the default setting).
const AdminHost = "admin.localhost"

// Password is every person's password.
const Password = "Đồi-chè-xanh-mướt-2024"

// Person is an account and its role in one tenant (by slug), or on the
// whole platform when Tenant is "" (platform admin, Department Office);
// Key names it in the test. A person with no Role holds none.
type Person struct {
	Key, Email, Name, Tenant, Role string
}

// Options describe a world.
type Options struct {
	// Org is provisioned in order, through the same provisioner as the CLI.
	Org    []provision.Input
	People []Person
	// Config adjusts the settings the binary loads with none (the data
	// dir is the test's temporary directory).
	Config func(*config.Config)
	// Log receives the platform's log (discarded when nil).
	Log *slog.Logger
	// Before runs on the provisioned database before app.New (a tenant to
	// suspend, rows the app must find at start).
	Before func(ctx context.Context, bdb *bun.DB) error
	// AppOptions are passed to app.New after the fast password hashing
	// every world uses.
	AppOptions []app.Option
	// DB is the migrated database to build on, when the test needs a handle
	// of its own (to close it under the app); a fresh dbtest one when nil.
	DB *bun.DB
}

// World is one assembled platform.
type World struct {
	T        testing.TB
	Config   config.Config
	DB       *bun.DB
	App      *app.App
	Tenants  map[string]*tenancy.Tenant // by slug
	Accounts map[string]*account.Account
}

// New builds a world; every failure ends the test.
func New(t testing.TB, o Options) *World {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		t.Fatalf("load the default settings: %v", err)
	}
	cfg.DataDir = t.TempDir()
	if o.Config != nil {
		o.Config(&cfg)
	}
	w := &World{T: t, Config: cfg, DB: o.DB, Tenants: map[string]*tenancy.Tenant{}, Accounts: map[string]*account.Account{}}
	if w.DB == nil {
		w.DB = dbtest.New(t)
	}
	p := app.NewProvisioner(cfg, w.DB)
	for _, in := range o.Org {
		tn, err := p.Create(ctx, in)
		if err != nil {
			t.Fatalf("create %s: %v", in.Slug, err)
		}
		w.Tenants[in.Slug] = tn
	}
	for _, pp := range o.People {
		acc, err := account.CreateWithParams(ctx, w.DB, account.TestParams(), pp.Email, pp.Name, Password)
		if err != nil {
			t.Fatalf("account %s: %v", pp.Email, err)
		}
		w.Accounts[pp.Key] = acc
		if pp.Role == "" {
			continue
		}
		domain := authz.PlatformDomain
		if pp.Tenant != "" {
			tn, ok := w.Tenants[pp.Tenant]
			if !ok {
				t.Fatalf("person %s: no tenant %q in the organisation", pp.Key, pp.Tenant)
			}
			domain = tn.ID
		}
		if err := authz.GrantRole(ctx, w.DB, acc.ID, domain, pp.Role); err != nil {
			t.Fatalf("grant %s to %s: %v", pp.Role, pp.Email, err)
		}
	}
	if o.Before != nil {
		if err := o.Before(ctx, w.DB); err != nil {
			t.Fatalf("prepare the database: %v", err)
		}
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts := append([]app.Option{app.WithAccountOptions(account.WithParams(account.TestParams()))}, o.AppOptions...)
	if w.App, err = app.New(ctx, cfg, w.DB, log, opts...); err != nil {
		t.Fatalf("app.New: %v", err)
	}
	return w
}

// Tokens mints an API token, named label, for every person of the world;
// it returns them by the person's key.
func (w *World) Tokens(label string) map[string]string {
	w.T.Helper()
	tokens := make(map[string]string, len(w.Accounts))
	for key, acc := range w.Accounts {
		tok, _, err := w.App.Accounts.CreateToken(context.Background(), w.DB, acc.ID, label)
		if err != nil {
			w.T.Fatalf("token for %s: %v", acc.Email, err)
		}
		tokens[key] = tok
	}
	return tokens
}

// Reply is an answer as a browser received it.
type Reply struct {
	Status  int
	Header  http.Header
	Body    string
	Cookies []*http.Cookie
}

func (r Reply) String() string {
	b := r.Body
	if len(b) > 1200 {
		b = b[:1200] + "…"
	}
	return fmt.Sprintf("status %d, Location %q, body:\n%s", r.Status, r.Header.Get("Location"), b)
}

// Cookie is the cookie name the answer set, nil if none.
func (r Reply) Cookie(name string) *http.Cookie {
	for _, c := range r.Cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Browser keeps cookies, as a browser does, for one host.
type Browser struct {
	t    testing.TB
	a    *app.App
	Host string
	Jar  map[string]string
}

// Browser opens a browser on host (the console's when "").
func (w *World) Browser(host string) *Browser {
	if host == "" {
		host = AdminHost
	}
	return &Browser{t: w.T, a: w.App, Host: host, Jar: map[string]string{}}
}

// SignedIn is a console browser signed in as the person key.
func (w *World) SignedIn(key string) *Browser {
	w.T.Helper()
	acc, ok := w.Accounts[key]
	if !ok {
		w.T.Fatalf("no person %q", key)
	}
	b := w.Browser(AdminHost)
	b.MustLogin(acc.Email)
	return b
}

// Do sends a request (a form when form is not nil) with the jar's cookies
// and headers given as name, value pairs, and keeps the cookies the
// answer sets.
func (b *Browser) Do(method, path string, form url.Values, headers ...string) Reply {
	b.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	// The request line carries only the path, so the Host header is what
	// the server sees (an absolute request URI would override it).
	req.Host = b.Host
	req.RequestURI = ""
	for n, v := range b.Jar {
		req.AddCookie(&http.Cookie{Name: n, Value: v})
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := b.a.HTTP.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s%s: %v", method, b.Host, path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("read %s %s%s: %v", method, b.Host, path, err)
	}
	cs := res.Cookies()
	for _, c := range cs {
		if c.Value == "" || c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.Jar, c.Name)
			continue
		}
		b.Jar[c.Name] = c.Value
	}
	return Reply{Status: res.StatusCode, Header: res.Header, Body: string(body), Cookies: cs}
}

// Get is Do for a GET.
func (b *Browser) Get(path string, headers ...string) Reply {
	b.t.Helper()
	return b.Do(http.MethodGet, path, nil, headers...)
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// CSRF reads the form token from a page of the session.
func (b *Browser) CSRF(page string) string {
	b.t.Helper()
	r := b.Get(page)
	m := csrfRe.FindStringSubmatch(r.Body)
	if m == nil {
		b.t.Fatalf("no form token on %s: %s", page, r)
	}
	return m[1]
}

// Post sends a form with the session's token, read from the account page
// as a browser would have it from whatever page holds the form.
func (b *Browser) Post(path string, form url.Values) Reply {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", b.CSRF("/tai-khoan"))
	return b.Do(http.MethodPost, path, form)
}

// Login sends the login form.
func (b *Browser) Login(email, password string) Reply {
	b.t.Helper()
	return b.Do(http.MethodPost, "/login", url.Values{"email": {email}, "password": {password}})
}

// MustLogin signs in with Password and ends the test if that fails.
func (b *Browser) MustLogin(email string) {
	b.t.Helper()
	if r := b.Login(email, Password); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		b.t.Fatalf("login %s: %s", email, r)
	}
}

// Scenario is one request and what its answer must show: the status
// (200 when 0), the texts Present on the page and those Absent from it.
// As is the person whose console session sends it ("" for an anonymous
// visitor); Host is the console's when "". A Form is sent with Method
// (POST when ""), with the session's form token when As is set.
type Scenario struct {
	Name, As, Host, Method, Path string
	Form                         url.Values
	Status                       int
	Present, Absent              []string
}

// Run runs each scenario as a subtest. Each person's session is opened
// once and kept across the scenarios.
func (w *World) Run(t *testing.T, scenarios []Scenario) {
	t.Helper()
	jars := map[string]map[string]string{}
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			b := &Browser{t: t, a: w.App, Host: sc.Host, Jar: map[string]string{}}
			if b.Host == "" {
				b.Host = AdminHost
			}
			if sc.As != "" {
				if jars[sc.As] == nil {
					acc, ok := w.Accounts[sc.As]
					if !ok {
						t.Fatalf("no person %q", sc.As)
					}
					s := &Browser{t: t, a: w.App, Host: AdminHost, Jar: map[string]string{}}
					s.MustLogin(acc.Email)
					jars[sc.As] = s.Jar
				}
				b.Jar = jars[sc.As]
			}
			method := sc.Method
			if method == "" {
				method = http.MethodGet
				if sc.Form != nil {
					method = http.MethodPost
				}
			}
			form := url.Values(maps.Clone(sc.Form))
			if form != nil && sc.As != "" {
				form.Set("_csrf", b.CSRF("/tai-khoan"))
			}
			r := b.Do(method, sc.Path, form)
			want := sc.Status
			if want == 0 {
				want = http.StatusOK
			}
			if r.Status != want {
				t.Fatalf("%s %s as %q: want status %d, got %s", method, sc.Path, sc.As, want, r)
			}
			for _, s := range sc.Present {
				if !strings.Contains(r.Body, s) {
					t.Errorf("%s %s as %q: page does not show %q", method, sc.Path, sc.As, s)
				}
			}
			for _, s := range sc.Absent {
				if strings.Contains(r.Body, s) {
					t.Errorf("%s %s as %q: page shows %q", method, sc.Path, sc.As, s)
				}
			}
		})
	}
}
