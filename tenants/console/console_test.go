package console_test

// The console as a browser sees it, through the whole assembled app on the
// admin host: sessions and their cookie, CSRF on every form, logout (here
// and everywhere), login throttling, the second factor, and managing the
// editorial board down to the public "Ban Biên tập" page and the audit log.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/provision"
)

const (
	adminHost = "admin.localhost"
	password  = "Đồi-chè-xanh-mướt-2024"
	nameA     = "Trung tâm Cẩm Tú Thử Nghiệm"
	nameB     = "Trường Diệp Lục Thử Nghiệm"
	slugA     = "cam-tu"
	slugB     = "diep-luc"
)

type world struct {
	t        *testing.T
	cfg      config.Config
	bdb      *bun.DB
	a        *app.App
	tenants  map[string]*tenancy.Tenant
	accounts map[string]*account.Account
}

// people: key → email, name, tenant slug, role.
var people = []struct{ key, email, name, tenant, role string }{
	{"owner", "quantri.a@camtu.gov.vn", "Quản Trị Cẩm Tú", slugA, authz.RoleSiteAdmin},
	{"chief", "truongban.a@camtu.gov.vn", "Trưởng Ban Cẩm Tú", slugA, authz.RoleEditorInChief},
	{"editor", "bientap.a@camtu.gov.vn", "Biên Tập Cẩm Tú", slugA, authz.RoleEditor},
	{"ownerB", "quantri.b@diepluc.gov.vn", "Quản Trị Diệp Lục", slugB, authz.RoleSiteAdmin},
	{"plain", "nguoi.dung@camtu.gov.vn", "Người Dùng Thường", slugA, authz.RoleContributor},
}

func newWorld(t *testing.T, mutate func(*config.Config)) *world {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	if mutate != nil {
		mutate(&cfg)
	}
	w := &world{t: t, cfg: cfg, bdb: dbtest.New(t), tenants: map[string]*tenancy.Tenant{}, accounts: map[string]*account.Account{}}
	p := app.NewProvisioner(cfg, w.bdb)
	for _, in := range []provision.Input{
		{Slug: "so-thu", Name: "Sở Thử Nghiệm", Kind: tenancy.KindDepartment},
		{Slug: slugA, Name: nameA, Kind: tenancy.KindUnit, Parent: "so-thu"},
		{Slug: slugB, Name: nameB, Kind: tenancy.KindUnit, Parent: "so-thu"},
	} {
		tn, err := p.Create(ctx, in)
		if err != nil {
			t.Fatalf("create %s: %v", in.Slug, err)
		}
		w.tenants[in.Slug] = tn
	}
	for _, pp := range people {
		acc, err := account.CreateWithParams(ctx, w.bdb, account.TestParams(), pp.email, pp.name, password)
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
	if err := w.a.Registry.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.a.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

type reply struct {
	status  int
	header  http.Header
	body    string
	cookies []*http.Cookie
}

func (r reply) String() string {
	b := r.body
	if len(b) > 1200 {
		b = b[:1200] + "…"
	}
	return fmt.Sprintf("status %d, Location %q, body:\n%s", r.status, r.header.Get("Location"), b)
}

func (r reply) cookie(name string) *http.Cookie {
	for _, c := range r.cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// browser keeps cookies like a browser does.
type browser struct {
	t    *testing.T
	a    *app.App
	host string
	jar  map[string]string
}

func (w *world) browser() *browser {
	return &browser{t: w.t, a: w.a, host: adminHost, jar: map[string]string{}}
}

func (b *browser) do(method, path string, form url.Values, headers ...string) reply {
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
	cs := res.Cookies()
	for _, c := range cs {
		if c.Value == "" || c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.jar, c.Name)
			continue
		}
		b.jar[c.Name] = c.Value
	}
	return reply{status: res.StatusCode, header: res.Header, body: string(body), cookies: cs}
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf reads the form token from a page of the session.
func (b *browser) csrf(page string) string {
	b.t.Helper()
	r := b.do(http.MethodGet, page, nil)
	m := csrfRe.FindStringSubmatch(r.body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s: %s", page, r)
	}
	return m[1]
}

// post sends a form with the session's CSRF token.
func (b *browser) post(path string, form url.Values) reply {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", b.csrf("/tai-khoan"))
	return b.do(http.MethodPost, path, form)
}

func (b *browser) login(email, pw string) reply {
	b.t.Helper()
	return b.do(http.MethodPost, "/login", url.Values{"email": {email}, "password": {pw}})
}

func (b *browser) mustLogin(email string) {
	b.t.Helper()
	r := b.login(email, password)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		b.t.Fatalf("login %s: %s", email, r)
	}
}

func (w *world) signedIn(key string) *browser {
	w.t.Helper()
	b := w.browser()
	b.mustLogin(w.accounts[key].Email)
	return b
}

// signedInAs reports whether the browser's session reaches the dashboard.
func (b *browser) signedInAs(name string) bool {
	b.t.Helper()
	r := b.do(http.MethodGet, "/", nil)
	return r.status == http.StatusOK && strings.Contains(r.body, name)
}

var alertRe = regexp.MustCompile(`<p class="flash error" role="alert">([^<]*)</p>`)

// alert is the error message shown on a form page.
func alert(r reply) string {
	m := alertRe.FindStringSubmatch(r.body)
	if m == nil {
		return ""
	}
	return m[1]
}

var flashRe = regexp.MustCompile(`<p class="flash (ok|error)" role="status">([^<]*)</p>`)

// followFlash loads the page a form redirected to and returns its flash.
func (b *browser) followFlash(r reply) (kind, text string) {
	b.t.Helper()
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("form did not redirect: %s", r)
	}
	page := b.do(http.MethodGet, r.header.Get("Location"), nil)
	m := flashRe.FindStringSubmatch(page.body)
	if m == nil {
		return "", ""
	}
	return m[1], m[2]
}

func TestSessionCookieAtLogin(t *testing.T) {
	w := newWorld(t, nil)
	email := w.accounts["owner"].Email
	planted := "Ke-gian-chon-truoc-gia-tri-nay-0123456789abc"

	b := w.browser()
	b.jar[account.CookieName] = planted
	if r := b.do(http.MethodGet, "/login", nil); r.status != http.StatusOK {
		t.Fatalf("login form with a planted cookie: %s", r)
	}
	b.jar[account.CookieName] = planted // in case the form cleared it
	r := b.login(email, password)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Fatalf("login: %s", r)
	}
	c := r.cookie(account.CookieName)
	if c == nil {
		t.Fatal("login set no session cookie")
	}
	t.Run("a new value, not the one set before login", func(t *testing.T) {
		if c.Value == planted || c.Value == "" {
			t.Errorf("session cookie after login is %q", c.Value)
		}
		if len(c.Value) < 32 {
			t.Errorf("session token %q is short", c.Value)
		}
		stranger := w.browser()
		stranger.jar[account.CookieName] = planted
		if stranger.signedInAs("Quản Trị Cẩm Tú") {
			t.Error("the planted cookie value is signed in")
		}
	})
	t.Run("HttpOnly, SameSite=Lax, whole host, not Secure over plain HTTP", func(t *testing.T) {
		if !c.HttpOnly {
			t.Error("not HttpOnly")
		}
		if c.SameSite != http.SameSiteLaxMode {
			t.Errorf("SameSite = %v, want Lax (raw %q)", c.SameSite, r.header.Values("Set-Cookie"))
		}
		if c.Path != "/" {
			t.Errorf("Path = %q", c.Path)
		}
		if c.Secure {
			t.Error("Secure over plain HTTP: the browser would never send it back")
		}
	})
	t.Run("the session works", func(t *testing.T) {
		if !b.signedInAs("Quản Trị Cẩm Tú") {
			t.Error("not signed in after login")
		}
	})
	t.Run("logging in again changes the id and ends the old session", func(t *testing.T) {
		old := b.jar[account.CookieName]
		r := b.do(http.MethodPost, "/login", url.Values{"email": {email}, "password": {password}, "_csrf": {b.csrf("/tai-khoan")}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("second login: %s", r)
		}
		now := b.jar[account.CookieName]
		if now == "" || now == old {
			t.Fatalf("session cookie did not change: %q", now)
		}
		replay := w.browser()
		replay.jar[account.CookieName] = old
		if replay.signedInAs("Quản Trị Cẩm Tú") {
			t.Error("the session from before the second login still works")
		}
		if !b.signedInAs("Quản Trị Cẩm Tú") {
			t.Error("the new session does not work")
		}
	})
}

func TestSessionCookieSecureBehindTLS(t *testing.T) {
	w := newWorld(t, func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}
	})
	b := w.browser()
	r := b.do(http.MethodPost, "/login", url.Values{"email": {w.accounts["owner"].Email}, "password": {password}}, "X-Forwarded-Proto", "https")
	c := r.cookie(account.CookieName)
	if r.status != http.StatusSeeOther || c == nil {
		t.Fatalf("login over TLS: %s", r)
	}
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie over TLS: Secure %v HttpOnly %v SameSite %v", c.Secure, c.HttpOnly, c.SameSite)
	}
}

func TestCSRF(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	id := w.accounts["owner"].ID
	b := w.signedIn("owner")
	tokens := func() int {
		ts, err := account.Tokens(ctx, w.bdb, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(ts)
	}

	t.Run("a POST without the field is refused", func(t *testing.T) {
		r := b.do(http.MethodPost, "/tai-khoan/token", url.Values{"name": {"không csrf"}})
		if r.status != http.StatusForbidden {
			t.Fatalf("want 403: %s", r)
		}
		if !strings.Contains(r.body, "Biểu mẫu đã hết hạn") || !strings.Contains(r.body, `lang="vi"`) {
			t.Errorf("403 page lacks the Vietnamese explanation: %s", r)
		}
		if n := tokens(); n != 0 {
			t.Errorf("%d tokens created by a refused POST", n)
		}
	})
	t.Run("a wrong or foreign token is refused", func(t *testing.T) {
		other := w.signedIn("owner") // a second session of the same account
		foreign := other.csrf("/tai-khoan")
		for name, tok := range map[string]string{"garbage": "abc", "empty": "", "other session's": foreign, "other session's, altered": foreign[:len(foreign)-2] + "xy"} {
			r := b.do(http.MethodPost, "/tai-khoan/token", url.Values{"name": {"x"}, "_csrf": {tok}})
			if r.status != http.StatusForbidden {
				t.Errorf("%s token: want 403: %s", name, r)
			}
			r = b.do(http.MethodPost, "/tai-khoan/token", url.Values{"name": {"x"}}, "X-CSRF-Token", tok)
			if r.status != http.StatusForbidden {
				t.Errorf("%s token in the header: want 403: %s", name, r)
			}
		}
		if n := tokens(); n != 0 {
			t.Errorf("%d tokens created by refused POSTs", n)
		}
	})
	t.Run("with the field the form works", func(t *testing.T) {
		r := b.post("/tai-khoan/token", url.Values{"name": {"máy chủ báo cáo"}})
		if r.status != http.StatusOK {
			t.Fatalf("want 200: %s", r)
		}
		m := regexp.MustCompile(`<code>(tt_[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("new token not shown: %s", r)
		}
		if n := tokens(); n != 1 {
			t.Errorf("%d tokens, want 1", n)
		}
		api := w.browser()
		me := api.do(http.MethodGet, "/api/v1/me", nil, "Authorization", "Bearer "+m[1])
		if me.status != http.StatusOK || !strings.Contains(me.body, w.accounts["owner"].Email) {
			t.Errorf("the new token does not authenticate: %s", me)
		}
	})
	t.Run("the header works too", func(t *testing.T) {
		r := b.do(http.MethodPost, "/tai-khoan/token", url.Values{"name": {"qua tiêu đề"}}, "X-CSRF-Token", b.csrf("/tai-khoan"))
		if r.status != http.StatusOK {
			t.Errorf("want 200: %s", r)
		}
	})
	t.Run("logout without the field is refused and the session lives", func(t *testing.T) {
		if r := b.do(http.MethodPost, "/logout", url.Values{}); r.status != http.StatusForbidden {
			t.Errorf("want 403: %s", r)
		}
		if !b.signedInAs("Quản Trị Cẩm Tú") {
			t.Error("session ended by a CSRF-less logout")
		}
	})
	t.Run("board and role forms are guarded too", func(t *testing.T) {
		for _, p := range []string{"/t/" + slugA + "/ban-bien-tap/quyet-dinh", "/t/" + slugA + "/vai-tro/giao", "/tai-khoan/dang-xuat-tat-ca", "/tai-khoan/2fa/bat-dau"} {
			if r := b.do(http.MethodPost, p, url.Values{"role": {authz.RoleSiteAdmin}, "email": {w.accounts["plain"].Email}}); r.status != http.StatusForbidden {
				t.Errorf("POST %s without CSRF: want 403: %s", p, r)
			}
		}
		if err := w.a.Authz.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if got := w.a.Authz.Roles(w.accounts["plain"].ID, w.tenants[slugA].ID); len(got) != 1 || got[0] != authz.RoleContributor {
			t.Errorf("roles after a refused grant: %v", got)
		}
	})
}

func TestLogout(t *testing.T) {
	w := newWorld(t, nil)
	b := w.signedIn("owner")
	old := b.jar[account.CookieName]
	r := b.post("/logout", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("logout: %s", r)
	}
	t.Run("the cookie is cleared", func(t *testing.T) {
		if c := r.cookie(account.CookieName); c == nil || c.Value != "" {
			t.Errorf("logout did not clear the cookie: %v", r.header.Values("Set-Cookie"))
		}
	})
	t.Run("the old value no longer signs in", func(t *testing.T) {
		replay := w.browser()
		replay.jar[account.CookieName] = old
		if r := replay.do(http.MethodGet, "/", nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
			t.Errorf("dashboard with the old cookie: %s", r)
		}
		if r := replay.do(http.MethodGet, "/api/v1/me", nil); r.status != http.StatusUnauthorized {
			t.Errorf("API with the old cookie: %s", r)
		}
	})
}

func TestLogoutEverywhere(t *testing.T) {
	w := newWorld(t, nil)
	laptop, phone := w.signedIn("owner"), w.signedIn("owner")
	colleague := w.signedIn("chief")
	r := laptop.post("/tai-khoan/dang-xuat-tat-ca", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("logout everywhere: %s", r)
	}
	t.Run("the other session is dead", func(t *testing.T) {
		if phone.signedInAs("Quản Trị Cẩm Tú") {
			t.Error("second session survived")
		}
		if r := phone.do(http.MethodGet, "/api/v1/me", nil); r.status != http.StatusUnauthorized {
			t.Errorf("second session on the API: %s", r)
		}
	})
	t.Run("this session is dead", func(t *testing.T) {
		if laptop.signedInAs("Quản Trị Cẩm Tú") {
			t.Error("the session that asked survived")
		}
	})
	t.Run("another account is untouched", func(t *testing.T) {
		if !colleague.signedInAs("Trưởng Ban Cẩm Tú") {
			t.Error("another account's session ended")
		}
	})
	t.Run("logging in again works", func(t *testing.T) {
		phone.mustLogin(w.accounts["owner"].Email)
		if !phone.signedInAs("Quản Trị Cẩm Tú") {
			t.Error("cannot sign in again")
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	w := newWorld(t, nil)
	email := w.accounts["owner"].Email
	b := w.browser()

	wrong := b.login(email, "sai-mat-khau-roi-0")
	unknown := b.login("khong.co.ai@camtu.gov.vn", "sai-mat-khau-roi-0")
	t.Run("unknown email and wrong password answer alike", func(t *testing.T) {
		if wrong.status != http.StatusUnauthorized || unknown.status != http.StatusUnauthorized {
			t.Fatalf("statuses %d and %d, want 401", wrong.status, unknown.status)
		}
		if alert(wrong) == "" || alert(wrong) != alert(unknown) {
			t.Errorf("messages differ: %q vs %q", alert(wrong), alert(unknown))
		}
		if !strings.Contains(alert(wrong), "mật khẩu không đúng") {
			t.Errorf("message %q", alert(wrong))
		}
		if wrong.cookie(account.CookieName) != nil && wrong.cookie(account.CookieName).Value != "" {
			t.Error("a failed login set a session cookie")
		}
	})
	for i := 1; i < 10; i++ { // ten wrong in all
		if r := b.login(email, fmt.Sprintf("sai-mat-khau-roi-%d", i)); r.status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %s", i+1, r)
		}
	}
	right := b.login(email, password)
	t.Run("the eleventh, right, attempt is refused with a clear message", func(t *testing.T) {
		if right.status != http.StatusTooManyRequests {
			t.Fatalf("want 429: %s", right)
		}
		msg := alert(right)
		if !strings.Contains(msg, "Đăng nhập sai quá nhiều lần") || !strings.Contains(msg, "phút") {
			t.Errorf("message %q is not the throttling message", msg)
		}
		if c := right.cookie(account.CookieName); c != nil && c.Value != "" {
			t.Error("throttled login set a session cookie")
		}
		if b.signedInAs("Quản Trị Cẩm Tú") {
			t.Error("signed in despite the throttle")
		}
	})
	t.Run("still refused on the next try", func(t *testing.T) {
		if r := b.login(email, password); r.status != http.StatusTooManyRequests {
			t.Errorf("want 429: %s", r)
		}
	})
	t.Run("another account is not locked out", func(t *testing.T) {
		other := w.browser()
		other.mustLogin(w.accounts["chief"].Email)
	})
	t.Run("after the window the right password works", func(t *testing.T) {
		past := time.Now().Add(-account.ThrottleWindow - time.Minute).UTC()
		if _, err := w.bdb.NewUpdate().Table("login_failures").Set("created_at = ?", past).Where("1 = 1").Exec(context.Background()); err != nil {
			t.Fatalf("age the failures: %v", err)
		}
		b.mustLogin(email)
	})
}

func TestSecondFactor(t *testing.T) {
	w := newWorld(t, nil)
	email := w.accounts["chief"].Email
	b := w.signedIn("chief")
	opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

	r := b.post("/tai-khoan/2fa/bat-dau", nil)
	if r.status != http.StatusOK {
		t.Fatalf("begin enrolment: %s", r)
	}
	m := regexp.MustCompile(`<code>([A-Z2-7]{16,})</code>`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no secret on the enrolment page: %s", r)
	}
	secret := m[1]
	t.Run("the enrolment page shows the QR code", func(t *testing.T) {
		img := regexp.MustCompile(`<img src="([^"]{0,40})`).FindStringSubmatch(r.body)
		if img == nil || !strings.HasPrefix(img[1], "data:image/png;base64,") {
			t.Errorf("no QR code image: the img src is %q", img)
		}
		if n := len(regexp.MustCompile(`<li><code>[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}</code></li>`).FindAllString(r.body, -1)); n != account.RecoveryCodeCount {
			t.Errorf("%d recovery codes shown, want %d", n, account.RecoveryCodeCount)
		}
	})
	t.Run("a wrong code does not enable it", func(t *testing.T) {
		good, _ := totp.GenerateCodeCustom(secret, time.Now(), opts)
		bad := "000000"
		if good == bad {
			bad = "111111"
		}
		kind, text := b.followFlash(b.post("/tai-khoan/2fa/xac-nhan", url.Values{"code": {bad}}))
		if kind != "error" || text == "" {
			t.Errorf("wrong code: flash %q %q", kind, text)
		}
		if a, _ := account.ByID(context.Background(), w.bdb, w.accounts["chief"].ID); a.TOTPEnabled {
			t.Fatal("second factor enabled by a wrong code")
		}
	})
	code, err := totp.GenerateCodeCustom(secret, time.Now(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if kind, text := b.followFlash(b.post("/tai-khoan/2fa/xac-nhan", url.Values{"code": {code}})); kind != "ok" {
		t.Fatalf("confirm: flash %q %q", kind, text)
	}
	if r := b.post("/logout", nil); r.status != http.StatusSeeOther {
		t.Fatalf("logout: %s", r)
	}

	r = b.login(email, password)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login/2fa" {
		t.Fatalf("login with 2FA: want 303 to /login/2fa: %s", r)
	}
	pending := b.jar[account.CookieName]
	t.Run("the pending session opens nothing", func(t *testing.T) {
		if b.signedInAs("Trưởng Ban Cẩm Tú") {
			t.Error("dashboard open before the second factor")
		}
		if r := b.do(http.MethodGet, "/api/v1/me", nil); r.status != http.StatusUnauthorized {
			t.Errorf("API before the second factor: %s", r)
		}
		if r := b.do(http.MethodGet, "/t/"+slugA, nil); r.status == http.StatusOK {
			t.Errorf("tenant page before the second factor: %s", r)
		}
	})
	t.Run("a wrong code is refused", func(t *testing.T) {
		for _, bad := range []string{"000000", "12345", "abcdef"} {
			if bad == code {
				continue
			}
			r := b.do(http.MethodPost, "/login/2fa", url.Values{"code": {bad}, "_csrf": {b.csrf("/login/2fa")}})
			if r.status != http.StatusUnauthorized || !strings.Contains(alert(r), "Mã xác thực không đúng") {
				t.Errorf("code %q: %s", bad, r)
			}
		}
		if b.signedInAs("Trưởng Ban Cẩm Tú") {
			t.Error("signed in after wrong codes")
		}
	})
	t.Run("a form without CSRF is refused", func(t *testing.T) {
		next, _ := totp.GenerateCodeCustom(secret, time.Now().Add(30*time.Second), opts)
		if r := b.do(http.MethodPost, "/login/2fa", url.Values{"code": {next}}); r.status != http.StatusForbidden {
			t.Errorf("want 403: %s", r)
		}
	})
	next, _ := totp.GenerateCodeCustom(secret, time.Now().Add(30*time.Second), opts)
	t.Run("the right code lets you in with a fresh session", func(t *testing.T) {
		r := b.do(http.MethodPost, "/login/2fa", url.Values{"code": {next}, "_csrf": {b.csrf("/login/2fa")}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
			t.Fatalf("right code: %s", r)
		}
		if b.jar[account.CookieName] == pending {
			t.Error("the session id did not change after the second factor")
		}
		if !b.signedInAs("Trưởng Ban Cẩm Tú") {
			t.Error("not signed in after the right code")
		}
	})
	t.Run("the same code cannot be used again", func(t *testing.T) {
		again := w.browser()
		if r := again.login(email, password); r.header.Get("Location") != "/login/2fa" {
			t.Fatalf("login: %s", r)
		}
		r := again.do(http.MethodPost, "/login/2fa", url.Values{"code": {next}, "_csrf": {again.csrf("/login/2fa")}})
		if r.status != http.StatusUnauthorized {
			t.Errorf("replayed code: %s", r)
		}
	})
}

func TestBoardManagement(t *testing.T) {
	w := newWorld(t, nil)
	boardPath := "/t/" + slugA + "/ban-bien-tap"
	publicBoard := func(t *testing.T) string {
		t.Helper()
		b := w.browser()
		b.host = slugA + ".localhost"
		r := b.do(http.MethodGet, "/ban-bien-tap", nil)
		if r.status != http.StatusOK {
			t.Fatalf("public board page: %s", r)
		}
		return r.body
	}

	owner := w.signedIn("owner")
	t.Run("site-admin sets the decision", func(t *testing.T) {
		r := owner.post(boardPath+"/quyet-dinh", url.Values{"number": {"125/QĐ-CTTN"}, "date": {"10/09/2024"},
			"signer_name": {"Nguyễn Văn Ký"}, "signer_title": {"Giám đốc"}})
		if kind, text := owner.followFlash(r); kind != "ok" {
			t.Fatalf("flash %q %q", kind, text)
		}
		page := owner.do(http.MethodGet, boardPath, nil)
		if !strings.Contains(page.body, "125/QĐ-CTTN") || !strings.Contains(page.body, "10/09/2024") {
			t.Errorf("console board page lacks the decision: %s", page)
		}
	})
	t.Run("a bad date is refused with a message", func(t *testing.T) {
		r := owner.post(boardPath+"/quyet-dinh", url.Values{"number": {"126/QĐ"}, "date": {"31/02/2024"}, "signer_name": {"X"}, "signer_title": {"Y"}})
		if kind, text := owner.followFlash(r); kind != "error" || !strings.Contains(text, "dd/mm/yyyy") {
			t.Errorf("flash %q %q", kind, text)
		}
	})
	t.Run("site-admin adds a member with a private phone", func(t *testing.T) {
		r := owner.post(boardPath+"/thanh-vien", url.Values{
			"name": {"Nguyễn Thị Thu Hà"}, "position": {"pho-ban"}, "job_title": {"Phó Giám đốc Trung tâm"},
			"duties": {"Phụ trách chuyên mục tin tức"}, "phone": {"0912 345 678"}, "email": {"thuha@camtu.gov.vn"},
		})
		if kind, text := owner.followFlash(r); kind != "ok" || !strings.Contains(text, "Nguyễn Thị Thu Hà") {
			t.Fatalf("flash %q %q", kind, text)
		}
	})
	chief := w.signedIn("chief")
	t.Run("editor-in-chief adds a member with a public phone", func(t *testing.T) {
		r := chief.post(boardPath+"/thanh-vien", url.Values{
			"name": {"Trần Văn Công Khai"}, "position": {"thu-ky"}, "phone": {"0987 654 321"}, "contact_public": {"on"},
		})
		if kind, text := chief.followFlash(r); kind != "ok" {
			t.Fatalf("flash %q %q", kind, text)
		}
	})
	t.Run("an editor may not change the board", func(t *testing.T) {
		ed := w.signedIn("editor")
		r := ed.post(boardPath+"/thanh-vien", url.Values{"name": {"Người Lạ"}, "position": {"bien-tap-vien"}})
		if r.status != http.StatusForbidden {
			t.Errorf("want 403: %s", r)
		}
		if page := ed.do(http.MethodGet, boardPath, nil); page.status != http.StatusOK || strings.Contains(page.body, `action="`+boardPath+`/thanh-vien"`) {
			t.Errorf("editor sees the board form (or not the page): %d", page.status)
		}
	})
	t.Run("the public page shows names and positions, not a private phone", func(t *testing.T) {
		body := publicBoard(t)
		for _, want := range []string{"Nguyễn Thị Thu Hà", "Phó ban", "Phó Giám đốc Trung tâm", "Trần Văn Công Khai", "Thư ký", "125/QĐ-CTTN", "0987 654 321"} {
			if !strings.Contains(body, want) {
				t.Errorf("public board page lacks %q", want)
			}
		}
		for _, never := range []string{"0912 345 678", "0912345678", "thuha@camtu.gov.vn", "Người Lạ", w.accounts["owner"].Email} {
			if strings.Contains(body, never) {
				t.Errorf("public board page shows %q", never)
			}
		}
	})
	t.Run("the change is in A's audit log and not in B's", func(t *testing.T) {
		page := owner.do(http.MethodGet, "/t/"+slugA+"/nhat-ky", nil)
		if page.status != http.StatusOK {
			t.Fatalf("audit page: %s", page)
		}
		if n := strings.Count(page.body, "board.changed"); n < 3 {
			t.Errorf("audit page shows %d board.changed events, want 3 (decision, two members)", n)
		}
		pageB := w.signedIn("ownerB").do(http.MethodGet, "/t/"+slugB+"/nhat-ky", nil)
		if pageB.status != http.StatusOK {
			t.Fatalf("B's audit page: %s", pageB)
		}
		if strings.Contains(pageB.body, "board.changed") || strings.Contains(pageB.body, "Nguyễn Thị Thu Hà") {
			t.Errorf("B's audit log shows A's board changes")
		}
	})
	t.Run("removing a member takes it off the public page", func(t *testing.T) {
		page := owner.do(http.MethodGet, boardPath, nil)
		m := regexp.MustCompile(`action="`+regexp.QuoteMeta(boardPath)+`/thanh-vien/([^"/]+)/xoa"`).FindAllStringSubmatch(page.body, -1)
		if len(m) != 2 {
			t.Fatalf("%d remove forms, want 2", len(m))
		}
		// Members are listed by position: the deputy first.
		if kind, text := chief.followFlash(chief.post(boardPath+"/thanh-vien/"+m[0][1]+"/xoa", nil)); kind != "ok" {
			t.Fatalf("remove: flash %q %q", kind, text)
		}
		body := publicBoard(t)
		if strings.Contains(body, "Nguyễn Thị Thu Hà") {
			t.Error("removed member still on the public page")
		}
		if !strings.Contains(body, "Trần Văn Công Khai") {
			t.Error("the other member vanished")
		}
	})
}
