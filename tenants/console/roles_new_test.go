package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/tenants/apptest"
)

var tempPasswordRe = regexp.MustCompile(`<code class="temp-password">([^<]+)</code>`)

// handedOver is the temporary password a roles page shows once, saying
// says, on a page no cache may keep.
func handedOver(t *testing.T, r apptest.Reply, says string) string {
	t.Helper()
	m := tempPasswordRe.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil || !strings.Contains(r.Body, says) {
		t.Fatalf("want a temporary password and %q: %s", says, r)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the page with the password may be stored: Cache-Control %q", cc)
	}
	return html.UnescapeString(m[1])
}

// A new unit's first people are added from the roles page: for a platform
// admin, an e-mail without an account asks for the person's name, then
// creates the account with the role and shows a temporary password once,
// with which the person signs in. Nobody else creates accounts.
func TestRolesPageCreatesTheAccountOfANewPerson(t *testing.T) {
	w := &world{apptest.New(t, apptest.Options{Org: consoleOrg, People: append(slices.Clip(people),
		apptest.Person{Key: "platform", Email: "quantri@trangtin.gov.vn", Name: "Quản Trị Hệ Thống", Role: authz.RolePlatformAdmin})})}
	ctx := context.Background()
	admin := w.SignedIn("platform")
	const email = "moi.nguoi@camtu.gov.vn"
	grant := "/t/" + slugA + "/vai-tro/giao"

	// The form chooses no role in advance: filling in the e-mail and the
	// name alone must not hand out the widest role.
	page := admin.Get("/t/" + slugA + "/vai-tro")
	if !strings.Contains(page.Body, `<option value="" selected>— Chọn vai trò —</option>`) {
		t.Errorf("the roles form chooses a role in advance: %s", page)
	}
	if r := admin.Post(grant, url.Values{"email": {email}, "name": {"Nguyễn Thị Mới"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "Cần chọn vai trò") {
		t.Errorf("a grant without a role: %s", r)
	}
	if _, err := account.ByEmail(ctx, w.DB, email); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("an account was created without a role: %v", err)
	}

	r := admin.Post(grant, url.Values{"email": {email}, "role": {authz.RoleContributor}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Nhập họ và tên để tạo tài khoản mới") ||
		!strings.Contains(r.Body, `value="`+email+`"`) {
		t.Fatalf("an e-mail without an account: want 422 asking for a name, the e-mail kept: %s", r)
	}
	if _, err := account.ByEmail(ctx, w.DB, email); !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("an account was created without a name: %v", err)
	}

	r = admin.Post(grant, url.Values{"email": {email}, "name": {"Nguyễn Thị Mới"}, "role": {authz.RoleContributor}})
	temp := handedOver(t, r, "Nguyễn Thị Mới")
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
	choosesOwnPassword(t, person, temp, "Mật-khẩu-của-Mới-2026")
	if r := person.Get("/t/" + slugA + "/bai-viet"); r.Status != http.StatusOK {
		t.Errorf("the new contributor's items page: %s", r)
	}

	t.Run("the same e-mail again grants, it creates no second account", func(t *testing.T) {
		r := admin.Post(grant, url.Values{"email": {email}, "name": {"Tên Khác"}, "role": {authz.RoleEditor}})
		if r.Status != http.StatusSeeOther || tempPasswordRe.MatchString(r.Body) {
			t.Errorf("grant to an existing account: %s", r)
		}
	})
	// An account is the platform's: a unit's administrator who made one
	// for someone's e-mail would know its password when another tenant
	// granted that person a role. They are told who creates accounts.
	for _, c := range []struct {
		who, email string
		status     int
		says       string
	}{
		{"owner", "ai.do@camtu.gov.vn", http.StatusUnprocessableEntity, "Tài khoản mới do quản trị hệ thống tạo"},
		{"chief", "ai.nua@camtu.gov.vn", http.StatusUnprocessableEntity, "Tài khoản mới do quản trị hệ thống tạo"},
		{"plain", "ai.khac@camtu.gov.vn", http.StatusForbidden, ""},
		{"ownerB", "ai.kia@camtu.gov.vn", http.StatusNotFound, ""},
	} {
		t.Run(c.who+" may not create an account", func(t *testing.T) {
			b := w.SignedIn(c.who)
			if c.status == http.StatusUnprocessableEntity && strings.Contains(b.Get("/t/"+slugA+"/vai-tro").Body, `id="g-name"`) {
				t.Error("the roles page offers the name field")
			}
			r := b.Post(grant, url.Values{"email": {c.email}, "name": {"Ai Đó"}, "role": {authz.RoleContributor}})
			if r.Status != c.status || tempPasswordRe.MatchString(r.Body) || !strings.Contains(r.Body, c.says) {
				t.Errorf("want %d saying %q: %s", c.status, c.says, r)
			}
			if _, err := account.ByEmail(ctx, w.DB, c.email); !errs.Is(err, errs.KindNotFound) {
				t.Errorf("the refused account exists: %v", err)
			}
		})
	}
}

// The roles form offers only the roles its user may hand out: an
// editor-in-chief may not make a site-admin or another editor-in-chief,
// and was offered both, to be refused after sending.
func TestRolesFormOffersOnlyAssignableRoles(t *testing.T) {
	w := newWorld(t, nil)
	roles := "/t/" + slugA + "/vai-tro"
	chief := w.SignedIn("chief").Get(roles)
	mustContain(t, chief, `<option value="`+authz.RoleEditor+`">`)
	mustNotContain(t, chief, `<option value="`+authz.RoleSiteAdmin+`">`, `<option value="`+authz.RoleEditorInChief+`">`)
	mustContain(t, w.SignedIn("owner").Get(roles), `<option value="`+authz.RoleSiteAdmin+`">`, `<option value="`+authz.RoleEditorInChief+`">`)
}
