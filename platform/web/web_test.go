package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/i18n"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/templates"
	"github.com/trangtin/trangtin/tenants/provision"
)

func renderer(t *testing.T) *web.Renderer {
	t.Helper()
	r, err := web.NewRenderer(templates.FS)
	if err != nil {
		t.Fatalf("NewRenderer(templates.FS): %v", err)
	}
	return r
}

func TestTemplatesParse(t *testing.T) {
	r := renderer(t)
	pages := map[string]bool{}
	for _, p := range r.Pages() {
		pages[p] = true
	}
	for _, want := range []string{"site/home", "site/section", "errors/error", "console/index"} {
		if !pages[want] {
			t.Errorf("page %q not parsed; have %v", want, r.Pages())
		}
	}
	for _, name := range []string{"site.css", "console.css"} {
		if h := r.StaticHash(name); len(h) != 12 {
			t.Errorf("StaticHash(%s) = %q, want a 12-character hash", name, h)
		}
	}
	if h := r.StaticHash("khong-co.css"); h != "" {
		t.Errorf("StaticHash of a missing file = %q", h)
	}
}

func TestErrorPageRenders(t *testing.T) {
	r := renderer(t)
	b, err := r.Execute("errors/error", web.View{L: i18n.VI, RequestID: "abc123", Data: web.ErrorPage{Status: 404, Title: "Không tìm thấy trang", Message: "Địa chỉ không tồn tại"}})
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, want := range []string{`<html lang="vi">`, "Không tìm thấy trang", "Địa chỉ không tồn tại", "404", "abc123", `name="viewport"`} {
		if !strings.Contains(out, want) {
			t.Errorf("error page lacks %q:\n%s", want, out)
		}
	}
	if _, err := r.Execute("site/khong-co", web.View{}); err == nil {
		t.Error("Execute of an unknown page succeeded")
	}
}

func TestBrokenTemplatesFailAtStart(t *testing.T) {
	good := func() fstest.MapFS {
		return fstest.MapFS{
			"layouts/plain.html": {Data: []byte(`{{define "plain"}}<html>{{block "content" .}}{{end}}</html>{{end}}`)},
			"errors/error.html":  {Data: []byte(`{{define "content"}}x{{end}}`)},
			"static/site.css":    {Data: []byte(`body{}`)},
		}
	}
	if _, err := web.NewRenderer(good()); err != nil {
		t.Fatalf("minimal template set refused: %v", err)
	}
	tests := []struct {
		name   string
		breakF func(fstest.MapFS)
	}{
		{"unclosed action in a page", func(m fstest.MapFS) { m["errors/error.html"].Data = []byte(`{{define "content"}}{{.Data.Title{{end}}`) }},
		{"unknown function in a page", func(m fstest.MapFS) {
			m["site/home.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{nosuchfunc .}}{{end}}`)}
		}},
		{"broken layout", func(m fstest.MapFS) { m["layouts/plain.html"].Data = []byte(`{{define "plain"}}{{if}}{{end}}`) }},
		{"no layouts", func(m fstest.MapFS) { delete(m, "layouts/plain.html") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good()
			tt.breakF(m)
			if _, err := web.NewRenderer(m); err == nil {
				t.Error("NewRenderer accepted a broken template set")
			}
		})
	}
}

type result struct {
	status int
	ctype  string
	body   string
}

func do(t *testing.T, app *fiber.App, host, path string, headers ...string) result {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	req.RequestURI = "" // send only the path, so the Host header counts
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return result{res.StatusCode, res.Header.Get("Content-Type"), string(b)}
}

func TestErrorHandler(t *testing.T) {
	r := renderer(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	app := web.NewApp(web.ErrorHandler(r, log), 1<<20)
	secret := func(c *fiber.Ctx) error { return fmt.Errorf("pq: secret SQL detail") }
	app.Get("/boom", secret)
	app.Get("/api/boom", secret)
	app.Get("/invalid", func(c *fiber.Ctx) error {
		return errs.Invalid("title", "title_required", "Cần nhập tiêu đề")
	})
	app.Get("/api/invalid", func(c *fiber.Ctx) error {
		return errs.Invalid("title", "title_required", "Cần nhập tiêu đề")
	})
	app.Get("/wrapped-notfound", func(c *fiber.Ctx) error {
		return errs.Wrap(errs.NotFound("post_not_found", "Không tìm thấy bài"), "load post 42 from table posts")
	})
	app.Get("/unavailable", func(c *fiber.Ctx) error {
		return errs.Unavailable("database_unavailable", "Cơ sở dữ liệu không phản hồi", fmt.Errorf("dial tcp 10.0.0.5:5432: secret SQL host"))
	})
	app.Get("/conflict", func(c *fiber.Ctx) error { return errs.Conflict("stale", "Bài đã được sửa") })
	app.Get("/forbidden", func(c *fiber.Ctx) error { return errs.Forbidden("nope", "Không được phép") })

	tests := []struct {
		name, path, accept string
		wantStatus         int
		wantJSON           bool
		wantCode           string
		shows              string
		mustNotShow        []string
		wantLogged         bool
	}{
		{name: "internal error as a page", path: "/boom", wantStatus: 500, shows: "Đã có lỗi xảy ra",
			mustNotShow: []string{"secret SQL", "pq:"}, wantLogged: true},
		{name: "internal error as API JSON", path: "/api/boom", wantStatus: 500, wantJSON: true, wantCode: "internal",
			mustNotShow: []string{"secret SQL", "pq:"}, wantLogged: true},
		{name: "internal error to a JSON client", path: "/boom", accept: "application/json", wantStatus: 500, wantJSON: true, wantCode: "internal",
			mustNotShow: []string{"secret SQL"}, wantLogged: true},
		{name: "invalid input as a page", path: "/invalid", wantStatus: 400, shows: "Cần nhập tiêu đề"},
		{name: "invalid input as API JSON", path: "/api/invalid", wantStatus: 400, wantJSON: true, wantCode: "title_required", shows: "Cần nhập tiêu đề"},
		{name: "wrapped not found keeps its kind but not the wrapping", path: "/wrapped-notfound", wantStatus: 404,
			mustNotShow: []string{"table posts"}},
		{name: "unavailable hides its cause", path: "/unavailable", wantStatus: 503,
			mustNotShow: []string{"secret SQL", "10.0.0.5"}, wantLogged: true},
		{name: "conflict", path: "/conflict", wantStatus: 409},
		{name: "forbidden", path: "/forbidden", wantStatus: 403},
		{name: "unknown route", path: "/khong-co", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			var h []string
			if tt.accept != "" {
				h = []string{"Accept", tt.accept}
			}
			res := do(t, app, "example.vn", tt.path, h...)
			if res.status != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", res.status, tt.wantStatus, res.body)
			}
			for _, bad := range tt.mustNotShow {
				if strings.Contains(res.body, bad) {
					t.Errorf("response shows %q:\n%s", bad, res.body)
				}
			}
			if tt.shows != "" && !strings.Contains(res.body, tt.shows) {
				t.Errorf("response lacks %q:\n%s", tt.shows, res.body)
			}
			if tt.wantJSON {
				var body struct {
					Error struct {
						Code    string `json:"code"`
						Message string `json:"message"`
					} `json:"error"`
				}
				if err := json.Unmarshal([]byte(res.body), &body); err != nil {
					t.Fatalf("body is not JSON (%s): %s", res.ctype, res.body)
				}
				if body.Error.Code != tt.wantCode || body.Error.Message == "" {
					t.Errorf("error body %s, want code %q and a message", res.body, tt.wantCode)
				}
			} else if !strings.Contains(res.body, `<html lang="vi">`) {
				t.Errorf("not the Vietnamese error page:\n%s", res.body)
			}
			n := strings.Count(logs.String(), "request failed")
			if tt.wantLogged && n != 1 {
				t.Errorf("logged %d times, want once:\n%s", n, logs.String())
			}
			if !tt.wantLogged && n != 0 {
				t.Errorf("a %d was logged as a failure:\n%s", tt.wantStatus, logs.String())
			}
			if tt.wantLogged && !strings.Contains(logs.String(), "secret SQL") {
				t.Errorf("the log lacks the internal error, so operators cannot see it:\n%s", logs.String())
			}
		})
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"plain error", fmt.Errorf("boom"), 500},
		{"not found", errs.NotFound("x", "y"), 404},
		{"gone", errs.Gone("post_gone", "y"), 410},
		{"a code ending in _gone is still a 404", errs.NotFound("site_gone", "y"), 404},
		{"invalid", errs.Invalid("f", "x", "y"), 400},
		{"too large", errs.TooLarge("file", "x", "y"), 413},
		{"body too large", fmt.Errorf("read: %w", web.ErrBodyTooLarge(1<<20)), 413},
		{"unsupported", errs.Unsupported("file", "x", "y"), 415},
		{"unprocessable", errs.Unprocessable("f", "x", "y"), 422},
		{"throttled", errs.Throttled("", "login_throttled", "y"), 429},
		{"conflict", errs.Conflict("x", "y"), 409},
		{"forbidden", errs.Forbidden("x", "y"), 403},
		{"unauthenticated", errs.Unauthenticated("x", "y"), 401},
		{"unavailable", errs.Unavailable("x", "y", nil), 503},
		{"wrapped", fmt.Errorf("op: %w", errs.NotFound("x", "y")), 404},
		{"fiber error", fiber.ErrMethodNotAllowed, 405},
		{"unknown site", web.ErrUnknownSite, 404},
		{"site suspended", &errs.Error{Kind: errs.KindUnavailable, Code: web.CodeSiteSuspended}, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := web.Status(tt.err); got != tt.want {
				t.Errorf("Status(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

// TestOuterApp drives web.New with stub site and admin apps, to check the
// dispatch, the recoverer and the locals the inner apps receive.
func TestOuterApp(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	reg := registryOf(t, log, provision.Input{Slug: "so", Name: "Sở", Kind: tenancy.KindDepartment},
		provision.Input{Slug: "alpha", Name: "Alpha", Kind: tenancy.KindUnit, Parent: "so"})
	r := renderer(t)
	errh := web.ErrorHandler(r, log)
	site := web.NewApp(errh, 1<<20)
	site.Get("/", func(c *fiber.Ctx) error {
		tn := web.Tenant(c)
		return c.SendString("site:" + tn.Slug + " host:" + web.Host(c) + " ip:" + web.ClientIP(c))
	})
	site.Get("/panic", func(c *fiber.Ctx) error { panic("secret panic detail") })
	site.Get("/who", func(c *fiber.Ctx) error {
		return c.SendString(web.Tenant(c).Slug + " " + web.HostPort(c) + " " + string(web.Lang(c)) + " " + web.RequestID(c))
	})
	admin := web.NewApp(errh, 1<<20)
	admin.Get("/", func(c *fiber.Ctx) error {
		if web.Tenant(c) != nil {
			return c.SendString("admin with a tenant")
		}
		return c.SendString("admin")
	})
	admin.Get("/file", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "public, max-age=60")
		c.Set(fiber.HeaderETag, `"v1"`)
		return c.SendString("file")
	})
	app := web.New(web.Options{Log: log, Registry: reg, Renderer: r, AdminHost: "admin.localhost", Site: site, Admin: admin})

	// The security headers are set by their canonical names: a handler
	// that sets one again replaces it, and no header is sent twice.
	t.Run("a handler's header replaces the default one", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, "/file", nil)
		req.Host = "admin.localhost"
		res, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if got := res.Header.Values("Cache-Control"); len(got) != 1 || got[0] != "public, max-age=60" {
			t.Errorf("Cache-Control %q, want the handler's alone", got)
		}
		for _, name := range []string{"Etag", "X-Request-Id", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"} {
			if got := res.Header.Values(name); len(got) != 1 {
				t.Errorf("%s sent %d times: %q", name, len(got), got)
			}
		}
	})

	tests := []struct {
		name, host, path string
		wantStatus       int
		wantBody         string
	}{
		{"tenant gets its locals", "Alpha.Localhost:8080", "/", 200, "site:alpha host:alpha.localhost ip:0.0.0.0"},
		{"admin host gets no tenant", "admin.localhost", "/", 200, "admin"},
		{"unknown host", "beta.localhost", "/", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, app, tt.host, tt.path)
			if res.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", res.status, tt.wantStatus, res.body)
			}
			if tt.wantBody != "" && res.body != tt.wantBody {
				t.Errorf("body %q, want %q", res.body, tt.wantBody)
			}
		})
	}

	// The outer handler reuses request records: each request must see
	// its own host, tenant, language and id, never the last one's.
	t.Run("each request sees its own record", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		ids := map[string]bool{}
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 25 {
					slug, lang := "so", "vi"
					if (g+i)%2 == 1 {
						slug, lang = "alpha", "en"
					}
					req := httptest.NewRequest(http.MethodGet, "/who?lang="+lang, nil)
					req.Host = slug + ".localhost"
					res, err := app.Test(req, -1)
					if err != nil {
						t.Error(err)
						return
					}
					b, _ := io.ReadAll(res.Body)
					res.Body.Close()
					id := res.Header.Get("X-Request-Id")
					if want := slug + " " + slug + ".localhost " + lang + " " + id; string(b) != want || len(id) != 16 {
						t.Errorf("request %d of %d: %q, want %q", i, g, b, want)
						return
					}
					mu.Lock()
					if ids[id] {
						t.Errorf("request id %s given twice", id)
					}
					ids[id] = true
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	})

	t.Run("panic becomes a 500 page and a log line", func(t *testing.T) {
		logs.Reset()
		res := do(t, app, "alpha.localhost", "/panic")
		if res.status != 500 {
			t.Fatalf("status %d, want 500", res.status)
		}
		for _, bad := range []string{"secret panic detail", "goroutine", ".go:"} {
			if strings.Contains(res.body, bad) {
				t.Errorf("500 page shows %q", bad)
			}
		}
		if !strings.Contains(res.body, "Đã có lỗi xảy ra") {
			t.Errorf("not the server error page:\n%s", res.body)
		}
		if !strings.Contains(logs.String(), "secret panic detail") {
			t.Errorf("panic not logged:\n%s", logs.String())
		}
		// The app keeps serving.
		if res := do(t, app, "alpha.localhost", "/"); res.status != 200 {
			t.Errorf("after a panic: status %d", res.status)
		}
	})
}

// registryOf is the tenant registry of a fresh database holding the
// tenants ins, created in order.
func registryOf(t *testing.T, log *slog.Logger, ins ...provision.Input) *tenancy.Registry {
	t.Helper()
	ctx := context.Background()
	bdb := dbtest.New(t)
	p := &provision.Provisioner{DB: bdb, BaseDomain: "localhost", AdminHost: "admin.localhost"}
	for _, in := range ins {
		if _, err := p.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	reg := tenancy.NewRegistry(bdb, "localhost", log)
	if err := reg.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestFront: a Front's answer carries the request id and the security
// headers every answer carries and is logged with the tenant it names; a
// request it declines, or panics on, reaches the Fiber app untouched.
func TestFront(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	reg := registryOf(t, log, provision.Input{Slug: "so", Name: "Sở", Kind: tenancy.KindDepartment})
	r := renderer(t)
	site := web.NewApp(web.ErrorHandler(r, log), 1<<20)
	site.Get("/*", func(c *fiber.Ctx) error { return c.SendString("app " + c.Path()) })
	var seen web.Seen
	front := func(fctx *fasthttp.RequestCtx, s web.Seen) (*tenancy.Tenant, bool) {
		switch string(fctx.Path()) {
		case "/front":
			seen = s
			tn, _ := reg.Resolve(s.Host)
			fctx.SetBodyString("front")
			return tn, true
		case "/panic":
			fctx.SetBodyString("half an answer")
			panic("front broke")
		}
		return nil, false
	}
	app := web.New(web.Options{Log: log, Registry: reg, Renderer: r, AdminHost: "admin.localhost", Site: site, Front: front})

	logs.Reset()
	req := httptest.NewRequest(http.MethodGet, "/front?lang=en", nil)
	req.Host = "So.Localhost:8080"
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "front" {
		t.Fatalf("body %q, want the front's answer", body)
	}
	for _, name := range []string{"X-Request-Id", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"} {
		if got := res.Header.Values(name); len(got) != 1 {
			t.Errorf("%s sent %d times: %q", name, len(got), got)
		}
	}
	if want := (web.Seen{Host: "so.localhost", HostPort: "so.localhost:8080", Lang: "en"}); seen != want {
		t.Errorf("front saw %+v, want %+v", seen, want)
	}
	if line := logs.String(); !strings.Contains(line, "path=/front status=200") || !strings.Contains(line, "tenant=so") ||
		!strings.Contains(line, "request_id="+res.Header.Get("X-Request-Id")) {
		t.Errorf("access log:\n%s", line)
	}

	for path, want := range map[string]string{"/other": "app /other", "/panic": "app /panic"} {
		res := do(t, app, "so.localhost", path)
		if res.status != 200 || res.body != want {
			t.Errorf("%s: status %d body %q, want 200 %q", path, res.status, res.body, want)
		}
	}
	if !strings.Contains(logs.String(), "front broke") {
		t.Errorf("the front's panic is not logged:\n%s", logs.String())
	}
}

// TestFragmentIsItsTemplateKeptPerValue: {{fragment}} writes what
// {{template}} writes in the same place, hostile text included; it keeps
// the output per value and language, so a new value (a new tenant
// snapshot) or another language renders anew.
func TestFragmentIsItsTemplateKeptPerValue(t *testing.T) {
	type person struct{ Name string }
	fsys := fstest.MapFS{
		"layouts/site.html": {Data: []byte(`{{define "site"}}{{fragment "who" . .Data.Who}}|{{template "who" .}}{{end}}` +
			`{{define "who"}}{{with .Data.Who}}<b title="{{.Name}}">{{.Name}}</b> <a href="/?q={{.Name}}">{{t $.L "site.home"}}</a>{{end}}{{end}}`)},
		"site/x.html":     {Data: []byte(`{{define "content"}}{{end}}`)},
		"static/site.css": {Data: []byte(`body{}`)},
	}
	r, err := web.NewRenderer(fsys)
	if err != nil {
		t.Fatal(err)
	}
	render := func(l i18n.Lang, who *person) (fragment, template string) {
		t.Helper()
		b, err := r.Execute("site/x", web.View{L: l, Data: struct{ Who *person }{who}})
		if err != nil {
			t.Fatal(err)
		}
		fragment, template, _ = strings.Cut(string(b), "|")
		return fragment, template
	}
	p := &person{Name: `<Tú & "Lan"> 'x'`}
	f, tmpl := render(i18n.VI, p)
	if f != tmpl || !strings.Contains(f, "&lt;Tú &amp; &#34;Lan&#34;&gt;") {
		t.Fatalf("the fragment is not its template:\n%s\n%s", f, tmpl)
	}
	// The same value: the kept output, even if the value was changed in
	// place (a tenant snapshot never is).
	p.Name = "Hoa"
	if f2, tmpl2 := render(i18n.VI, p); f2 != f || !strings.Contains(tmpl2, "Hoa") {
		t.Errorf("the same value rendered anew or the template did not: %q, %q", f2, tmpl2)
	}
	// A new value, another language, no value: rendered as the template.
	for _, c := range []struct {
		l   i18n.Lang
		who *person
	}{{i18n.VI, &person{Name: "Hoa"}}, {i18n.EN, p}, {i18n.VI, nil}} {
		if f, tmpl := render(c.l, c.who); f != tmpl {
			t.Errorf("%s %v: fragment %q, template %q", c.l, c.who, f, tmpl)
		}
	}
}
