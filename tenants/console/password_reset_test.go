package console_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/tenants/apptest"
)

// choosesOwnPassword walks a person signed in with a handed-over password
// through the only page the console opens to them, to their own password.
func choosesOwnPassword(t *testing.T, person *apptest.Browser, temp, own string) {
	t.Helper()
	for _, path := range []string{"/", "/t/" + slugA + "/bai-viet", "/t/" + slugA + "/vai-tro"} {
		if r := person.Get(path); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/tai-khoan" {
			t.Errorf("%s with a temporary password: want 303 to /tai-khoan: %s", path, r)
		}
	}
	if r := person.Post("/tai-khoan/token", url.Values{"name": {"máy chủ"}}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/tai-khoan" {
		t.Errorf("an API token made with a temporary password: %s", r)
	}
	page := person.Get("/tai-khoan")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "mật khẩu tạm thời do quản trị hệ thống cấp") ||
		strings.Contains(page.Body, "Mã truy cập API") {
		t.Fatalf("the account page with a temporary password: %s", page)
	}
	r := person.Post("/tai-khoan/mat-khau", url.Values{"current": {temp}, "new": {own}, "confirm": {own}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("setting one's own password: want 303 to the dashboard: %s", r)
	}
	if r := person.Get("/"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Đã đặt mật khẩu mới") {
		t.Errorf("the dashboard after the new password: %s", r)
	}
}

// A person who lost their password is given a temporary one by a
// platform admin, from the roles page of a tenant where they hold a role:
// their sessions end, the old password stops working, and the new one
// opens only the account page until they choose their own. Nobody else
// gives passwords, and a handed-over password stops signing in after a
// week.
func TestPlatformAdminGivesALostPasswordAnew(t *testing.T) {
	w := &world{apptest.New(t, apptest.Options{Org: consoleOrg, People: append(slices.Clip(people),
		apptest.Person{Key: "platform", Email: "quantri@trangtin.gov.vn", Name: "Quản Trị Hệ Thống", Role: authz.RolePlatformAdmin})})}
	ctx := context.Background()
	admin := w.SignedIn("platform")
	editor := w.SignedIn("editor")
	editorAcc := w.Accounts["editor"]
	roles := "/t/" + slugA + "/vai-tro"
	reset := roles + "/mat-khau"

	page := admin.Get(roles)
	if !strings.Contains(page.Body, "Cấp lại mật khẩu cho "+editorAcc.Email) {
		t.Fatalf("the platform admin's roles page offers no new password for the editor: %s", page)
	}
	for _, who := range []string{"owner", "chief"} {
		if strings.Contains(w.SignedIn(who).Get(roles).Body, "Cấp lại mật khẩu") {
			t.Errorf("the roles page offers %s to give passwords", who)
		}
	}

	// The first click asks; nothing changes until the admin confirms.
	ask := admin.Post(reset, url.Values{"account_id": {editorAcc.ID}})
	if ask.Status != http.StatusOK || !strings.Contains(ask.Body, "Cấp lại mật khẩu cho Biên Tập Cẩm Tú?") ||
		!strings.Contains(ask.Body, `name="confirm" value="1"`) || tempPasswordRe.MatchString(ask.Body) {
		t.Fatalf("the first click: want a question, no password: %s", ask)
	}
	// On a phone the page opens at its top: the question is there, above
	// the list of people.
	if strings.Index(ask.Body, `id="confirm-h"`) > strings.Index(ask.Body, "<table>") {
		t.Errorf("the question comes after the roles table")
	}
	if r := editor.Get("/t/" + slugA + "/bai-viet"); r.Status != http.StatusOK {
		t.Fatalf("the question alone ended the editor's session: %s", r)
	}
	temp := handedOver(t, admin.Post(reset, url.Values{"account_id": {editorAcc.ID}, "confirm": {"1"}}), "Mật khẩu tạm thời mới")
	if r := editor.Get("/t/" + slugA + "/bai-viet"); r.Status == http.StatusOK {
		t.Errorf("the editor's session outlived the new password: %s", r)
	}
	if r := w.Browser("").Login(editorAcc.Email, apptest.Password); r.Status != http.StatusUnauthorized {
		t.Errorf("the lost password still signs in: %s", r)
	}
	n, err := w.DB.NewSelect().Table("audit_events").Where("action = ? AND subject = ? AND actor_id = ?", "password.reset", editorAcc.Email, w.Accounts["platform"].ID).Count(ctx)
	if err != nil || n != 1 {
		t.Errorf("password.reset events: %d, %v", n, err)
	}

	person := w.Browser("")
	if r := person.Login(editorAcc.Email, temp); r.Status != http.StatusSeeOther {
		t.Fatalf("the editor signs in with the handed-over password: %s", r)
	}
	choosesOwnPassword(t, person, temp, "Biên-tập-viên-mới-2026")
	if r := person.Get("/t/" + slugA + "/bai-viet"); r.Status != http.StatusOK {
		t.Errorf("the editor's items page with their own password: %s", r)
	}

	t.Run("only a platform admin, only for a holder of the tenant, never for themselves", func(t *testing.T) {
		for _, c := range []struct {
			name   string
			by     *apptest.Browser
			target string
		}{
			{"the unit's site-admin", w.SignedIn("owner"), w.Accounts["plain"].ID},
			{"the editor-in-chief", w.SignedIn("chief"), w.Accounts["plain"].ID},
			{"another tenant's holder", admin, w.Accounts["ownerB"].ID},
			{"the platform admin's own", admin, w.Accounts["platform"].ID},
		} {
			before, err := account.ByID(ctx, w.DB, c.target)
			if err != nil {
				t.Fatal(err)
			}
			r := c.by.Post(reset, url.Values{"account_id": {c.target}, "confirm": {"1"}})
			if ask := c.by.Post(reset, url.Values{"account_id": {c.target}}); ask.Status == http.StatusOK {
				t.Errorf("%s was asked to confirm: %s", c.name, ask)
			}
			if tempPasswordRe.MatchString(r.Body) || r.Status == http.StatusOK {
				t.Errorf("%s gave a password: %s", c.name, r)
			}
			after, err := account.ByID(ctx, w.DB, c.target)
			if err != nil {
				t.Fatal(err)
			}
			if after.PasswordHash != before.PasswordHash || after.PasswordTemporary() {
				t.Errorf("%s changed the password", c.name)
			}
		}
	})

	t.Run("a handed-over password stops signing in after a week", func(t *testing.T) {
		r := admin.Post(reset, url.Values{"account_id": {w.Accounts["plain"].ID}, "confirm": {"1"}})
		m := tempPasswordRe.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("a new password: %s", r)
		}
		_, err := w.DB.NewUpdate().Table("accounts").Set("password_temporary_until = ?", time.Now().Add(-time.Minute).UTC()).
			Where("id = ?", w.Accounts["plain"].ID).Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r = w.Browser("").Login(w.Accounts["plain"].Email, html.UnescapeString(m[1]))
		if r.Status == http.StatusSeeOther || !strings.Contains(r.Body, "Mật khẩu tạm thời đã hết hạn") {
			t.Errorf("an expired temporary password: %s", r)
		}
	})
}
