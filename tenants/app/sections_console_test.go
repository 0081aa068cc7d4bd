package app_test

// A unit's site-admin makes a section of its own in the console
// (/t/<slug>/chuyen-muc), renames it and removes it; readers of its site
// see each change on their next page, and no other tenant's sections can
// be touched.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
)

func TestUnitManagesItsOwnSections(t *testing.T) {
	w := newIsoWorld(t, isoPerson{"tbA", "truongban.a@sotest.gov.vn", "Trưởng Ban Ánh Đào", isoSlugA, authz.RoleEditorInChief})
	ctx := context.Background()
	admin := w.session("qtA")
	page := "/t/" + isoSlugA + "/chuyen-muc"
	reader := &visitor{t: t, a: w.a, host: "anhdao.gov.vn", jar: map[string]string{}}
	aID := w.tenants[isoSlugA].ID

	r := admin.do(http.MethodGet, page, nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Tin tức – Sự kiện") ||
		!strings.Contains(r.body, "Bắt buộc (Nghị định 42/2022)") {
		t.Fatalf("the sections page: %s", r)
	}
	// The reader's home is cached before the change: the change must
	// still show on the next request.
	if home := reader.do(http.MethodGet, "/", nil); home.status != http.StatusOK || strings.Contains(home.body, "/chuyen-muc/tuyen-sinh") {
		t.Fatalf("home before: %s", home)
	}

	if r := admin.post(page, url.Values{"name": {"Tuyển sinh"}, "description": {"Thông báo tuyển sinh các lớp nghề"}}); r.status != http.StatusSeeOther {
		t.Fatalf("create: %s", r)
	}
	if !strings.Contains(siteMenu(reader), `<a href="/chuyen-muc/tuyen-sinh">Tuyển sinh</a>`) {
		t.Errorf("the site's menu lacks the new section")
	}
	if r := reader.do(http.MethodGet, "/chuyen-muc/tuyen-sinh", nil); r.status != http.StatusOK || !strings.Contains(r.body, "Thông báo tuyển sinh các lớp nghề") {
		t.Errorf("the new section's page: %s", r)
	}

	t.Run("refused forms keep what was typed", func(t *testing.T) {
		r := admin.post(page, url.Values{"name": {"Tuyển sinh"}, "description": {"Mô tả đã gõ"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "/chuyen-muc/tuyen-sinh; hãy chọn địa chỉ khác") ||
			!strings.Contains(r.body, `value="Mô tả đã gõ"`) {
			t.Errorf("a taken address: %s", r)
		}
		if r := admin.post(page, url.Values{"name": {"Tuyển sinh 2027"}, "slug": {"Tuyển Sinh"}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "chữ thường không dấu") || !strings.Contains(r.body, `value="Tuyển Sinh"`) {
			t.Errorf("a bad address: %s", r)
		}
		if r := admin.post(page, url.Values{"name": {"  "}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Cần nhập tên chuyên mục") {
			t.Errorf("no name: %s", r)
		}
		// A name already in the menu, under another address.
		if r := admin.post(page, url.Values{"name": {"tin tức – sự kiện"}, "slug": {"tin-tuc-2"}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "Đơn vị đã có chuyên mục “Tin tức – Sự kiện”") {
			t.Errorf("a name taken: %s", r)
		}
	})

	own, err := tenancy.SectionBySlug(ctx, w.bdb, aID, "tuyen-sinh")
	if err != nil {
		t.Fatal(err)
	}
	if r := admin.post(page+"/"+own.ID, url.Values{"name": {"Tuyển sinh – Đào tạo"}, "description": {""}}); r.status != http.StatusSeeOther {
		t.Fatalf("rename: %s", r)
	}
	if !strings.Contains(siteMenu(reader), `<a href="/chuyen-muc/tuyen-sinh">Tuyển sinh – Đào tạo</a>`) {
		t.Errorf("the menu does not show the new name")
	}

	// A second section follows the first in the menu, until it is moved
	// up; a required section keeps its place.
	if r := admin.post(page, url.Values{"name": {"Hoạt động công đoàn"}}); r.status != http.StatusSeeOther {
		t.Fatalf("create a second section: %s", r)
	}
	union, err := tenancy.SectionBySlug(ctx, w.bdb, aID, "hoat-dong-cong-doan")
	if err != nil {
		t.Fatal(err)
	}
	order := func() (int, int, int) {
		m := siteMenu(reader)
		return strings.Index(m, "/chuyen-muc/tuyen-sinh"), strings.Index(m, "/chuyen-muc/hoat-dong-cong-doan"), strings.Index(m, "/lien-he")
	}
	if ts, cd, lh := order(); !(lh < ts && ts < cd) {
		t.Errorf("menu order before the move: contact %d, tuyen-sinh %d, cong-doan %d", lh, ts, cd)
	}
	if r := admin.post(page+"/"+union.ID+"/len", nil); r.status != http.StatusSeeOther {
		t.Fatalf("move up: %s", r)
	}
	if ts, cd, lh := order(); !(lh < cd && cd < ts) {
		t.Errorf("menu order after the move: contact %d, tuyen-sinh %d, cong-doan %d", lh, ts, cd)
	}
	if r := admin.post(page+"/"+union.ID+"/len", nil); r.status != http.StatusSeeOther {
		t.Fatalf("move the first up: %s", r)
	}
	if ts, cd, _ := order(); !(cd < ts) {
		t.Errorf("moving the first section up changed the order")
	}

	// A section every site must have keeps its name; its description
	// may change.
	news, err := tenancy.SectionBySlug(ctx, w.bdb, aID, "tin-tuc-su-kien")
	if err != nil {
		t.Fatal(err)
	}
	if r := admin.post(page+"/"+news.ID, url.Values{"name": {"Tin vặt"}, "description": {"Tin hoạt động của Trung tâm"}}); r.status != http.StatusSeeOther {
		t.Fatalf("describe a required section: %s", r)
	}
	if got, _ := tenancy.SectionBySlug(ctx, w.bdb, aID, "tin-tuc-su-kien"); got.Name != news.Name || got.Description != "Tin hoạt động của Trung tâm" {
		t.Errorf("required section after the form: %q, %q", got.Name, got.Description)
	}
	if r := admin.post(page+"/"+news.ID+"/xoa", url.Values{}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "không xóa được") {
		t.Errorf("removing a required section: %s", r)
	}

	// An item in the section: removing it asks where the item goes, then
	// moves it there in the same step.
	created := w.api("btvA").doJSON(http.MethodPost, "/api/v1/tenants/"+isoSlugA+"/posts", map[string]any{
		"title": "Thông báo tuyển sinh lớp hàn", "section": "tuyen-sinh"})
	var item post.View
	if created.status != http.StatusCreated || json.Unmarshal([]byte(created.body), &item) != nil || item.Section != "tuyen-sinh" {
		t.Fatalf("an item in the new section: %s", created)
	}
	if r := admin.post(page+"/"+own.ID+"/xoa", url.Values{}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "còn 1 bài") {
		t.Errorf("removing a section with an item and nowhere to move it: %s", r)
	}
	if _, err := tenancy.SectionBySlug(ctx, w.bdb, aID, "tuyen-sinh"); err != nil {
		t.Fatalf("the refused removal removed the section: %v", err)
	}
	r = admin.post(page+"/"+own.ID+"/xoa", url.Values{"move_to": {news.ID}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("remove, moving the item: %s", r)
	}
	if done := admin.do(http.MethodGet, r.header.Get("Location"), nil); !strings.Contains(done.body, "Đã xóa chuyên mục “Tuyển sinh – Đào tạo”; 1 bài của nó đã chuyển sang “"+news.Name+"”") {
		t.Errorf("the removal does not say where the items went:\n%s", done.body)
	}
	got := w.api("btvA").do(http.MethodGet, "/api/v1/tenants/"+isoSlugA+"/posts/"+item.ID, nil)
	if err := json.Unmarshal([]byte(got.body), &item); err != nil || item.Section != "tin-tuc-su-kien" {
		t.Errorf("the item after its section was removed: %s", got)
	}
	// Its address sends readers on to the section that took its items.
	if r := reader.do(http.MethodGet, "/chuyen-muc/tuyen-sinh", nil); r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/chuyen-muc/tin-tuc-su-kien" {
		t.Errorf("the removed section's page: %d %q", r.status, r.header.Get("Location"))
	}
	if home := reader.do(http.MethodGet, "/", nil); strings.Contains(home.body, "/chuyen-muc/tuyen-sinh") || !strings.Contains(siteMenu(reader), "/chuyen-muc/tin-tuc-su-kien") {
		t.Errorf("the menu still links to the removed section")
	}
	log, err := audit.List(ctx, w.bdb, audit.Filter{TenantID: &aID})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range log.Items {
		if e.Subject == "tuyen-sinh" {
			seen[e.Action] = true
		}
	}
	for _, action := range []string{"section.created", "section.updated", "section.removed"} {
		if !seen[action] {
			t.Errorf("the audit log lacks %s", action)
		}
	}
	// A new section taking the address ends the redirect; another
	// tenant's same address was never redirected.
	if r := admin.post(page, url.Values{"name": {"Tuyển sinh"}, "description": {"Mở lại"}}); r.status != http.StatusSeeOther {
		t.Fatalf("create the section again: %s", r)
	}
	if r := reader.do(http.MethodGet, "/chuyen-muc/tuyen-sinh", nil); r.status != http.StatusOK || !strings.Contains(r.body, "Mở lại") {
		t.Errorf("the section made again at the address: %d", r.status)
	}

	t.Run("another tenant's sections are out of reach", func(t *testing.T) {
		bID := w.tenants[isoSlugB].ID
		bNews, err := tenancy.SectionBySlug(ctx, w.bdb, bID, "tin-tuc-su-kien")
		if err != nil {
			t.Fatal(err)
		}
		for path, form := range map[string]url.Values{
			"/t/" + isoSlugB + "/chuyen-muc":                        {"name": {"Xâm nhập"}},
			"/t/" + isoSlugB + "/chuyen-muc/" + bNews.ID:            {"description": {"Xâm nhập"}},
			"/t/" + isoSlugA + "/chuyen-muc/" + bNews.ID:            {"description": {"Xâm nhập"}},
			"/t/" + isoSlugA + "/chuyen-muc/" + bNews.ID + "/xoa":   {"move_to": {news.ID}},
			"/t/" + isoSlugA + "/chuyen-muc/" + own.ID + "/xoa":     {},
			"/t/" + isoSlugA + "/chuyen-muc/" + bNews.ID + "/len":   {},
			"/t/" + isoSlugB + "/chuyen-muc/" + bNews.ID + "/xuong": {},
		} {
			if r := admin.post(path, form); r.status != http.StatusForbidden && r.status != http.StatusNotFound &&
				!(r.status == http.StatusSeeOther && strings.HasSuffix(r.header.Get("Location"), "/chuyen-muc")) {
				t.Errorf("POST %s: %s", path, r)
			}
		}
		if got, err := tenancy.SectionBySlug(ctx, w.bdb, bID, "tin-tuc-su-kien"); err != nil || got.Description != bNews.Description {
			t.Errorf("B's section changed: %+v, %v", got, err)
		}
		ss, err := tenancy.Sections(ctx, w.bdb, bID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ss {
			if s.Name == "Xâm nhập" {
				t.Errorf("a section was made in B")
			}
		}
		// A contributor or an editor of A does not manage A's sections.
		for _, who := range []string{"ctvA", "btvA"} {
			if r := w.session(who).do(http.MethodGet, page, nil); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Errorf("%s opened the sections page: %d", who, r.status)
			}
		}
	})

	t.Run("the editor-in-chief manages the sections, a unit having seldom a site-admin", func(t *testing.T) {
		chief := w.session("tbA")
		if r := chief.do(http.MethodGet, "/t/"+isoSlugA, nil); !strings.Contains(r.body, `href="/t/`+isoSlugA+`/chuyen-muc"`) {
			t.Errorf("the chief's menu has no link to the sections")
		}
		if r := chief.post(page, url.Values{"name": {"Góc chuyên gia"}}); r.status != http.StatusSeeOther {
			t.Errorf("the chief creates a section: %s", r)
		}
		if !strings.Contains(siteMenu(reader), `<a href="/chuyen-muc/goc-chuyen-gia">Góc chuyên gia</a>`) {
			t.Errorf("the chief's section is not in the menu")
		}
	})
}

// siteMenu is the sections menu of the home page v reads.
func siteMenu(v *visitor) string {
	v.t.Helper()
	body := v.do(http.MethodGet, "/", nil).body
	start := strings.Index(body, `<nav class="sections"`)
	if start < 0 {
		v.t.Fatalf("the home has no sections menu")
	}
	end := strings.Index(body[start:], "</nav>")
	return body[start : start+end]
}
