package app_test

// Credentials (the attack report's findings 6 and 7): a bearer token
// manages no credentials, "log out everywhere" can take the tokens too, and
// a form posted from another site — the anonymous login first — is refused.

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/trangtin/trangtin/platform/account"
)

func liveTokens(t *testing.T, w *isoWorld, key string) int {
	t.Helper()
	ts, err := account.Tokens(context.Background(), w.bdb, w.accounts[key].ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tk := range ts {
		if tk.RevokedAt == nil {
			n++
		}
	}
	return n
}

func TestTokensDoNotManageCredentials(t *testing.T) {
	w := newIsoWorld(t)
	api := w.api("btvA")
	before := liveTokens(t, w, "btvA")
	for _, tc := range []struct{ method, path string }{
		{http.MethodPost, "/tai-khoan/token"},
		{http.MethodGet, "/tai-khoan"},
		{http.MethodPost, "/tai-khoan/dang-xuat-tat-ca"},
		{http.MethodPost, "/tai-khoan/2fa/tat"},
		{http.MethodPost, "/tai-khoan/mat-khau"},
	} {
		r := api.do(tc.method, tc.path, url.Values{"name": {"con của token"}, "current": {isoPassword}, "new": {"x"}, "confirm": {"x"}})
		if r.status != http.StatusForbidden {
			t.Errorf("%s %s with a bearer token: want 403: %s", tc.method, tc.path, r)
		}
	}
	if n := liveTokens(t, w, "btvA"); n != before {
		t.Errorf("live tokens %d → %d: a token minted a token", before, n)
	}
	// The signed-in owner still manages them, with the form token.
	s := w.session("btvA")
	if r := s.post("/tai-khoan/token", url.Values{"name": {"máy chủ báo cáo"}}); r.status != http.StatusOK {
		t.Fatalf("create a token from the console: %s", r)
	}
	if n := liveTokens(t, w, "btvA"); n != before+1 {
		t.Errorf("live tokens after creating one: %d, want %d", n, before+1)
	}
}

func TestLogoutEverywhereCanRevokeTokens(t *testing.T) {
	w := newIsoWorld(t)
	me := func() int { return w.api("btvA").do(http.MethodGet, "/api/v1/me", nil).status }
	s := w.session("btvA")
	if r := s.post("/tai-khoan/dang-xuat-tat-ca", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("log out everywhere: %s", r)
	}
	if got := me(); got != http.StatusOK {
		t.Errorf("token after logging out everywhere without revoking tokens: %d, want 200", got)
	}
	s = w.session("btvA")
	if r := s.post("/tai-khoan/dang-xuat-tat-ca", url.Values{"thu-hoi-token": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("log out everywhere with the tokens: %s", r)
	}
	if got := me(); got != http.StatusUnauthorized {
		t.Errorf("token after logging out everywhere with the tokens: %d, want 401", got)
	}
	if n := liveTokens(t, w, "btvA"); n != 0 {
		t.Errorf("%d tokens still live", n)
	}
	if r := s.do(http.MethodGet, "/tai-khoan", nil); r.status == http.StatusOK {
		t.Errorf("the session survived: %s", r)
	}
}

func TestCrossSiteFormsRefused(t *testing.T) {
	w := newIsoWorld(t)
	form := func() url.Values {
		return url.Values{"email": {w.accounts["btvA"].Email}, "password": {isoPassword}}
	}
	for name, headers := range map[string][]string{
		"Sec-Fetch-Site cross-site":    {"Sec-Fetch-Site", "cross-site"},
		"Sec-Fetch-Site same-site":     {"Sec-Fetch-Site", "same-site"},
		"Origin of another site":       {"Origin", "https://evil.example"},
		"Origin of a tenant's site":    {"Origin", "http://anhdao.gov.vn"},
		"Origin null":                  {"Origin", "null"},
		"cross-site beats Origin same": {"Sec-Fetch-Site", "cross-site", "Origin", "http://" + isoAdminHost},
	} {
		t.Run("login with "+name, func(t *testing.T) {
			v := newVisitor(t, w.a)
			r := v.do(http.MethodPost, "/login", form(), headers...)
			if r.status != http.StatusForbidden || v.jar[account.CookieName] != "" {
				t.Errorf("want 403 and no session: %s", r)
			}
		})
	}
	for name, headers := range map[string][]string{
		"Sec-Fetch-Site same-origin": {"Sec-Fetch-Site", "same-origin"},
		"Sec-Fetch-Site none":        {"Sec-Fetch-Site", "none"},
		"Origin of the admin host":   {"Origin", "http://" + isoAdminHost},
		"neither header":             nil,
	} {
		t.Run("login with "+name, func(t *testing.T) {
			v := newVisitor(t, w.a)
			r := v.do(http.MethodPost, "/login", form(), headers...)
			if r.status != http.StatusSeeOther || v.jar[account.CookieName] == "" {
				t.Errorf("want a session: %s", r)
			}
		})
	}
	t.Run("a signed-in form from another site, even with its token", func(t *testing.T) {
		s := w.session("btvA")
		tok := s.csrf()
		r := s.do(http.MethodPost, "/tai-khoan/token", url.Values{"_csrf": {tok}, "name": {"x"}}, "Sec-Fetch-Site", "cross-site")
		if r.status != http.StatusForbidden {
			t.Errorf("want 403: %s", r)
		}
	})
}
