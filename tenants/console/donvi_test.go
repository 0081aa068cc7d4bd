package console_test

// /don-vi as the platform admin and a tenant's site-admin meet it: the
// tree with Vietnamese labels, onboarding with the error next to its field
// and the typed values kept, the profile (its own tenant only for a
// site-admin), and each lifecycle change with its reason and confirmation,
// ending in the tenant's history.

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// platformAdmin adds a platform admin to the world and signs it in.
func (w *world) platformAdmin() *browser {
	w.T.Helper()
	ctx := context.Background()
	acc, err := account.CreateWithParams(ctx, w.DB, account.TestParams(), "quantri.he.thong@so.gov.vn", "Quản Trị Hệ Thống", password)
	if err != nil {
		w.T.Fatal(err)
	}
	if err := authz.GrantRole(ctx, w.DB, acc.ID, authz.PlatformDomain, authz.RolePlatformAdmin); err != nil {
		w.T.Fatal(err)
	}
	if err := w.App.Authz.Reload(ctx); err != nil {
		w.T.Fatal(err)
	}
	w.Accounts["platform"] = acc
	return w.SignedIn("platform")
}

func inputValue(body, id string) string {
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return "<no input #" + id + ">"
	}
	return m[1]
}

func TestDonViTreeAndOnboarding(t *testing.T) {
	w := newWorld(t, nil)
	admin := w.platformAdmin()

	r := admin.Do(http.MethodGet, "/don-vi", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /don-vi: %s", r)
	}
	for _, want := range []string{nameA, "Đơn vị trực thuộc", "Đang hoạt động", "cam-tu." + w.Config.BaseDomain, "Thêm đơn vị", `href="/don-vi"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the tree does not show %q", want)
		}
	}
	if strings.Contains(r.Body, ">active<") {
		t.Error("the tree shows the raw status value")
	}
	// A new unit most often belongs to the one Department: the form
	// starts there.
	if !strings.Contains(r.Body, `<option value="so-thu" selected>`) {
		t.Error("the onboarding form does not start under the Department")
	}
	dash := admin.Do(http.MethodGet, "/", nil)
	if !strings.Contains(dash.Body, `href="/don-vi"`) {
		t.Errorf("the platform admin's dashboard has no link to /don-vi: %s", dash)
	}

	t.Run("a bad slug is refused next to its field, with what was typed kept", func(t *testing.T) {
		r := admin.Post("/don-vi", url.Values{"name": {"Trung tâm Hoa Sen"}, "slug": {"Hoa Sen"}, "kind": {"unit"}, "parent": {"so-thu"}, "quota": {"2"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("want 422: %s", r)
		}
		if a := alert(r); !strings.Contains(a, "chỉ được gồm chữ thường") {
			t.Errorf("alert %q", a)
		}
		if !regexp.MustCompile(`id="ob-slug"[^>]*aria-invalid="true"`).MatchString(r.Body) || !strings.Contains(r.Body, `id="ob-error"`) {
			t.Error("the slug field is not marked invalid with its message")
		}
		if got := inputValue(r.Body, "ob-name"); got != "Trung tâm Hoa Sen" {
			t.Errorf("name kept as %q", got)
		}
		if got := inputValue(r.Body, "ob-quota"); got != "2" {
			t.Errorf("quota kept as %q", got)
		}
		if !strings.Contains(r.Body, `<option value="so-thu" selected>`) {
			t.Error("the chosen parent is not kept")
		}
	})
	t.Run("a slug already taken and a unit without parent", func(t *testing.T) {
		r := admin.Post("/don-vi", url.Values{"name": {"Trùng"}, "slug": {slugA}, "kind": {"unit"}, "parent": {"so-thu"}})
		if r.Status != http.StatusConflict || !strings.Contains(alert(r), "đã tồn tại") {
			t.Errorf("taken slug: %s", r)
		}
		r = admin.Post("/don-vi", url.Values{"name": {"Mồ Côi"}, "slug": {"mo-coi"}, "kind": {"unit"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(alert(r), "phải trực thuộc một đơn vị cấp trên") || strings.Contains(r.Body, "--parent") ||
			!regexp.MustCompile(`id="ob-parent"[^>]*aria-invalid="true"`).MatchString(r.Body) {
			t.Errorf("unit without parent: %s", r)
		}
	})
	t.Run("onboarded: its page, the registry, and its site answering the first request", func(t *testing.T) {
		start := time.Now()
		r := admin.Post("/don-vi", url.Values{"name": {"Trung tâm Hoa Sen"}, "slug": {"hoa-sen"}, "kind": {"unit"}, "parent": {"so-thu"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/don-vi/hoa-sen" {
			t.Fatalf("create: %s", r)
		}
		if kind, text := followFlash(t, admin, r); kind != "ok" || !strings.Contains(text, "Trung tâm Hoa Sen") {
			t.Errorf("flash %q %q", kind, text)
		}
		tn, ok := w.App.Registry.BySlug("hoa-sen")
		if !ok || tn.ParentSlug != "so-thu" || tn.QuotaPerWeek != 1 {
			t.Fatalf("registry: %+v", tn)
		}
		site := w.Browser("")
		site.Host = "hoa-sen." + w.Config.BaseDomain
		if home := site.Do(http.MethodGet, "/", nil); home.Status != http.StatusOK || !strings.Contains(home.Body, "Trung tâm Hoa Sen") {
			t.Errorf("the new site: %s", home)
		}
		t.Logf("the new site answered its first request %v after the form was sent", time.Since(start).Round(time.Millisecond))
	})
	t.Run("a name alone: the address made from it, the history naming who", func(t *testing.T) {
		r := admin.Post("/don-vi", url.Values{"name": {"Trung tâm Bảo trợ Xã hội Đông Sơn"}, "slug": {""}, "kind": {"unit"}, "parent": {"so-thu"},
			"domains": {"dongson.gov.vn"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/don-vi/trung-tam-bao-tro-xa-hoi-dong-son" {
			t.Fatalf("create without a slug: %s", r)
		}
		page := admin.Do(http.MethodGet, "/don-vi/trung-tam-bao-tro-xa-hoi-dong-son", nil)
		if !strings.Contains(page.Body, "Quản Trị Hệ Thống") || strings.Contains(page.Body, "Dòng lệnh") {
			t.Errorf("the history does not name the admin who created it: %s", page)
		}
		if tree := admin.Do(http.MethodGet, "/don-vi", nil); strings.Count(tree.Body, "dongson.gov.vn") != 1 {
			t.Errorf("the tree lists the domain %d times", strings.Count(tree.Body, "dongson.gov.vn"))
		}
	})
	t.Run("nobody else reaches the tree", func(t *testing.T) {
		owner := w.SignedIn("owner")
		if r := owner.Do(http.MethodGet, "/don-vi", nil); r.Status != http.StatusForbidden {
			t.Errorf("site-admin GET /don-vi: %s", r)
		}
		if r := owner.Post("/don-vi", url.Values{"name": {"Lén"}, "slug": {"len"}, "kind": {"unit"}, "parent": {slugA}}); r.Status != http.StatusForbidden {
			t.Errorf("site-admin POST /don-vi: %s", r)
		}
		if _, ok := w.App.Registry.BySlug("len"); ok {
			t.Error("a site-admin onboarded a tenant")
		}
	})
}

func TestDonViProfileOwnTenantOnly(t *testing.T) {
	w := newWorld(t, nil)
	owner := w.SignedIn("owner")
	page := "/don-vi/" + slugA

	r := owner.Do(http.MethodGet, page, nil)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Hồ sơ đơn vị") {
		t.Fatalf("site-admin's own profile: %s", r)
	}
	if strings.Contains(r.Body, "Thay đổi tổ chức") {
		t.Error("a site-admin is offered the lifecycle panel")
	}
	if home := owner.Do(http.MethodGet, "/t/"+slugA, nil); !strings.Contains(home.Body, `href="/don-vi/`+slugA+`"`) {
		t.Error("the tenant's page does not link to its profile")
	}

	form := url.Values{"name": {nameA}, "responsible_person": {"  Nguyễn   Văn An "}, "email": {"khong-phai-email"}, "phone": {"0237 3852 123"}}
	r = owner.Post(page+"/ho-so", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(alert(r), "Thư điện tử") {
		t.Fatalf("bad e-mail: %s", r)
	}
	if !regexp.MustCompile(`id="pf-email"[^>]*aria-invalid="true"`).MatchString(r.Body) {
		t.Error("the e-mail field is not marked invalid")
	}
	if got := inputValue(r.Body, "pf-responsible_person"); got != "  Nguyễn   Văn An " {
		t.Errorf("typed value kept as %q", got)
	}

	form.Set("email", "camtu@sotest.gov.vn")
	form.Set("licence_date", "05/04/2019")
	r = owner.Post(page+"/ho-so", form)
	if kind, text := followFlash(t, owner, r); kind != "ok" || text != "Đã lưu hồ sơ đơn vị" {
		t.Fatalf("save: %s / %q %q", r, kind, text)
	}
	tn, err := tenancy.BySlug(context.Background(), w.DB, slugA)
	if err != nil {
		t.Fatal(err)
	}
	if tn.ResponsiblePerson != "Nguyễn Văn An" || tn.Email != "camtu@sotest.gov.vn" || tn.LicenceDate == nil {
		t.Errorf("stored profile: %q %q %v", tn.ResponsiblePerson, tn.Email, tn.LicenceDate)
	}
	if again := owner.Do(http.MethodGet, page, nil); inputValue(again.Body, "pf-licence_date") != "05/04/2019" {
		t.Errorf("licence date shown as %q", inputValue(again.Body, "pf-licence_date"))
	}

	t.Run("another tenant's profile is not even seen", func(t *testing.T) {
		ownerB := w.SignedIn("ownerB")
		if r := ownerB.Do(http.MethodGet, page, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET B→A: %s", r)
		}
		if r := ownerB.Post(page+"/ho-so", url.Values{"name": {"Chiếm"}, "responsible_person": {"Kẻ Lạ"}}); r.Status != http.StatusNotFound {
			t.Errorf("POST B→A: %s", r)
		}
		if tn, _ := tenancy.BySlug(context.Background(), w.DB, slugA); tn.Name != nameA || tn.ResponsiblePerson != "Nguyễn Văn An" {
			t.Errorf("A changed by B: %q %q", tn.Name, tn.ResponsiblePerson)
		}
	})
	t.Run("a board member without site-admin cannot edit, a site-admin cannot change the organisation", func(t *testing.T) {
		editor := w.SignedIn("editor")
		if r := editor.Post(page+"/ho-so", url.Values{"name": {"Đổi"}}); r.Status != http.StatusForbidden {
			t.Errorf("editor: %s", r)
		}
		if r := owner.Post(page+"/thay-doi", url.Values{"op": {"suspend"}, "reason": {"thử"}, "confirm": {"1"}}); r.Status != http.StatusForbidden {
			t.Errorf("site-admin suspends: %s", r)
		}
	})
}

func TestDonViLifecycle(t *testing.T) {
	w := newWorld(t, nil)
	admin := w.platformAdmin()
	change := "/don-vi/" + slugB + "/thay-doi"
	status := func() tenancy.Status {
		tn, err := tenancy.BySlug(context.Background(), w.DB, slugB)
		if err != nil {
			t.Fatal(err)
		}
		return tn.Status
	}

	r := admin.Post(change, url.Values{"op": {"suspend"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(alert(r), "lý do") ||
		!regexp.MustCompile(`id="op-suspend-reason"[^>]*aria-invalid="true"`).MatchString(r.Body) {
		t.Fatalf("no reason: %s", r)
	}
	r = admin.Post(change, url.Values{"op": {"suspend"}, "reason": {"Kiện toàn bộ máy"}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Xác nhận thay đổi") || !strings.Contains(r.Body, "Tạm dừng "+nameB) {
		t.Fatalf("confirm step: %s", r)
	}
	if status() != tenancy.StatusActive {
		t.Fatal("suspended before the confirmation")
	}
	r = admin.Post(change, url.Values{"op": {"suspend"}, "reason": {"Kiện toàn bộ máy"}, "confirm": {"1"}})
	if kind, text := followFlash(t, admin, r); kind != "ok" || !strings.Contains(text, "Tạm dừng") {
		t.Fatalf("suspend: %s / %q %q", r, kind, text)
	}
	if status() != tenancy.StatusSuspended {
		t.Fatal("not suspended")
	}
	r = admin.Post(change, url.Values{"op": {"resume"}, "reason": {"Đã kiện toàn"}, "confirm": {"1"}})
	if r.Status != http.StatusSeeOther || status() != tenancy.StatusActive {
		t.Fatalf("resume: %s", r)
	}

	r = admin.Post(change, url.Values{"op": {"move"}, "value": {slugB}, "reason": {"thử"}, "confirm": {"1"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(alert(r), "chính mình") ||
		!regexp.MustCompile(`id="op-move-value"[^>]*aria-invalid="true"`).MatchString(r.Body) || !strings.Contains(r.Body, `id="op-move-error"`) {
		t.Errorf("move under itself: %s", r)
	}
	if !strings.Contains(r.Body, `value="Đổi tên"`) && !strings.Contains(r.Body, `id="op-rename-value"`) {
		t.Error("the other operations' forms are gone after a refusal")
	}
	r = admin.Post(change, url.Values{"op": {"rename"}, "value": {"Trường Diệp Lục Mới"}, "reason": {"Quyết định 12/QĐ"}, "confirm": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("rename: %s", r)
	}
	r = admin.Post(change, url.Values{"op": {"set-slug"}, "value": {"diep-luc-moi"}, "reason": {"Tên mới"}, "confirm": {"1"}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/don-vi/diep-luc-moi" {
		t.Fatalf("set-slug: %s", r)
	}
	page := admin.Do(http.MethodGet, "/don-vi/diep-luc-moi", nil)
	for _, want := range []string{"Lịch sử đơn vị", "Khởi tạo", "Tạm dừng", "Kiện toàn bộ máy", "Hoạt động trở lại", "Đổi tên", "Quyết định 12/QĐ", "Đổi mã (địa chỉ)", "Quản Trị Hệ Thống"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("history does not show %q", want)
		}
	}
	old := w.Browser("")
	old.Host = slugB + "." + w.Config.BaseDomain
	if r := old.Do(http.MethodGet, "/", nil); r.Status != http.StatusMovedPermanently || !strings.Contains(r.Header.Get("Location"), "diep-luc-moi.") {
		t.Errorf("old slug host: %s", r)
	}
	r = admin.Post("/don-vi/diep-luc-moi/thay-doi", url.Values{"op": {"merge"}, "value": {slugA}, "reason": {"Sáp nhập"}, "confirm": {"1"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("merge: %s", r)
	}
	tn, _ := tenancy.BySlug(context.Background(), w.DB, "diep-luc-moi")
	if tn.Status != tenancy.StatusMerged {
		t.Errorf("after merge: %s", tn.Status)
	}
	if tree := admin.Do(http.MethodGet, "/don-vi", nil); !strings.Contains(tree.Body, "Đã hợp nhất") {
		t.Error("the tree does not show the merged status")
	}
}
