package console_test

// The world of the dashboard test: a Department with two units and their
// boards, and a browser without JavaScript (the same as the item pages' tests
// in tenants/post).

import (
	"context"
	"io"
	"log/slog"
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
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
)

const (
	pwPassword = "Sông-Mã-chảy-về-xuôi-2024"
	pwSlugA    = "bv-hoa-mai"
	pwSlugB    = "bv-hoa-dao"
	pwNameA    = "Trung tâm Hoa Mai Thử Nghiệm"
	pwNameB    = "Trung tâm Hoa Đào Thử Nghiệm"
)

// pwWorld is a platform with two units and their boards.
type pwWorld struct {
	t        *testing.T
	bdb      *bun.DB
	a        *app.App
	tenants  map[string]*tenancy.Tenant
	accounts map[string]*account.Account
}

var pwPeople = []struct{ key, email, name, tenant, role string }{
	{"writer", "ctv.hoamai@example.vn", "Cộng Tác Viên Hoa Mai", pwSlugA, authz.RoleContributor},
	{"editor", "btv.hoamai@example.vn", "Biên Tập Viên Hoa Mai", pwSlugA, authz.RoleEditor},
	{"chief", "tb.hoamai@example.vn", "Trưởng Ban Hoa Mai", pwSlugA, authz.RoleEditorInChief},
	{"outsider", "ctv.hoadao@example.vn", "Cộng Tác Viên Hoa Đào", pwSlugB, authz.RoleContributor},
}

func newPWWorld(t *testing.T) *pwWorld {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	w := &pwWorld{t: t, bdb: dbtest.New(t), tenants: map[string]*tenancy.Tenant{}, accounts: map[string]*account.Account{}}
	p := app.NewProvisioner(cfg, w.bdb)
	for _, in := range []provision.Input{
		{Slug: "so-bv", Name: "Sở Thử Nghiệm Bài Viết", Kind: tenancy.KindDepartment},
		{Slug: pwSlugA, Name: pwNameA, Kind: tenancy.KindUnit, Parent: "so-bv"},
		{Slug: pwSlugB, Name: pwNameB, Kind: tenancy.KindUnit, Parent: "so-bv"},
	} {
		tn, err := p.Create(ctx, in)
		if err != nil {
			t.Fatalf("create %s: %v", in.Slug, err)
		}
		w.tenants[in.Slug] = tn
	}
	for _, pp := range pwPeople {
		acc, err := account.CreateWithParams(ctx, w.bdb, account.TestParams(), pp.email, pp.name, pwPassword)
		if err != nil {
			t.Fatalf("account %s: %v", pp.email, err)
		}
		w.accounts[pp.key] = acc
		if err := authz.GrantRole(ctx, w.bdb, acc.ID, w.tenants[pp.tenant].ID, pp.role); err != nil {
			t.Fatalf("grant %s: %v", pp.email, err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w.a, err = app.New(ctx, cfg, w.bdb, log, app.WithAccountOptions(account.WithParams(account.TestParams())))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	if err := w.a.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

// pwPage is one response.
type pwPage struct {
	status int
	header http.Header
	body   string
}

func (p pwPage) String() string {
	b := p.body
	if len(b) > 3000 {
		b = b[:3000] + "…"
	}
	return http.StatusText(p.status) + "\n" + b
}

// pwBrowser keeps cookies and the form token, like a browser without JS.
type pwBrowser struct {
	t    *testing.T
	a    *app.App
	host string
	jar  map[string]string
	tok  string
}

func (w *pwWorld) signIn(key string) *pwBrowser {
	w.t.Helper()
	b := &pwBrowser{t: w.t, a: w.a, host: "admin.localhost", jar: map[string]string{}}
	r := b.do(http.MethodPost, "/login", url.Values{"email": {w.accounts[key].Email}, "password": {pwPassword}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		w.t.Fatalf("login %s: %s", key, r)
	}
	return b
}

func (b *pwBrowser) do(method, path string, form url.Values, headers ...string) pwPage {
	b.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.Host = b.host
	req.RequestURI = ""
	for n, v := range b.jar {
		req.AddCookie(&http.Cookie{Name: n, Value: v})
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := b.a.HTTP.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range res.Cookies() {
		if c.Value == "" || c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.jar, c.Name)
			continue
		}
		b.jar[c.Name] = c.Value
	}
	return pwPage{status: res.StatusCode, header: res.Header, body: string(body)}
}

var pwCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// get loads a page and remembers its form token.
func (b *pwBrowser) get(path string) pwPage {
	b.t.Helper()
	r := b.do(http.MethodGet, path, nil)
	if m := pwCSRF.FindStringSubmatch(r.body); m != nil {
		b.tok = m[1]
	}
	return r
}

// submit posts a form with the token of the last page loaded.
func (b *pwBrowser) submit(path string, form url.Values) pwPage {
	b.t.Helper()
	if b.tok == "" {
		b.get("/tai-khoan")
	}
	form.Set("_csrf", b.tok)
	return b.do(http.MethodPost, path, form)
}

// follow loads the page a form redirected to.
func (b *pwBrowser) follow(r pwPage) pwPage {
	b.t.Helper()
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("form did not redirect: %s", r)
	}
	return b.get(r.header.Get("Location"))
}

// step posts a workflow transition and wants it done.
func (b *pwBrowser) step(base string, form url.Values) pwPage {
	b.t.Helper()
	b.get(base)
	r := b.submit(base+"/chuyen", form)
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("transition %v: %s", form, r)
	}
	return b.follow(r)
}

func mustContain(t *testing.T, p pwPage, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Errorf("page does not show %q:\n%s", w, p)
		}
	}
}

func mustNotContain(t *testing.T, p pwPage, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(p.body, w) {
			t.Errorf("page shows %q:\n%s", w, p)
		}
	}
}

func pwForm(title, summary, body string) url.Values {
	return url.Values{
		"title": {title}, "summary": {summary}, "body": {body}, "type": {"news"},
		"section": {post.DefaultSection}, "fields": {"lao-dong-viec-lam", "giao-duc-nghe-nghiep"},
		"event_date": {"2026-11-20"}, "byline": {"Minh Anh"},
	}
}

const (
	pwTitle   = "Hội nghị tổng kết công tác giải quyết việc làm năm 2026"
	pwSummary = "Sáng 20/11/2026, Trung tâm tổ chức hội nghị tổng kết công tác giải quyết việc làm."
	pwBody    = "<p>Hội nghị đánh giá kết quả tư vấn, giới thiệu việc làm cho hơn 3.000 lao động.</p>"
)
