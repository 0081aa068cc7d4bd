package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
)

var tempPasswordRe = regexp.MustCompile(`<code class="temp-password">([^<]+)</code>`)

// A new unit's first people are added from the roles page: an e-mail
// without an account asks for the person's name, then creates the account
// with the role and shows a temporary password once, with which the
// person signs in.
func TestRolesPageCreatesTheAccountOfANewPerson(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	owner := w.SignedIn("owner")
	const email = "moi.nguoi@camtu.gov.vn"
	grant := "/t/" + slugA + "/vai-tro/giao"

	r := owner.Post(grant, url.Values{"email": {email}, "role": {authz.RoleContributor}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Nhập họ và tên để tạo tài khoản mới") ||
		!strings.Contains(r.Body, `value="`+email+`"`) {
		t.Fatalf("an e-mail without an account: want 422 asking for a name, the e-mail kept: %s", r)
	}
	if _, err := account.ByEmail(ctx, w.DB, email); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("an account was created without a name: %v", err)
	}

	r = owner.Post(grant, url.Values{"email": {email}, "name": {"Nguyễn Thị Mới"}, "role": {authz.RoleContributor}})
	m := tempPasswordRe.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil || !strings.Contains(r.Body, "Nguyễn Thị Mới") {
		t.Fatalf("create with a name: %s", r)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the page with the password may be stored: Cache-Control %q", cc)
	}
	temp := html.UnescapeString(m[1])
	acc, err := account.ByEmail(ctx, w.DB, email)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.App.Authz.Roles(acc.ID, w.Tenants[slugA].ID); len(got) != 1 || got[0] != authz.RoleContributor {
		t.Errorf("the new account's roles in %s: %v", slugA, got)
	}
	if got := w.App.Authz.Roles(acc.ID, w.Tenants[slugB].ID); len(got) != 0 {
		t.Errorf("the new account has roles in %s: %v", slugB, got)
	}
	var audited int64
	if audited, err = w.DB.NewSelect().Table("audit_events").Where("action = ? AND subject = ?", "account.created", email).Count(ctx); err != nil || audited != 1 {
		t.Errorf("account.created events: %d, %v", audited, err)
	}

	person := w.Browser("")
	if r := person.Login(email, temp); r.Status != http.StatusSeeOther {
		t.Fatalf("the new person signs in with the temporary password: %s", r)
	}
	if r := person.Get("/t/" + slugA + "/bai-viet"); r.Status != http.StatusOK {
		t.Errorf("the new contributor's items page: %s", r)
	}

	t.Run("the same e-mail again grants, it creates no second account", func(t *testing.T) {
		r := owner.Post(grant, url.Values{"email": {email}, "name": {"Tên Khác"}, "role": {authz.RoleEditor}})
		if r.Status != http.StatusSeeOther || tempPasswordRe.MatchString(r.Body) {
			t.Errorf("grant to an existing account: %s", r)
		}
	})
	t.Run("an editor-in-chief may not create a site administrator", func(t *testing.T) {
		chief := w.SignedIn("chief")
		r := chief.Post(grant, url.Values{"email": {"quantri.moi@camtu.gov.vn"}, "name": {"Quản Trị Mới"}, "role": {authz.RoleSiteAdmin}})
		if r.Status == http.StatusOK || tempPasswordRe.MatchString(r.Body) {
			t.Errorf("want refused: %s", r)
		}
		if _, err := account.ByEmail(ctx, w.DB, "quantri.moi@camtu.gov.vn"); !errs.Is(err, errs.KindNotFound) {
			t.Errorf("the refused account exists: %v", err)
		}
	})
	t.Run("a contributor may not", func(t *testing.T) {
		r := w.SignedIn("plain").Post(grant, url.Values{"email": {"ai.do@camtu.gov.vn"}, "name": {"Ai Đó"}, "role": {authz.RoleContributor}})
		if r.Status != http.StatusForbidden {
			t.Errorf("want 403: %s", r)
		}
	})
	t.Run("another unit's administrator may not", func(t *testing.T) {
		r := w.SignedIn("ownerB").Post(grant, url.Values{"email": {"ai.khac@camtu.gov.vn"}, "name": {"Ai Khác"}, "role": {authz.RoleContributor}})
		if r.Status == http.StatusOK || tempPasswordRe.MatchString(r.Body) {
			t.Errorf("want refused: %s", r)
		}
	})
}
