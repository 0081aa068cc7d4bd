package console_test

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

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
)

// TestMandatorySecondFactor: once a site-admin makes 2FA mandatory for a
// tenant, a board member without it can only reach the account page.
func TestMandatorySecondFactor(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	a, err := app.New(ctx, cfg, bdb, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithAccountOptions(account.WithParams(account.TestParams())))
	if err != nil {
		t.Fatal(err)
	}
	prov := app.NewProvisioner(cfg, bdb)
	if _, err := prov.Create(ctx, provision.Input{Slug: "so", Name: "Sở", Kind: "department"}); err != nil {
		t.Fatal(err)
	}
	unit, err := prov.Create(ctx, provision.Input{Slug: "don-vi", Name: "Đơn vị A", Kind: "unit", Parent: "so"})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := account.CreateWithParams(ctx, bdb, account.TestParams(), "qt@example.vn", "Quản trị", "mat-khau-du-dai-1")
	if err != nil {
		t.Fatal(err)
	}
	editor, err := account.CreateWithParams(ctx, bdb, account.TestParams(), "btv@example.vn", "Biên tập", "mat-khau-du-dai-2")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct{ id, role string }{{admin.ID, authz.RoleSiteAdmin}, {editor.ID, authz.RoleEditor}} {
		if err := authz.GrantRole(ctx, bdb, g.id, unit.ID, g.role); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Registry.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	adminC := loginAs(t, a, "qt@example.vn", "mat-khau-du-dai-1")
	editorC := loginAs(t, a, "btv@example.vn", "mat-khau-du-dai-2")

	if got := getPage(t, a, editorC, "/t/don-vi"); got.StatusCode != http.StatusOK {
		t.Fatalf("before the rule, the editor's tenant page = %d", got.StatusCode)
	}
	page := readBody(t, getPage(t, a, adminC, "/t/don-vi"))
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no CSRF token on the tenant page")
	}
	form := url.Values{"_csrf": {csrf[1]}, "mfa_required": {"on"}, "republish_delay_min": {"60"}}
	res := postForm(t, a, adminC, "/t/don-vi/cai-dat", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving settings = %d", res.StatusCode)
	}
	res = getPage(t, a, editorC, "/t/don-vi")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/tai-khoan") {
		t.Fatalf("with mandatory 2FA, the editor without it got %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := getPage(t, a, editorC, "/tai-khoan?2fa=bat-buoc"); res.StatusCode != http.StatusOK || !strings.Contains(readBody(t, res), "yêu cầu xác thực hai lớp") {
		t.Fatal("the account page does not explain that 2FA is required")
	}
	// The site-admin is held to it as well.
	if res := getPage(t, a, adminC, "/t/don-vi"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the site-admin without 2FA still opens the tenant page (%d)", res.StatusCode)
	}
	st, err := post.SettingsOf(ctx, bdb, unit.ID)
	if err != nil || !st.MFARequired || st.RepublishDelayMin != 60 {
		t.Fatalf("stored settings = %+v, %v", st, err)
	}
}

func loginAs(t *testing.T, a *app.App, email, password string) []*http.Cookie {
	t.Helper()
	res := postForm(t, a, nil, "/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s = %d", email, res.StatusCode)
	}
	return res.Cookies()
}

func getPage(t *testing.T, a *app.App, cookies []*http.Cookie, path string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = "admin.localhost"
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := a.HTTP.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func postForm(t *testing.T, a *app.App, cookies []*http.Cookie, path string, form url.Values) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Host = "admin.localhost"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res, err := a.HTTP.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPlatformMandatorySecondFactor: TRANGTIN_MFA_REQUIRED holds every
// account with a role to its account page until it enrols.
func TestPlatformMandatorySecondFactor(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	cfg, err := config.Load(func(k string) string {
		if k == "TRANGTIN_MFA_REQUIRED" {
			return "true"
		}
		return ""
	}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	a, err := app.New(ctx, cfg, bdb, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithAccountOptions(account.WithParams(account.TestParams())))
	if err != nil {
		t.Fatal(err)
	}
	so, err := app.NewProvisioner(cfg, bdb).Create(ctx, provision.Input{Slug: "so", Name: "Sở", Kind: "department"})
	if err != nil {
		t.Fatal(err)
	}
	ed, err := account.CreateWithParams(ctx, bdb, account.TestParams(), "btv@example.vn", "Biên tập", "mat-khau-du-dai-2")
	if err != nil {
		t.Fatal(err)
	}
	if err := authz.GrantRole(ctx, bdb, ed.ID, so.ID, authz.RoleEditor); err != nil {
		t.Fatal(err)
	}
	if err := a.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Registry.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	c := loginAs(t, a, "btv@example.vn", "mat-khau-du-dai-2")
	res := getPage(t, a, c, "/t/so")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/tai-khoan") {
		t.Fatalf("platform-wide 2FA: editor without it got %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
}
