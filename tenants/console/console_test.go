package console_test

// The console as a browser sees it, through the whole assembled app on the
// admin host: sessions and their cookie, CSRF on every form, logout (here
// and everywhere), login throttling, the second factor, and managing the
// editorial board down to the public "Ban Biên tập" page and the audit log.

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/provision"
)

const (
	adminHost = "admin.localhost"
	password  = apptest.Password
	nameA     = "Trung tâm Cẩm Tú Thử Nghiệm"
	nameB     = "Trường Diệp Lục Thử Nghiệm"
	slugA     = "cam-tu"
	slugB     = "diep-luc"
)

// world is the console's test world: a Department and two units, and
// people with their roles (apptest).
type world struct{ *apptest.World }

// people: key → email, name, tenant slug, role.
var people = []apptest.Person{
	{Key: "owner", Email: "quantri.a@camtu.gov.vn", Name: "Quản Trị Cẩm Tú", Tenant: slugA, Role: authz.RoleSiteAdmin},
	{Key: "chief", Email: "truongban.a@camtu.gov.vn", Name: "Trưởng Ban Cẩm Tú", Tenant: slugA, Role: authz.RoleEditorInChief},
	{Key: "editor", Email: "bientap.a@camtu.gov.vn", Name: "Biên Tập Cẩm Tú", Tenant: slugA, Role: authz.RoleEditor},
	{Key: "ownerB", Email: "quantri.b@diepluc.gov.vn", Name: "Quản Trị Diệp Lục", Tenant: slugB, Role: authz.RoleSiteAdmin},
	{Key: "plain", Email: "nguoi.dung@camtu.gov.vn", Name: "Người Dùng Thường", Tenant: slugA, Role: authz.RoleContributor},
}

var consoleOrg = []provision.Input{
	{Slug: "so-thu", Name: "Sở Thử Nghiệm", Kind: tenancy.KindDepartment},
	{Slug: slugA, Name: nameA, Kind: tenancy.KindUnit, Parent: "so-thu"},
	{Slug: slugB, Name: nameB, Kind: tenancy.KindUnit, Parent: "so-thu"},
}

func newWorld(t *testing.T, mutate func(*config.Config)) *world {
	t.Helper()
	return &world{apptest.New(t, apptest.Options{Org: consoleOrg, People: people, Config: mutate})}
}

type (
	reply   = apptest.Reply
	browser = apptest.Browser
)

// signedInAs reports whether the browser's session reaches the dashboard.
func signedInAs(t *testing.T, b *browser, name string) bool {
	t.Helper()
	r := b.Get("/")
	return r.Status == http.StatusOK && strings.Contains(r.Body, name)
}

var alertRe = regexp.MustCompile(`<p class="flash error" role="alert">([^<]*)</p>`)

// alert is the error message shown on a form page.
func alert(r reply) string {
	m := alertRe.FindStringSubmatch(r.Body)
	if m == nil {
		return ""
	}
	return m[1]
}

var flashRe = regexp.MustCompile(`<p class="flash (ok|error)" role="status">([^<]*)</p>`)

// followFlash loads the page a form redirected to and returns its flash.
func followFlash(t *testing.T, b *browser, r reply) (kind, text string) {
	t.Helper()
	if r.Status != http.StatusSeeOther {
		t.Fatalf("form did not redirect: %s", r)
	}
	page := b.Get(r.Header.Get("Location"))
	m := flashRe.FindStringSubmatch(page.Body)
	if m == nil {
		return "", ""
	}
	return m[1], m[2]
}

func TestSessionCookieAtLogin(t *testing.T) {
	w := newWorld(t, nil)
	email := w.Accounts["owner"].Email
	planted := "Ke-gian-chon-truoc-gia-tri-nay-0123456789abc"

	b := w.Browser("")
	b.Jar[account.CookieName] = planted
	if r := b.Do(http.MethodGet, "/login", nil); r.Status != http.StatusOK {
		t.Fatalf("login form with a planted cookie: %s", r)
	}
	b.Jar[account.CookieName] = planted // in case the form cleared it
	r := b.Login(email, password)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("login: %s", r)
	}
	c := r.Cookie(account.CookieName)
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
		stranger := w.Browser("")
		stranger.Jar[account.CookieName] = planted
		if signedInAs(t, stranger, "Quản Trị Cẩm Tú") {
			t.Error("the planted cookie value is signed in")
		}
	})
	t.Run("HttpOnly, SameSite=Lax, whole host, not Secure over plain HTTP", func(t *testing.T) {
		if !c.HttpOnly {
			t.Error("not HttpOnly")
		}
		if c.SameSite != http.SameSiteLaxMode {
			t.Errorf("SameSite = %v, want Lax (raw %q)", c.SameSite, r.Header.Values("Set-Cookie"))
		}
		if c.Path != "/" {
			t.Errorf("Path = %q", c.Path)
		}
		if c.Secure {
			t.Error("Secure over plain HTTP: the browser would never send it back")
		}
	})
	t.Run("the session works", func(t *testing.T) {
		if !signedInAs(t, b, "Quản Trị Cẩm Tú") {
			t.Error("not signed in after login")
		}
	})
	t.Run("logging in again changes the id and ends the old session", func(t *testing.T) {
		old := b.Jar[account.CookieName]
		r := b.Do(http.MethodPost, "/login", url.Values{"email": {email}, "password": {password}, "_csrf": {b.CSRF("/tai-khoan")}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("second login: %s", r)
		}
		now := b.Jar[account.CookieName]
		if now == "" || now == old {
			t.Fatalf("session cookie did not change: %q", now)
		}
		replay := w.Browser("")
		replay.Jar[account.CookieName] = old
		if signedInAs(t, replay, "Quản Trị Cẩm Tú") {
			t.Error("the session from before the second login still works")
		}
		if !signedInAs(t, b, "Quản Trị Cẩm Tú") {
			t.Error("the new session does not work")
		}
	})
}

func TestSessionCookieSecureBehindTLS(t *testing.T) {
	w := newWorld(t, func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}
	})
	b := w.Browser("")
	r := b.Do(http.MethodPost, "/login", url.Values{"email": {w.Accounts["owner"].Email}, "password": {password}}, "X-Forwarded-Proto", "https")
	c := r.Cookie(account.CookieName)
	if r.Status != http.StatusSeeOther || c == nil {
		t.Fatalf("login over TLS: %s", r)
	}
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie over TLS: Secure %v HttpOnly %v SameSite %v", c.Secure, c.HttpOnly, c.SameSite)
	}
}

func TestCSRF(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	id := w.Accounts["owner"].ID
	b := w.SignedIn("owner")
	tokens := func() int {
		ts, err := account.Tokens(ctx, w.DB, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(ts)
	}

	t.Run("a POST without the field is refused", func(t *testing.T) {
		r := b.Do(http.MethodPost, "/tai-khoan/token", url.Values{"name": {"không csrf"}})
		if r.Status != http.StatusForbidden {
			t.Fatalf("want 403: %s", r)
		}
		if !strings.Contains(r.Body, "Biểu mẫu đã hết hạn") || !strings.Contains(r.Body, `lang="vi"`) {
			t.Errorf("403 page lacks the Vietnamese explanation: %s", r)
		}
		if n := tokens(); n != 0 {
			t.Errorf("%d tokens created by a refused POST", n)
		}
	})
	t.Run("a wrong or foreign token is refused", func(t *testing.T) {
		other := w.SignedIn("owner") // a second session of the same account
		foreign := other.CSRF("/tai-khoan")
		for name, tok := range map[string]string{"garbage": "abc", "empty": "", "other session's": foreign, "other session's, altered": foreign[:len(foreign)-2] + "xy"} {
			r := b.Do(http.MethodPost, "/tai-khoan/token", url.Values{"name": {"x"}, "_csrf": {tok}})
			if r.Status != http.StatusForbidden {
				t.Errorf("%s token: want 403: %s", name, r)
			}
			r = b.Do(http.MethodPost, "/tai-khoan/token", url.Values{"name": {"x"}}, "X-CSRF-Token", tok)
			if r.Status != http.StatusForbidden {
				t.Errorf("%s token in the header: want 403: %s", name, r)
			}
		}
		if n := tokens(); n != 0 {
			t.Errorf("%d tokens created by refused POSTs", n)
		}
	})
	t.Run("with the field the form works", func(t *testing.T) {
		r := b.Post("/tai-khoan/token", url.Values{"name": {"máy chủ báo cáo"}})
		if r.Status != http.StatusOK {
			t.Fatalf("want 200: %s", r)
		}
		m := regexp.MustCompile(`<code>(tt_[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("new token not shown: %s", r)
		}
		if n := tokens(); n != 1 {
			t.Errorf("%d tokens, want 1", n)
		}
		api := w.Browser("")
		me := api.Do(http.MethodGet, "/api/v1/me", nil, "Authorization", "Bearer "+m[1])
		if me.Status != http.StatusOK || !strings.Contains(me.Body, w.Accounts["owner"].Email) {
			t.Errorf("the new token does not authenticate: %s", me)
		}
	})
	t.Run("the header works too", func(t *testing.T) {
		r := b.Do(http.MethodPost, "/tai-khoan/token", url.Values{"name": {"qua tiêu đề"}}, "X-CSRF-Token", b.CSRF("/tai-khoan"))
		if r.Status != http.StatusOK {
			t.Errorf("want 200: %s", r)
		}
	})
	t.Run("logout without the field is refused and the session lives", func(t *testing.T) {
		if r := b.Do(http.MethodPost, "/logout", url.Values{}); r.Status != http.StatusForbidden {
			t.Errorf("want 403: %s", r)
		}
		if !signedInAs(t, b, "Quản Trị Cẩm Tú") {
			t.Error("session ended by a CSRF-less logout")
		}
	})
	t.Run("board and role forms are guarded too", func(t *testing.T) {
		for _, p := range []string{"/t/" + slugA + "/ban-bien-tap/quyet-dinh", "/t/" + slugA + "/vai-tro/giao", "/tai-khoan/dang-xuat-tat-ca", "/tai-khoan/2fa/bat-dau"} {
			if r := b.Do(http.MethodPost, p, url.Values{"role": {authz.RoleSiteAdmin}, "email": {w.Accounts["plain"].Email}}); r.Status != http.StatusForbidden {
				t.Errorf("POST %s without CSRF: want 403: %s", p, r)
			}
		}
		if err := w.App.Authz.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if got := w.App.Authz.Roles(w.Accounts["plain"].ID, w.Tenants[slugA].ID); len(got) != 1 || got[0] != authz.RoleContributor {
			t.Errorf("roles after a refused grant: %v", got)
		}
	})
}

func TestLogout(t *testing.T) {
	w := newWorld(t, nil)
	b := w.SignedIn("owner")
	old := b.Jar[account.CookieName]
	r := b.Post("/logout", nil)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %s", r)
	}
	t.Run("the cookie is cleared", func(t *testing.T) {
		if c := r.Cookie(account.CookieName); c == nil || c.Value != "" {
			t.Errorf("logout did not clear the cookie: %v", r.Header.Values("Set-Cookie"))
		}
	})
	t.Run("the old value no longer signs in", func(t *testing.T) {
		replay := w.Browser("")
		replay.Jar[account.CookieName] = old
		if r := replay.Do(http.MethodGet, "/", nil); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("dashboard with the old cookie: %s", r)
		}
		if r := replay.Do(http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("API with the old cookie: %s", r)
		}
	})
}

func TestLogoutEverywhere(t *testing.T) {
	w := newWorld(t, nil)
	laptop, phone := w.SignedIn("owner"), w.SignedIn("owner")
	colleague := w.SignedIn("chief")
	r := laptop.Post("/tai-khoan/dang-xuat-tat-ca", nil)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("logout everywhere: %s", r)
	}
	t.Run("the other session is dead", func(t *testing.T) {
		if signedInAs(t, phone, "Quản Trị Cẩm Tú") {
			t.Error("second session survived")
		}
		if r := phone.Do(http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("second session on the API: %s", r)
		}
	})
	t.Run("this session is dead", func(t *testing.T) {
		if signedInAs(t, laptop, "Quản Trị Cẩm Tú") {
			t.Error("the session that asked survived")
		}
	})
	t.Run("another account is untouched", func(t *testing.T) {
		if !signedInAs(t, colleague, "Trưởng Ban Cẩm Tú") {
			t.Error("another account's session ended")
		}
	})
	t.Run("logging in again works", func(t *testing.T) {
		phone.MustLogin(w.Accounts["owner"].Email)
		if !signedInAs(t, phone, "Quản Trị Cẩm Tú") {
			t.Error("cannot sign in again")
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	w := newWorld(t, nil)
	email := w.Accounts["owner"].Email
	b := w.Browser("")

	wrong := b.Login(email, "sai-mat-khau-roi-0")
	unknown := b.Login("khong.co.ai@camtu.gov.vn", "sai-mat-khau-roi-0")
	t.Run("unknown email and wrong password answer alike", func(t *testing.T) {
		if wrong.Status != http.StatusUnauthorized || unknown.Status != http.StatusUnauthorized {
			t.Fatalf("statuses %d and %d, want 401", wrong.Status, unknown.Status)
		}
		if alert(wrong) == "" || alert(wrong) != alert(unknown) {
			t.Errorf("messages differ: %q vs %q", alert(wrong), alert(unknown))
		}
		if !strings.Contains(alert(wrong), "mật khẩu không đúng") {
			t.Errorf("message %q", alert(wrong))
		}
		if wrong.Cookie(account.CookieName) != nil && wrong.Cookie(account.CookieName).Value != "" {
			t.Error("a failed login set a session cookie")
		}
	})
	for i := 1; i < 10; i++ { // ten wrong in all
		if r := b.Login(email, fmt.Sprintf("sai-mat-khau-roi-%d", i)); r.Status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %s", i+1, r)
		}
	}
	right := b.Login(email, password)
	t.Run("the eleventh, right, attempt is refused with a clear message", func(t *testing.T) {
		if right.Status != http.StatusTooManyRequests {
			t.Fatalf("want 429: %s", right)
		}
		msg := alert(right)
		if !strings.Contains(msg, "Đăng nhập sai quá nhiều lần") || !strings.Contains(msg, "phút") {
			t.Errorf("message %q is not the throttling message", msg)
		}
		if c := right.Cookie(account.CookieName); c != nil && c.Value != "" {
			t.Error("throttled login set a session cookie")
		}
		if signedInAs(t, b, "Quản Trị Cẩm Tú") {
			t.Error("signed in despite the throttle")
		}
	})
	t.Run("still refused on the next try", func(t *testing.T) {
		if r := b.Login(email, password); r.Status != http.StatusTooManyRequests {
			t.Errorf("want 429: %s", r)
		}
	})
	t.Run("another account is not locked out", func(t *testing.T) {
		other := w.Browser("")
		other.MustLogin(w.Accounts["chief"].Email)
	})
	t.Run("after the window the right password works", func(t *testing.T) {
		past := time.Now().Add(-account.ThrottleWindow - time.Minute).UTC()
		if _, err := w.DB.NewUpdate().Table("login_failures").Set("created_at = ?", past).Where("1 = 1").Exec(context.Background()); err != nil {
			t.Fatalf("age the failures: %v", err)
		}
		b.MustLogin(email)
	})
}

func TestSecondFactor(t *testing.T) {
	w := newWorld(t, nil)
	email := w.Accounts["chief"].Email
	b := w.SignedIn("chief")
	opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

	r := b.Post("/tai-khoan/2fa/bat-dau", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("begin enrolment: %s", r)
	}
	m := regexp.MustCompile(`<code>([A-Z2-7]{16,})</code>`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no secret on the enrolment page: %s", r)
	}
	secret := m[1]
	t.Run("the enrolment page shows the QR code", func(t *testing.T) {
		img := regexp.MustCompile(`<img src="([^"]{0,40})`).FindStringSubmatch(r.Body)
		if img == nil || !strings.HasPrefix(img[1], "data:image/png;base64,") {
			t.Errorf("no QR code image: the img src is %q", img)
		}
		if n := len(regexp.MustCompile(`<li><code>[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}</code></li>`).FindAllString(r.Body, -1)); n != account.RecoveryCodeCount {
			t.Errorf("%d recovery codes shown, want %d", n, account.RecoveryCodeCount)
		}
	})
	t.Run("a wrong code does not enable it", func(t *testing.T) {
		good, _ := totp.GenerateCodeCustom(secret, time.Now(), opts)
		bad := "000000"
		if good == bad {
			bad = "111111"
		}
		kind, text := followFlash(t, b, b.Post("/tai-khoan/2fa/xac-nhan", url.Values{"code": {bad}}))
		if kind != "error" || text == "" {
			t.Errorf("wrong code: flash %q %q", kind, text)
		}
		if a, _ := account.ByID(context.Background(), w.DB, w.Accounts["chief"].ID); a.TOTPEnabled {
			t.Fatal("second factor enabled by a wrong code")
		}
	})
	code, err := totp.GenerateCodeCustom(secret, time.Now(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if kind, text := followFlash(t, b, b.Post("/tai-khoan/2fa/xac-nhan", url.Values{"code": {code}})); kind != "ok" {
		t.Fatalf("confirm: flash %q %q", kind, text)
	}
	if r := b.Post("/logout", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("logout: %s", r)
	}

	r = b.Login(email, password)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login/2fa" {
		t.Fatalf("login with 2FA: want 303 to /login/2fa: %s", r)
	}
	pending := b.Jar[account.CookieName]
	t.Run("the pending session opens nothing", func(t *testing.T) {
		if signedInAs(t, b, "Trưởng Ban Cẩm Tú") {
			t.Error("dashboard open before the second factor")
		}
		if r := b.Do(http.MethodGet, "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("API before the second factor: %s", r)
		}
		if r := b.Do(http.MethodGet, "/t/"+slugA, nil); r.Status == http.StatusOK {
			t.Errorf("tenant page before the second factor: %s", r)
		}
	})
	t.Run("a wrong code is refused", func(t *testing.T) {
		for _, bad := range []string{"000000", "12345", "abcdef"} {
			if bad == code {
				continue
			}
			r := b.Do(http.MethodPost, "/login/2fa", url.Values{"code": {bad}, "_csrf": {b.CSRF("/login/2fa")}})
			if r.Status != http.StatusUnauthorized || !strings.Contains(alert(r), "Mã xác thực không đúng") {
				t.Errorf("code %q: %s", bad, r)
			}
		}
		if signedInAs(t, b, "Trưởng Ban Cẩm Tú") {
			t.Error("signed in after wrong codes")
		}
	})
	t.Run("a form without CSRF is refused", func(t *testing.T) {
		next, _ := totp.GenerateCodeCustom(secret, time.Now().Add(30*time.Second), opts)
		if r := b.Do(http.MethodPost, "/login/2fa", url.Values{"code": {next}}); r.Status != http.StatusForbidden {
			t.Errorf("want 403: %s", r)
		}
	})
	next, _ := totp.GenerateCodeCustom(secret, time.Now().Add(30*time.Second), opts)
	t.Run("the right code lets you in with a fresh session", func(t *testing.T) {
		r := b.Do(http.MethodPost, "/login/2fa", url.Values{"code": {next}, "_csrf": {b.CSRF("/login/2fa")}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/" {
			t.Fatalf("right code: %s", r)
		}
		if b.Jar[account.CookieName] == pending {
			t.Error("the session id did not change after the second factor")
		}
		if !signedInAs(t, b, "Trưởng Ban Cẩm Tú") {
			t.Error("not signed in after the right code")
		}
	})
	t.Run("the same code cannot be used again", func(t *testing.T) {
		again := w.Browser("")
		if r := again.Login(email, password); r.Header.Get("Location") != "/login/2fa" {
			t.Fatalf("login: %s", r)
		}
		r := again.Do(http.MethodPost, "/login/2fa", url.Values{"code": {next}, "_csrf": {again.CSRF("/login/2fa")}})
		if r.Status != http.StatusUnauthorized {
			t.Errorf("replayed code: %s", r)
		}
	})
}

func TestBoardManagement(t *testing.T) {
	w := newWorld(t, nil)
	boardPath := "/t/" + slugA + "/ban-bien-tap"
	publicBoard := func(t *testing.T) string {
		t.Helper()
		b := w.Browser("")
		b.Host = slugA + ".localhost"
		r := b.Do(http.MethodGet, "/ban-bien-tap", nil)
		if r.Status != http.StatusOK {
			t.Fatalf("public board page: %s", r)
		}
		return r.Body
	}

	owner := w.SignedIn("owner")
	t.Run("site-admin sets the decision", func(t *testing.T) {
		r := owner.Post(boardPath+"/quyet-dinh", url.Values{"number": {"125/QĐ-CTTN"}, "date": {"10/09/2024"},
			"signer_name": {"Nguyễn Văn Ký"}, "signer_title": {"Giám đốc"}})
		if kind, text := followFlash(t, owner, r); kind != "ok" {
			t.Fatalf("flash %q %q", kind, text)
		}
		page := owner.Do(http.MethodGet, boardPath, nil)
		if !strings.Contains(page.Body, "125/QĐ-CTTN") || !strings.Contains(page.Body, "10/09/2024") {
			t.Errorf("console board page lacks the decision: %s", page)
		}
	})
	t.Run("a bad date is refused with a message", func(t *testing.T) {
		r := owner.Post(boardPath+"/quyet-dinh", url.Values{"number": {"126/QĐ"}, "date": {"31/02/2024"}, "signer_name": {"X"}, "signer_title": {"Y"}})
		if kind, text := followFlash(t, owner, r); kind != "error" || !strings.Contains(text, "dd/mm/yyyy") {
			t.Errorf("flash %q %q", kind, text)
		}
	})
	t.Run("site-admin adds a member with a private phone", func(t *testing.T) {
		r := owner.Post(boardPath+"/thanh-vien", url.Values{
			"name": {"Nguyễn Thị Thu Hà"}, "position": {"pho-ban"}, "job_title": {"Phó Giám đốc Trung tâm"},
			"duties": {"Phụ trách chuyên mục tin tức"}, "phone": {"0912 345 678"}, "email": {"thuha@camtu.gov.vn"},
		})
		if kind, text := followFlash(t, owner, r); kind != "ok" || !strings.Contains(text, "Nguyễn Thị Thu Hà") {
			t.Fatalf("flash %q %q", kind, text)
		}
	})
	chief := w.SignedIn("chief")
	t.Run("editor-in-chief adds a member with a public phone", func(t *testing.T) {
		r := chief.Post(boardPath+"/thanh-vien", url.Values{
			"name": {"Trần Văn Công Khai"}, "position": {"thu-ky"}, "phone": {"0987 654 321"}, "contact_public": {"on"},
		})
		if kind, text := followFlash(t, chief, r); kind != "ok" {
			t.Fatalf("flash %q %q", kind, text)
		}
	})
	t.Run("an editor may not change the board", func(t *testing.T) {
		ed := w.SignedIn("editor")
		r := ed.Post(boardPath+"/thanh-vien", url.Values{"name": {"Người Lạ"}, "position": {"bien-tap-vien"}})
		if r.Status != http.StatusForbidden {
			t.Errorf("want 403: %s", r)
		}
		if page := ed.Do(http.MethodGet, boardPath, nil); page.Status != http.StatusOK || strings.Contains(page.Body, `action="`+boardPath+`/thanh-vien"`) {
			t.Errorf("editor sees the board form (or not the page): %d", page.Status)
		}
	})
	t.Run("the public page shows names and positions, not a private phone", func(t *testing.T) {
		body := publicBoard(t)
		for _, want := range []string{"Nguyễn Thị Thu Hà", "Phó ban", "Phó Giám đốc Trung tâm", "Trần Văn Công Khai", "Thư ký", "125/QĐ-CTTN", "0987 654 321"} {
			if !strings.Contains(body, want) {
				t.Errorf("public board page lacks %q", want)
			}
		}
		for _, never := range []string{"0912 345 678", "0912345678", "thuha@camtu.gov.vn", "Người Lạ", w.Accounts["owner"].Email} {
			if strings.Contains(body, never) {
				t.Errorf("public board page shows %q", never)
			}
		}
	})
	t.Run("the change is in A's audit log and not in B's", func(t *testing.T) {
		page := owner.Do(http.MethodGet, "/t/"+slugA+"/nhat-ky", nil)
		if page.Status != http.StatusOK {
			t.Fatalf("audit page: %s", page)
		}
		if n := strings.Count(page.Body, "board.changed"); n < 3 {
			t.Errorf("audit page shows %d board.changed events, want 3 (decision, two members)", n)
		}
		pageB := w.SignedIn("ownerB").Do(http.MethodGet, "/t/"+slugB+"/nhat-ky", nil)
		if pageB.Status != http.StatusOK {
			t.Fatalf("B's audit page: %s", pageB)
		}
		if strings.Contains(pageB.Body, "board.changed") || strings.Contains(pageB.Body, "Nguyễn Thị Thu Hà") {
			t.Errorf("B's audit log shows A's board changes")
		}
	})
	t.Run("removing a member takes it off the public page", func(t *testing.T) {
		page := owner.Do(http.MethodGet, boardPath, nil)
		m := regexp.MustCompile(`action="`+regexp.QuoteMeta(boardPath)+`/thanh-vien/([^"/]+)/xoa"`).FindAllStringSubmatch(page.Body, -1)
		if len(m) != 2 {
			t.Fatalf("%d remove forms, want 2", len(m))
		}
		// Members are listed by position: the deputy first.
		if kind, text := followFlash(t, chief, chief.Post(boardPath+"/thanh-vien/"+m[0][1]+"/xoa", nil)); kind != "ok" {
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
