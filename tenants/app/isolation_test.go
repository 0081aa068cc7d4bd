package app_test

// Tenant isolation through the real HTTP stack on the admin host: the
// console with a logged-in browser session (cookie + CSRF token) and the
// API with bearer tokens. Unit A and unit B sit under one department; the
// people of A must learn nothing about B (404, never 403, and never B's
// name), office staff read everything and change nothing, and a platform
// admin onboards tenants that are served at once. The last tests check
// that a revocation reaches a second process on the same database.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/board"
	"github.com/trangtin/trangtin/tenants/demo"
	"github.com/trangtin/trangtin/tenants/provision"
)

const isoAdminHost = "admin.localhost"

// The organisation of these tests. Names and slugs are distinct enough
// that none occurs inside another or in ordinary page text.
const (
	isoSlugDept = "so-cach-ly"
	isoSlugA    = "anh-dao"
	isoSlugB    = "bach-duong"
	isoNameDept = "Sở Lao động Cách Ly"
	isoNameA    = "Trung tâm Anh Đào Quảng Trị"
	isoNameB    = "Trường Bạch Dương Kon Tum"
	isoPassword = apptest.Password
	// isoSecret is the platform secret both "processes" share.
	isoSecret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

// isoPerson is an account of the test organisation with its role.
type isoPerson struct {
	key, email, name, tenant, role string // tenant "" = platform role
}

var isoPeople = []isoPerson{
	{"ctvA", "ctv.a@sotest.gov.vn", "Cộng Tác Viên Ánh", isoSlugA, authz.RoleContributor},
	{"btvA", "btv.a@sotest.gov.vn", "Biên Tập Viên Hằng", isoSlugA, authz.RoleEditor},
	{"qtA", "qt.a@sotest.gov.vn", "Quản Trị Viên Khánh", isoSlugA, authz.RoleSiteAdmin},
	{"btvB", "btv.b@sotest.gov.vn", "Biên Tập Viên Lộc", isoSlugB, authz.RoleEditor},
	{"vp", "vanphong@sotest.gov.vn", "Văn Phòng Sở Mai", "", authz.RoleOfficeStaff},
	{"admin", "admin@sotest.gov.vn", "Quản Trị Hệ Thống Ngân", "", authz.RolePlatformAdmin},
}

// isoWorld is one database with the organisation, its accounts and an app.
type isoWorld struct {
	t        testing.TB
	cfg      config.Config
	bdb      *bun.DB
	opts     db.Options
	a        *app.App
	tenants  map[string]*tenancy.Tenant // by slug
	accounts map[string]*account.Account
	tokens   map[string]string
	// bMember is a member of B's board, a real object to aim at.
	bMember *board.Member
}

func isoConfig(t testing.TB) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		t.Fatalf("load default config: %v", err)
	}
	cfg.DataDir = t.TempDir()
	cfg.Secret = isoSecret
	return cfg
}

// newIsoApp assembles the platform as `trangtin serve` does, with cheap
// password hashing.
func newIsoApp(t testing.TB, cfg config.Config, bdb *bun.DB) *app.App {
	t.Helper()
	a, err := app.New(context.Background(), cfg, bdb, discard(), app.WithAccountOptions(account.WithParams(account.TestParams())))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	return a
}

// newIsoWorld builds the organisation with isoPeople and the people a
// test adds.
func newIsoWorld(t testing.TB, more ...isoPerson) *isoWorld {
	t.Helper()
	return buildIsoWorld(t, isoBuild{}, more...)
}

// isoBuild is how the isolation world's app is built, when not as
// newIsoWorld builds it.
type isoBuild struct {
	// limits, when not nil, are the PostgreSQL limits of the app's own
	// pool; the world's bdb stays a second pool on the same database, the
	// outside writer a test holds locks with.
	limits     *db.Limits
	appOptions []app.Option
}

func buildIsoWorld(t testing.TB, b isoBuild, more ...isoPerson) *isoWorld {
	t.Helper()
	ctx := context.Background()
	var people []apptest.Person
	for _, pp := range append(slices.Clip(isoPeople), more...) {
		people = append(people, apptest.Person{Key: pp.key, Email: pp.email, Name: pp.name, Tenant: pp.tenant, Role: pp.role})
	}
	bdb, opts := dbtest.NewWithOptions(t)
	appDB := bdb
	if b.limits != nil {
		limited := opts
		limited.Limits = *b.limits
		own, err := db.Open(ctx, limited)
		if err != nil {
			t.Fatalf("open the app's pool: %v", err)
		}
		t.Cleanup(func() { _ = own.Close() })
		appDB = own
	}
	world := apptest.New(t, apptest.Options{
		DB:         appDB,
		AppOptions: b.appOptions,
		Org: []provision.Input{
			{Slug: isoSlugDept, Name: isoNameDept, Kind: tenancy.KindDepartment},
			{Slug: isoSlugA, Name: isoNameA, Kind: tenancy.KindUnit, Parent: isoSlugDept, Domains: []string{"anhdao.gov.vn"}},
			{Slug: isoSlugB, Name: isoNameB, Kind: tenancy.KindUnit, Parent: isoSlugDept, Domains: []string{"bachduong.gov.vn"}},
		},
		People: people,
		Config: func(cfg *config.Config) { cfg.Secret = isoSecret },
	})
	w := &isoWorld{t: t, cfg: world.Config, bdb: bdb, opts: opts, a: world.App, tenants: world.Tenants,
		accounts: world.Accounts, tokens: world.Tokens("kiểm thử")}
	// B has a board: a decision and a member, the objects A must not touch.
	bID := w.tenants[isoSlugB].ID
	if _, err := board.SetDecision(ctx, w.bdb, bID, w.accounts["btvB"].ID, board.DecisionInput{
		Number: "77/QĐ-BD", Date: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), SignerName: "Hiệu Trưởng Bạch", SignerTitle: "Hiệu trưởng",
	}); err != nil {
		t.Fatalf("B decision: %v", err)
	}
	m, err := board.AddMember(ctx, w.bdb, bID, w.accounts["btvB"].ID, board.MemberInput{
		Name: "Thành Viên Bạch Quyên", Position: board.PositionEditor, AccountID: w.accounts["btvB"].ID,
	})
	if err != nil {
		t.Fatalf("B member: %v", err)
	}
	w.bMember = m
	return w
}

// isoReply is one HTTP answer.
type isoReply struct {
	status int
	header http.Header
	body   string
}

func (r isoReply) String() string {
	b := r.body
	if len(b) > 1500 {
		b = b[:1500] + "…"
	}
	return fmt.Sprintf("status %d, Location %q, body:\n%s", r.status, r.header.Get("Location"), b)
}

// visitor is a browser (cookie jar) or an API client (bearer token) of
// one app.
type visitor struct {
	t      testing.TB
	a      *app.App
	host   string
	jar    map[string]string
	bearer string
	// csrfToken is a session's form token, kept by tests that post many
	// forms without loading a page each time.
	csrfToken string
}

func newVisitor(t testing.TB, a *app.App) *visitor {
	return &visitor{t: t, a: a, host: isoAdminHost, jar: map[string]string{}}
}

func bearerVisitor(t testing.TB, a *app.App, token string) *visitor {
	v := newVisitor(t, a)
	v.bearer = token
	return v
}

// do sends one request; form (may be nil) is sent url-encoded. headers are
// name, value pairs.
func (v *visitor) do(method, path string, form url.Values, headers ...string) isoReply {
	v.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	return v.send(req, headers...)
}

// doJSON sends a JSON body.
func (v *visitor) doJSON(method, path string, body any, headers ...string) isoReply {
	v.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		v.t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	return v.send(req, headers...)
}

func (v *visitor) send(req *http.Request, headers ...string) isoReply {
	v.t.Helper()
	req.Host = v.host
	req.RequestURI = ""
	for name, value := range v.jar {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	if v.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+v.bearer)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := v.a.HTTP.Test(req, -1)
	if err != nil {
		v.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	for _, c := range res.Cookies() {
		if c.Value == "" || c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(v.jar, c.Name)
			continue
		}
		v.jar[c.Name] = c.Value
	}
	return isoReply{status: res.StatusCode, header: res.Header, body: sb.String()}
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the form token shown on the account page (or, for a
// pending login, the second-factor form).
func (v *visitor) csrf() string {
	v.t.Helper()
	r := v.do(http.MethodGet, "/tai-khoan", nil)
	if r.status != http.StatusOK {
		r = v.do(http.MethodGet, "/login/2fa", nil)
	}
	m := csrfRe.FindStringSubmatch(r.body)
	if m == nil {
		v.t.Fatalf("no CSRF token on the page: %s", r)
	}
	return m[1]
}

// post sends a console form with the session's CSRF token.
func (v *visitor) post(path string, form url.Values) isoReply {
	v.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", v.csrf())
	return v.do(http.MethodPost, path, form)
}

// login signs the browser in through the console form.
func (v *visitor) login(email, password string) {
	v.t.Helper()
	r := v.do(http.MethodPost, "/login", url.Values{"email": {email}, "password": {password}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		v.t.Fatalf("login %s: %s", email, r)
	}
	if v.jar[account.CookieName] == "" {
		v.t.Fatalf("login %s set no session cookie", email)
	}
}

// session returns a browser signed in as the person.
func (w *isoWorld) session(key string) *visitor {
	w.t.Helper()
	v := newVisitor(w.t, w.a)
	v.login(w.accounts[key].Email, isoPassword)
	return v
}

// api returns an API client with the person's token.
func (w *isoWorld) api(key string) *visitor {
	return bearerVisitor(w.t, w.a, w.tokens[key])
}

// mustNotReveal fails when a body names tenant B.
func mustNotReveal(t *testing.T, r isoReply, what string) {
	t.Helper()
	for _, s := range []string{isoNameB, isoSlugB, "Bạch Dương", "77/QĐ-BD", "Bạch Quyên"} {
		if strings.Contains(r.body, s) {
			t.Errorf("%s reveals %q:\n%s", what, s, r)
		}
	}
}

var requestIDRe = regexp.MustCompile(`[0-9a-zA-Z-]{16,}`)

// isoTenantList decodes a {"items": [Tenant]} body into its slugs.
func isoTenantList(t *testing.T, r isoReply) []string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("GET /api/v1/tenants: %s", r)
	}
	var list struct {
		Items []struct {
			Slug string `json:"slug"`
		} `json:"items"`
		Next *string `json:"next"`
	}
	if err := json.Unmarshal([]byte(r.body), &list); err != nil {
		t.Fatalf("tenant list is not JSON: %v\n%s", err, r.body)
	}
	if list.Next == nil {
		t.Errorf("tenant list lacks \"next\": %s", r.body)
	}
	var slugs []string
	for _, it := range list.Items {
		slugs = append(slugs, it.Slug)
	}
	sort.Strings(slugs)
	return slugs
}

// isoMe is the contract's Account shape.
type isoMe struct {
	ID            string   `json:"id"`
	Email         string   `json:"email"`
	Name          string   `json:"name"`
	PlatformRoles []string `json:"platform_roles"`
	Tenants       []struct {
		Slug  string   `json:"slug"`
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
	} `json:"tenants"`
}

func decodeMe(t *testing.T, r isoReply) isoMe {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("GET /api/v1/me: %s", r)
	}
	var me isoMe
	if err := json.Unmarshal([]byte(r.body), &me); err != nil {
		t.Fatalf("/api/v1/me is not JSON: %v\n%s", err, r.body)
	}
	return me
}

// errorBody is the contract's error envelope.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

func decodeError(t *testing.T, r isoReply, status int) errorBody {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r)
	}
	if ct := r.header.Get("Content-Type"); !strings.Contains(ct, "application/json") {
		t.Errorf("error Content-Type %q, want JSON", ct)
	}
	var e errorBody
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, r.body)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("error body lacks code or message: %s", r.body)
	}
	return e
}

// bPaths are B's console pages and forms, with a real member id.
func (w *isoWorld) bPages() []string {
	b := "/t/" + isoSlugB
	return []string{b, b + "/ban-bien-tap", b + "/vai-tro", b + "/nhat-ky"}
}

func (w *isoWorld) bForms() map[string]url.Values {
	b := "/t/" + isoSlugB
	mid := w.bMember.ID
	return map[string]url.Values{
		b + "/ban-bien-tap/quyet-dinh":                 {"number": {"1/QĐ-XAM"}, "date": {"01/01/2025"}, "signer_name": {"Kẻ Xâm Nhập"}, "signer_title": {"Giám đốc"}},
		b + "/ban-bien-tap/thanh-vien":                 {"name": {"Kẻ Xâm Nhập"}, "position": {string(board.PositionEditor)}},
		b + "/ban-bien-tap/thanh-vien/" + mid:          {"name": {"Kẻ Xâm Nhập"}, "position": {string(board.PositionEditor)}},
		b + "/ban-bien-tap/thanh-vien/" + mid + "/xoa": {},
		b + "/vai-tro/giao":                            {"email": {"ctv.a@sotest.gov.vn"}, "role": {authz.RoleEditorInChief}},
		b + "/vai-tro/thu-hoi":                         {"email": {"btv.b@sotest.gov.vn"}, "role": {authz.RoleEditor}},
	}
}

// bUnchanged checks that B's board and roles are as seeded.
func (w *isoWorld) bUnchanged(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	bID := w.tenants[isoSlugB].ID
	b, err := board.Get(ctx, w.bdb, bID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Decision == nil || b.Decision.Number != "77/QĐ-BD" {
		t.Errorf("B's decision changed: %+v", b.Decision)
	}
	if len(b.Members) != 1 || b.Members[0].ID != w.bMember.ID || b.Members[0].Name != "Thành Viên Bạch Quyên" {
		t.Errorf("B's members changed: %+v", b.Members)
	}
	if err := w.a.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	got := w.a.Authz.Members(bID)
	want := map[string][]string{w.accounts["btvB"].ID: {authz.RoleEditor}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("B's role holders changed (-want +got):\n%s", diff)
	}
}

func TestIsolationConsoleOfOtherUnit(t *testing.T) {
	w := newIsoWorld(t)
	// The 404 of a tenant that does not exist: B's pages must look the same.
	probe := w.session("ctvA")
	ghost := probe.do(http.MethodGet, "/t/khong-ton-tai", nil)
	if ghost.status != http.StatusNotFound {
		t.Fatalf("unknown tenant: %s", ghost)
	}
	for _, key := range []string{"ctvA", "btvA"} {
		t.Run(key, func(t *testing.T) {
			v := w.session(key)
			for _, p := range w.bPages() {
				t.Run("GET "+p, func(t *testing.T) {
					r := v.do(http.MethodGet, p, nil)
					if r.status != http.StatusNotFound {
						t.Fatalf("want 404: %s", r)
					}
					mustNotReveal(t, r, "GET "+p)
					if a, b := requestIDRe.ReplaceAllString(r.body, ""), requestIDRe.ReplaceAllString(ghost.body, ""); a != b {
						t.Errorf("B's 404 differs from an unknown tenant's 404:\n%s\n---\n%s", a, b)
					}
				})
			}
			for p, form := range w.bForms() {
				t.Run("POST "+p, func(t *testing.T) {
					r := v.post(p, form)
					if r.status != http.StatusNotFound {
						t.Fatalf("want 404 (with a valid CSRF token): %s", r)
					}
					mustNotReveal(t, r, "POST "+p)
				})
			}
			t.Run("switcher does not lead to B", func(t *testing.T) {
				r := v.do(http.MethodGet, "/chuyen-don-vi?t="+isoSlugB, nil)
				ghost := v.do(http.MethodGet, "/chuyen-don-vi?t=khong-ton-tai", nil)
				if r.status != ghost.status || r.header.Get("Location") != ghost.header.Get("Location") {
					t.Errorf("switching to B (%d → %q) answers unlike an unknown tenant (%d → %q): B's existence is revealed",
						r.status, r.header.Get("Location"), ghost.status, ghost.header.Get("Location"))
				}
			})
			t.Run("dashboard and own tenant do not name B", func(t *testing.T) {
				for _, p := range []string{"/", "/t/" + isoSlugA, "/t/" + isoSlugA + "/ban-bien-tap", "/tai-khoan"} {
					r := v.do(http.MethodGet, p, nil)
					if r.status != http.StatusOK {
						t.Fatalf("GET %s: %s", p, r)
					}
					mustNotReveal(t, r, "GET "+p)
				}
				r := v.do(http.MethodGet, "/", nil)
				if !strings.Contains(r.body, isoNameA) {
					t.Errorf("dashboard does not list A (%q)", isoNameA)
				}
			})
			t.Run("the API with a token answers the same", func(t *testing.T) {
				api := w.api(key)
				for _, p := range w.bPages() {
					r := api.do(http.MethodGet, p, nil)
					if r.status != http.StatusNotFound {
						t.Errorf("GET %s with a token: want 404: %s", p, r)
					}
					mustNotReveal(t, r, "GET "+p)
				}
				for p, form := range w.bForms() {
					r := api.do(http.MethodPost, p, form)
					if r.status != http.StatusNotFound {
						t.Errorf("POST %s with a token: want 404: %s", p, r)
					}
				}
			})
		})
	}
	t.Run("nothing of B changed", func(t *testing.T) { w.bUnchanged(t) })
}

// TestIsolationEveryTenantRoute walks the admin route table: every route
// that names a tenant (:slug) answers 404 to a member of another tenant,
// whatever its method, so a route added later is covered too.
func TestIsolationEveryTenantRoute(t *testing.T) {
	w := newIsoWorld(t)
	browser := w.session("ctvA")
	token := w.api("btvA")
	n := 0
	for _, rt := range w.a.Admin.GetRoutes(true) {
		if !strings.Contains(rt.Path, ":slug") || rt.Method == http.MethodConnect || rt.Method == http.MethodTrace {
			continue
		}
		path := strings.ReplaceAll(rt.Path, ":slug", isoSlugB)
		path = regexp.MustCompile(`:[a-z_]+\??`).ReplaceAllString(path, w.bMember.ID)
		n++
		t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
			var r isoReply
			if rt.Method == http.MethodGet || rt.Method == http.MethodHead {
				r = browser.do(rt.Method, path, nil)
			} else {
				r = browser.do(rt.Method, path, url.Values{"_csrf": {browser.csrf()}})
			}
			if r.status != http.StatusNotFound {
				t.Errorf("console session of A's contributor: want 404: %s", r)
			}
			mustNotReveal(t, r, rt.Method+" "+path)
			r = token.do(rt.Method, path, nil)
			if r.status != http.StatusNotFound {
				t.Errorf("token of A's editor: want 404: %s", r)
			}
			mustNotReveal(t, r, rt.Method+" "+path)
		})
	}
	if n < 10 {
		t.Errorf("only %d tenant routes found; the walk is not covering the console", n)
	}
	w.bUnchanged(t)
}

func TestIsolationAPI(t *testing.T) {
	w := newIsoWorld(t)
	t.Run("contributor of A lists only A", func(t *testing.T) {
		got := isoTenantList(t, w.api("ctvA").do(http.MethodGet, "/api/v1/tenants", nil))
		if diff := cmp.Diff([]string{isoSlugA}, got); diff != "" {
			t.Errorf("tenants (-want +got):\n%s", diff)
		}
	})
	t.Run("contributor of A lists only A with a session too", func(t *testing.T) {
		got := isoTenantList(t, w.session("ctvA").do(http.MethodGet, "/api/v1/tenants", nil))
		if diff := cmp.Diff([]string{isoSlugA}, got); diff != "" {
			t.Errorf("tenants (-want +got):\n%s", diff)
		}
	})
	t.Run("editor of B lists only B", func(t *testing.T) {
		got := isoTenantList(t, w.api("btvB").do(http.MethodGet, "/api/v1/tenants", nil))
		if diff := cmp.Diff([]string{isoSlugB}, got); diff != "" {
			t.Errorf("tenants (-want +got):\n%s", diff)
		}
	})
	t.Run("office staff and platform admin list every tenant", func(t *testing.T) {
		for _, key := range []string{"vp", "admin"} {
			got := isoTenantList(t, w.api(key).do(http.MethodGet, "/api/v1/tenants", nil))
			if diff := cmp.Diff([]string{isoSlugA, isoSlugB, isoSlugDept}, got); diff != "" {
				t.Errorf("%s: tenants (-want +got):\n%s", key, diff)
			}
		}
	})
	t.Run("me of A's contributor", func(t *testing.T) {
		r := w.api("ctvA").do(http.MethodGet, "/api/v1/me", nil)
		me := decodeMe(t, r)
		if me.ID != w.accounts["ctvA"].ID || me.Email != "ctv.a@sotest.gov.vn" || me.Name != "Cộng Tác Viên Ánh" {
			t.Errorf("me = %+v", me)
		}
		if me.PlatformRoles == nil || len(me.PlatformRoles) != 0 {
			t.Errorf("platform_roles = %#v, want []", me.PlatformRoles)
		}
		if len(me.Tenants) != 1 || me.Tenants[0].Slug != isoSlugA || me.Tenants[0].Name != isoNameA ||
			!cmp.Equal(me.Tenants[0].Roles, []string{authz.RoleContributor}) {
			t.Errorf("tenants = %+v, want only A as contributor", me.Tenants)
		}
		mustNotReveal(t, r, "/api/v1/me")
	})
	t.Run("me of office staff", func(t *testing.T) {
		me := decodeMe(t, w.api("vp").do(http.MethodGet, "/api/v1/me", nil))
		if !cmp.Equal(me.PlatformRoles, []string{authz.RoleOfficeStaff}) || len(me.Tenants) != 0 {
			t.Errorf("me = %+v", me)
		}
	})
	t.Run("only a platform admin onboards", func(t *testing.T) {
		in := map[string]any{"slug": "chen-ngang", "name": "Đơn vị Chen Ngang", "kind": "unit", "parent": isoSlugDept}
		for _, key := range []string{"ctvA", "btvA", "qtA", "btvB", "vp"} {
			r := w.api(key).doJSON(http.MethodPost, "/api/v1/tenants", in)
			decodeError(t, r, http.StatusForbidden)
		}
		// A session (with its CSRF token) is refused the same way.
		s := w.session("vp")
		r := s.doJSON(http.MethodPost, "/api/v1/tenants", in, "X-CSRF-Token", s.csrf())
		decodeError(t, r, http.StatusForbidden)
		if _, ok := w.a.Registry.BySlug("chen-ngang"); ok {
			t.Error("a refused onboarding created the tenant")
		}
		if n, err := w.bdb.NewSelect().Table("tenants").Where("slug = ?", "chen-ngang").Count(context.Background()); err != nil || n != 0 {
			t.Errorf("tenant row after refused onboarding: %d (%v)", n, err)
		}
	})
	t.Run("editor of A has no permission in B", func(t *testing.T) {
		bID, aID := w.tenants[isoSlugB].ID, w.tenants[isoSlugA].ID
		ed := w.accounts["btvA"].ID
		if w.a.Authz.Member(ed, bID) {
			t.Error("editor of A is a member of B")
		}
		for _, p := range authz.All() {
			if w.a.Authz.Allowed(ed, bID, p) {
				t.Errorf("editor of A holds %s in B", p)
			}
		}
		// The control: the same account does hold its editor rights in A.
		for _, p := range []authz.Permission{authz.PostReview, authz.PostEditAny, authz.TenantView} {
			if !w.a.Authz.Allowed(ed, aID, p) {
				t.Errorf("editor of A lacks %s in A", p)
			}
		}
	})
}

func TestIsolationOwnTenantLimits(t *testing.T) {
	w := newIsoWorld(t)
	a := "/t/" + isoSlugA
	ctv := w.session("ctvA")
	t.Run("contributor opens A's overview and board", func(t *testing.T) {
		for _, p := range []string{a, a + "/ban-bien-tap"} {
			r := ctv.do(http.MethodGet, p, nil)
			if r.status != http.StatusOK || !strings.Contains(r.body, isoNameA) {
				t.Errorf("GET %s: %s", p, r)
			}
		}
	})
	t.Run("contributor gets 403 on A's roles and audit", func(t *testing.T) {
		for _, p := range []string{a + "/vai-tro", a + "/nhat-ky"} {
			if r := ctv.do(http.MethodGet, p, nil); r.status != http.StatusForbidden {
				t.Errorf("GET %s: want 403: %s", p, r)
			}
		}
	})
	t.Run("contributor cannot make itself editor-in-chief", func(t *testing.T) {
		r := ctv.post(a+"/vai-tro/giao", url.Values{"email": {"ctv.a@sotest.gov.vn"}, "role": {authz.RoleEditorInChief}})
		if r.status != http.StatusForbidden {
			t.Errorf("want 403: %s", r)
		}
		r = ctv.post(a+"/ban-bien-tap/thanh-vien", url.Values{"name": {"Tự Phong"}, "position": {string(board.PositionChief)}})
		if r.status != http.StatusForbidden {
			t.Errorf("add board member: want 403: %s", r)
		}
		if err := w.a.Authz.Reload(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := w.a.Authz.Roles(w.accounts["ctvA"].ID, w.tenants[isoSlugA].ID); !cmp.Equal(got, []string{authz.RoleContributor}) {
			t.Errorf("contributor's roles in A now %v", got)
		}
	})
	t.Run("the menu offers only what the contributor may do", func(t *testing.T) {
		r := ctv.do(http.MethodGet, a, nil)
		if strings.Contains(r.body, `href="`+a+`/vai-tro"`) || strings.Contains(r.body, `href="`+a+`/nhat-ky"`) {
			t.Errorf("contributor's menu links to roles or audit:\n%s", r.body)
		}
		if !strings.Contains(r.body, `href="`+a+`/ban-bien-tap"`) {
			t.Error("contributor's menu lacks the board")
		}
	})
}

func TestOfficeStaffReadsEverythingChangesNothing(t *testing.T) {
	w := newIsoWorld(t)
	vp := w.session("vp")
	vpAPI := w.api("vp")
	for _, slug := range []string{isoSlugDept, isoSlugA, isoSlugB} {
		name := w.tenants[slug].Name
		t.Run("reads "+slug, func(t *testing.T) {
			for _, p := range []string{"/t/" + slug, "/t/" + slug + "/ban-bien-tap"} {
				r := vp.do(http.MethodGet, p, nil)
				if r.status != http.StatusOK || !strings.Contains(r.body, name) {
					t.Errorf("GET %s: want 200 naming %q: %s", p, name, r)
				}
			}
		})
		t.Run("changes nothing in "+slug, func(t *testing.T) {
			b := "/t/" + slug
			forms := map[string]url.Values{
				b + "/ban-bien-tap/quyet-dinh": {"number": {"9/QĐ-VP"}, "date": {"01/02/2025"}, "signer_name": {"Văn Phòng"}, "signer_title": {"Chánh Văn phòng"}},
				b + "/ban-bien-tap/thanh-vien": {"name": {"Người Văn Phòng"}, "position": {string(board.PositionEditor)}},
				b + "/vai-tro/giao":            {"email": {"vanphong@sotest.gov.vn"}, "role": {authz.RoleSiteAdmin}},
				b + "/vai-tro/thu-hoi":         {"email": {"btv.b@sotest.gov.vn"}, "role": {authz.RoleEditor}},
			}
			if slug == isoSlugB {
				forms[b+"/ban-bien-tap/thanh-vien/"+w.bMember.ID+"/xoa"] = url.Values{}
			}
			for p, form := range forms {
				if r := vp.post(p, form); r.status != http.StatusForbidden {
					t.Errorf("POST %s (session with CSRF): want 403: %s", p, r)
				}
				if r := vpAPI.do(http.MethodPost, p, form); r.status != http.StatusForbidden {
					t.Errorf("POST %s (token): want 403: %s", p, r)
				}
			}
			for _, p := range []string{b + "/vai-tro", b + "/nhat-ky"} {
				if r := vp.do(http.MethodGet, p, nil); r.status != http.StatusForbidden {
					t.Errorf("GET %s: want 403: %s", p, r)
				}
			}
		})
	}
	t.Run("nothing changed", func(t *testing.T) {
		w.bUnchanged(t)
		ctx := context.Background()
		for _, slug := range []string{isoSlugDept, isoSlugA} {
			b, err := board.Get(ctx, w.bdb, w.tenants[slug].ID)
			if err != nil {
				t.Fatal(err)
			}
			if b.Decision != nil || len(b.Members) != 0 {
				t.Errorf("%s's board changed: %+v", slug, b)
			}
		}
		if got := w.a.Authz.Assignments(w.accounts["vp"].ID); !cmp.Equal(got, map[string][]string{authz.PlatformDomain: {authz.RoleOfficeStaff}}) {
			t.Errorf("office staff's roles now %v", got)
		}
	})
	t.Run("quota data everywhere, no item writing", func(t *testing.T) {
		id := w.accounts["vp"].ID
		for _, p := range []authz.Permission{authz.QuotaViewAll, authz.ReportView} {
			if !w.a.Authz.Allowed(id, authz.PlatformDomain, p) {
				t.Errorf("office staff lacks %s", p)
			}
		}
		for _, slug := range []string{isoSlugA, isoSlugB} {
			for _, p := range []authz.Permission{authz.PostCreate, authz.PostEditAny, authz.PostPublish, authz.PostForcePublish,
				authz.BoardManage, authz.TenantSettings, authz.InboxDecide, authz.MediaUpload, authz.AuditView} {
				if w.a.Authz.Allowed(id, w.tenants[slug].ID, p) {
					t.Errorf("office staff holds %s in %s", p, slug)
				}
			}
		}
		for _, p := range []authz.Permission{authz.TenantOnboard, authz.TenantManage, authz.AccountManage, authz.AuditViewAll} {
			if w.a.Authz.Allowed(id, authz.PlatformDomain, p) {
				t.Errorf("office staff holds %s on the platform", p)
			}
		}
	})
}

func TestPlatformAdminOnboardsTenant(t *testing.T) {
	w := newIsoWorld(t)
	admin := w.api("admin")
	in := map[string]any{"slug": "phong-moi", "name": "Phòng Mới Thành Lập", "kind": "unit", "parent": isoSlugDept, "domains": []string{"phongmoi.gov.vn"}}
	// Before: the host is unknown.
	if r := get(t, w.a, "phong-moi.localhost", "/"); r.status != http.StatusNotFound {
		t.Fatalf("new host before onboarding: %d", r.status)
	}
	r := admin.doJSON(http.MethodPost, "/api/v1/tenants", in)
	if r.status != http.StatusCreated {
		t.Fatalf("POST /api/v1/tenants: %s", r)
	}
	t.Run("answer has the contract's Tenant shape", func(t *testing.T) {
		var raw map[string]any
		if err := json.Unmarshal([]byte(r.body), &raw); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		for _, k := range []string{"slug", "name", "kind", "parent", "status", "domains", "has_site", "quota_per_week"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("tenant lacks %q: %s", k, r.body)
			}
		}
		want := map[string]any{"slug": "phong-moi", "name": "Phòng Mới Thành Lập", "kind": "unit", "parent": isoSlugDept,
			"status": "active", "domains": []any{"phongmoi.gov.vn"}, "has_site": true}
		for k, v := range want {
			if !cmp.Equal(raw[k], v) {
				t.Errorf("%s = %#v, want %#v", k, raw[k], v)
			}
		}
		if q, ok := raw["quota_per_week"].(float64); !ok || q < 0 {
			t.Errorf("quota_per_week = %#v", raw["quota_per_week"])
		}
	})
	t.Run("served at once on its hosts", func(t *testing.T) {
		for _, host := range []string{"phong-moi.localhost", "phongmoi.gov.vn"} {
			r := get(t, w.a, host, "/")
			if r.status != http.StatusOK || !strings.Contains(r.body, "Phòng Mới Thành Lập") {
				t.Errorf("GET %s/: %d", host, r.status)
			}
		}
	})
	t.Run("visible in the lists at once", func(t *testing.T) {
		got := isoTenantList(t, admin.do(http.MethodGet, "/api/v1/tenants", nil))
		if !cmp.Equal(got, []string{isoSlugA, isoSlugB, "phong-moi", isoSlugDept}) {
			t.Errorf("tenants = %v", got)
		}
		if r := w.session("admin").do(http.MethodGet, "/t/phong-moi", nil); r.status != http.StatusOK {
			t.Errorf("console of the new tenant: %s", r)
		}
		// A's contributor still sees only A.
		if got := isoTenantList(t, w.api("ctvA").do(http.MethodGet, "/api/v1/tenants", nil)); !cmp.Equal(got, []string{isoSlugA}) {
			t.Errorf("A's contributor now lists %v", got)
		}
	})
	t.Run("duplicate slug is a 409 with the error shape", func(t *testing.T) {
		e := decodeError(t, admin.doJSON(http.MethodPost, "/api/v1/tenants", in), http.StatusConflict)
		_ = e
	})
	t.Run("bad input is a 400 with the error shape", func(t *testing.T) {
		bad := map[string]any{"slug": "xau", "name": "X", "kind": "school", "parent": isoSlugDept}
		r := admin.doJSON(http.MethodPost, "/api/v1/tenants", bad)
		if r.status != http.StatusBadRequest && r.status != http.StatusUnprocessableEntity {
			t.Fatalf("want 400/422: %s", r)
		}
		decodeError(t, r, r.status)
		r = admin.do(http.MethodPost, "/api/v1/tenants", nil, "Content-Type", "application/json")
		decodeError(t, r, http.StatusBadRequest)
		r = admin.doJSON(http.MethodPost, "/api/v1/tenants", map[string]any{"slug": "xau", "ten": "X"})
		decodeError(t, r, http.StatusBadRequest)
	})
}

func TestAPICredentials(t *testing.T) {
	w := newIsoWorld(t)
	t.Run("no credentials", func(t *testing.T) {
		v := newVisitor(t, w.a)
		for _, p := range []string{"/api/v1/me", "/api/v1/tenants"} {
			e := decodeError(t, v.do(http.MethodGet, p, nil), http.StatusUnauthorized)
			if e.Error.Code == "" {
				t.Errorf("%s: no error code", p)
			}
		}
		decodeError(t, v.doJSON(http.MethodPost, "/api/v1/tenants", map[string]any{"slug": "x"}), http.StatusUnauthorized)
	})
	t.Run("a good token", func(t *testing.T) {
		me := decodeMe(t, w.api("btvA").do(http.MethodGet, "/api/v1/me", nil))
		if me.Email != "btv.a@sotest.gov.vn" || len(me.Tenants) != 1 || !cmp.Equal(me.Tenants[0].Roles, []string{authz.RoleEditor}) {
			t.Errorf("me = %+v", me)
		}
	})
	wrong := map[string]string{
		"unknown token":     "Bearer tt_" + strings.Repeat("x", 43),
		"token of no shape": "Bearer abc",
		"empty bearer":      "Bearer ",
		"other scheme":      "Basic " + "YWRtaW46YWRtaW4=",
		"token cut short":   "Bearer " + w.tokens["btvA"][:len(w.tokens["btvA"])-1],
	}
	for name, header := range wrong {
		t.Run(name+" is 401 even with a valid session cookie", func(t *testing.T) {
			s := w.session("admin")
			r := s.do(http.MethodGet, "/api/v1/me", nil, "Authorization", header)
			decodeError(t, r, http.StatusUnauthorized)
			if strings.Contains(r.body, "admin@sotest.gov.vn") {
				t.Errorf("the session's account leaked: %s", r.body)
			}
			// The console page also refuses rather than falling back to the cookie.
			if r := s.do(http.MethodGet, "/t/"+isoSlugA, nil, "Authorization", header); r.status != http.StatusUnauthorized {
				t.Errorf("console with a bad token: want 401: %s", r)
			}
			// The session itself is still good.
			if r := s.do(http.MethodGet, "/api/v1/me", nil); r.status != http.StatusOK {
				t.Errorf("session after: %s", r)
			}
		})
	}
	t.Run("a revoked token", func(t *testing.T) {
		ctx := context.Background()
		tok, rec, err := w.a.Accounts.CreateToken(ctx, w.bdb, w.accounts["btvA"].ID, "thu hồi")
		if err != nil {
			t.Fatal(err)
		}
		v := bearerVisitor(t, w.a, tok)
		if r := v.do(http.MethodGet, "/api/v1/me", nil); r.status != http.StatusOK {
			t.Fatalf("before revocation: %s", r)
		}
		if err := w.a.Accounts.RevokeToken(ctx, w.bdb, w.accounts["btvA"].ID, rec.ID, ""); err != nil {
			t.Fatal(err)
		}
		decodeError(t, v.do(http.MethodGet, "/api/v1/me", nil), http.StatusUnauthorized)
	})
	t.Run("anonymous console page goes to the login", func(t *testing.T) {
		v := newVisitor(t, w.a)
		r := v.do(http.MethodGet, "/t/"+isoSlugA, nil)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
			t.Errorf("want 303 to /login: %s", r)
		}
		r = v.do(http.MethodPost, "/t/"+isoSlugA+"/vai-tro/giao", url.Values{"email": {"ctv.a@sotest.gov.vn"}, "role": {authz.RoleSiteAdmin}})
		if r.status != http.StatusUnauthorized {
			t.Errorf("anonymous POST: want 401: %s", r)
		}
	})
}

// TestDemoAccountsSeeOnlyTheirTenants signs in as every demo account and
// opens every tenant of the demo organisation.
func TestDemoAccountsSeeOnlyTheirTenants(t *testing.T) {
	ctx := context.Background()
	cfg := isoConfig(t)
	bdb := dbtest.New(t)
	if _, err := app.NewDemoSeederWith(cfg, bdb, account.TestParams()).Run(ctx); err != nil {
		t.Fatalf("demo: %v", err)
	}
	a := newIsoApp(t, cfg, bdb)
	all := a.Registry.All()
	if len(all) < 4 {
		t.Fatalf("demo has only %d tenants", len(all))
	}
	accounts, err := account.List(ctx, bdb)
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) < 5 {
		t.Fatalf("demo has only %d accounts", len(accounts))
	}
	for _, acc := range accounts {
		t.Run(acc.Email, func(t *testing.T) {
			v := newVisitor(t, a)
			v.login(acc.Email, demo.Password)
			roles := a.Authz.Assignments(acc.ID)
			platform := len(roles[authz.PlatformDomain]) > 0
			var wantList []string
			for _, tn := range all {
				member := platform || len(roles[tn.ID]) > 0
				if member {
					wantList = append(wantList, tn.Slug)
				}
				r := v.do(http.MethodGet, "/t/"+tn.Slug, nil)
				switch {
				case member && r.status != http.StatusOK:
					t.Errorf("own tenant %s: %s", tn.Slug, r)
				case !member && r.status != http.StatusNotFound:
					t.Errorf("other tenant %s: want 404: %s", tn.Slug, r)
				case !member && strings.Contains(r.body, tn.Name):
					t.Errorf("404 of %s names it", tn.Slug)
				}
			}
			sort.Strings(wantList)
			got := isoTenantList(t, v.do(http.MethodGet, "/api/v1/tenants", nil))
			if diff := cmp.Diff(wantList, got); diff != "" {
				t.Errorf("/api/v1/tenants (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRevocationReachesSecondProcess revokes a role through the console
// of one app and watches a second app, on its own connection to the same
// database, refuse the account within a second.
func TestRevocationReachesSecondProcess(t *testing.T) {
	w := newIsoWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bdb2, err := db.Open(ctx, w.opts)
	if err != nil {
		t.Fatalf("second connection: %v", err)
	}
	defer bdb2.Close()
	a2 := newIsoApp(t, w.cfg, bdb2)
	done := make(chan struct{})
	go func() { defer close(done); a2.Authz.Run(ctx, 100*time.Millisecond) }()
	defer func() { cancel(); <-done }()

	aPage := "/t/" + isoSlugA
	ed1 := bearerVisitor(t, w.a, w.tokens["btvA"])
	ed2 := bearerVisitor(t, a2, w.tokens["btvA"])
	for name, v := range map[string]*visitor{"first app": ed1, "second app": ed2} {
		if r := v.do(http.MethodGet, aPage, nil); r.status != http.StatusOK {
			t.Fatalf("%s before revocation: %s", name, r)
		}
	}
	edSession2 := newVisitor(t, a2)
	edSession2.login("btv.a@sotest.gov.vn", isoPassword)
	if r := edSession2.do(http.MethodGet, aPage, nil); r.status != http.StatusOK {
		t.Fatalf("session on second app before revocation: %s", r)
	}

	admin := w.session("qtA")
	edHidden := `name="account_id" value="` + w.accounts["btvA"].ID + `"`
	if page := admin.do(http.MethodGet, aPage+"/vai-tro", nil); !strings.Contains(page.body, edHidden) || !strings.Contains(page.body, "Biên Tập Viên Hằng") {
		t.Fatalf("roles page does not list the editor before the revocation: %s", page)
	}
	r := admin.post(aPage+"/vai-tro/thu-hoi", url.Values{"email": {"btv.a@sotest.gov.vn"}, "role": {authz.RoleEditor}})
	revokedAt := time.Now()
	if r.status != http.StatusSeeOther || r.header.Get("Location") != aPage+"/vai-tro" {
		t.Fatalf("revoke through the console: %s", r)
	}

	t.Run("first app refuses on the next request", func(t *testing.T) {
		if r := ed1.do(http.MethodGet, aPage, nil); r.status != http.StatusNotFound {
			t.Errorf("want 404 right after the revocation: %s", r)
		}
		me := decodeMe(t, ed1.do(http.MethodGet, "/api/v1/me", nil))
		if len(me.Tenants) != 0 {
			t.Errorf("me still lists %+v", me.Tenants)
		}
		page := admin.do(http.MethodGet, aPage+"/vai-tro", nil)
		if page.status != http.StatusOK || strings.Contains(page.body, edHidden) || strings.Contains(page.body, "Biên Tập Viên Hằng") {
			t.Errorf("roles page still lists the revoked editor: %s", page)
		}
		if !strings.Contains(page.body, "Đã thu hồi vai trò") {
			t.Errorf("roles page does not confirm the revocation")
		}
	})
	t.Run("second app refuses within a second", func(t *testing.T) {
		var last isoReply
		for {
			last = ed2.do(http.MethodGet, aPage, nil)
			if last.status == http.StatusNotFound {
				break
			}
			if time.Since(revokedAt) > time.Second {
				t.Fatalf("second app still answers %d %v after the revocation", last.status, time.Since(revokedAt))
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("second app refused after %v", time.Since(revokedAt).Round(time.Millisecond))
		if r := edSession2.do(http.MethodGet, aPage, nil); r.status != http.StatusNotFound {
			t.Errorf("session on the second app: want 404: %s", r)
		}
		if got := isoTenantList(t, ed2.do(http.MethodGet, "/api/v1/tenants", nil)); len(got) != 0 {
			t.Errorf("second app still lists %v", got)
		}
	})
	t.Run("a new grant also reaches the second app within a second", func(t *testing.T) {
		r := admin.post(aPage+"/vai-tro/giao", url.Values{"email": {"btv.a@sotest.gov.vn"}, "role": {authz.RoleContributor}})
		grantedAt := time.Now()
		if r.status != http.StatusSeeOther {
			t.Fatalf("grant through the console: %s", r)
		}
		if r := ed1.do(http.MethodGet, aPage, nil); r.status != http.StatusOK {
			t.Errorf("first app after the grant: %s", r)
		}
		for {
			r := ed2.do(http.MethodGet, aPage, nil)
			if r.status == http.StatusOK {
				break
			}
			if time.Since(grantedAt) > time.Second {
				t.Fatalf("second app still answers %d after the grant", r.status)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// Contributor now, not editor: the roles page stays closed.
		if r := ed2.do(http.MethodGet, aPage+"/vai-tro", nil); r.status != http.StatusForbidden {
			t.Errorf("roles page for a contributor: want 403: %s", r)
		}
	})
}
