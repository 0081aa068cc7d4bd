package console_test

// A press article republished under an agreement is made in the console,
// as it could only be through the API before: the item form offers the
// type "Đăng lại từ báo chí" when creating, with the source and the
// tenant's valid agreements; the item is then locked and credits its
// source. A refused form keeps what was typed.

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/tenants/post"
)

func TestConsoleMakesARepublishedPressArticle(t *testing.T) {
	w := newWorld(t, nil)
	chief := w.SignedIn("chief")
	if r := chief.Post("/t/"+slugA+"/thoa-thuan", url.Values{"outlet": {"Báo Thanh Hóa"}, "reference": {"12/TT-BTH"}, "signed_on": {"01/01/2026"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("register an agreement: %s", r)
	}
	// A refused entry comes back with what was typed and the bad field
	// marked.
	bad := chief.Post("/t/"+slugA+"/thoa-thuan", url.Values{"outlet": {"Báo Văn hóa"}, "reference": {"VH-02"}, "signed_on": {"01/15/2026"}, "scope": {"Tin văn hóa"}})
	if bad.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an agreement with a bad day: %s", bad)
	}
	mustContain(t, bad, `value="Báo Văn hóa"`, `value="VH-02"`, `name="signed_on" type="text" required value="01/15/2026" aria-invalid="true"`, ">Tin văn hóa</textarea>")
	form := chief.Get("/t/" + slugA + "/bai-viet/moi")
	mustContain(t, form, `<option value="republished">Đăng lại từ báo chí</option>`, "Báo Thanh Hóa – số 12/TT-BTH", `name="source_url"`)
	m := regexpOption.FindStringSubmatch(form.Body)
	if m == nil {
		t.Fatalf("no agreement offered:\n%s", form.Body)
	}
	agreement := m[1]

	article := url.Values{
		"title": {"Thanh Hóa giải quyết việc làm cho hơn 60.000 lao động"}, "summary": {"Năm 2026, toàn tỉnh giải quyết việc làm cho hơn 60.000 lao động."},
		"body": {"<p>Theo Sở Nội vụ, năm 2026 toàn tỉnh đã giải quyết việc làm cho hơn 60.000 lao động.</p>"}, "type": {string(post.TypeRepublished)},
		"section": {post.DefaultSection}, "fields": {"lao-dong-viec-lam"}, "byline": {""},
		"source_outlet": {"Báo Thanh Hóa"}, "source_url": {"https://baothanhhoa.vn/viec-lam-60000.html"}, "source_author": {"Minh Hằng"},
		"source_published_at": {"03/12/2026 07:15"}, "source_agreement": {""},
	}
	// Without the agreement: the form again, with what was typed.
	r := chief.Post("/t/"+slugA+"/bai-viet/moi", article)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("no agreement: %s", r)
	}
	mustContain(t, r, "Cần chọn thỏa thuận cho phép đăng lại", `value="https://baothanhhoa.vn/viec-lam-60000.html"`, `value="03/12/2026 07:15"`, `value="Minh Hằng"`)
	article.Set("source_agreement", agreement)
	article.Set("source_published_at", "03/12/2026")
	if r := chief.Post("/t/"+slugA+"/bai-viet/moi", article); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Cần cả giờ báo gốc đăng bài") {
		t.Errorf("a day without its hour: %s", r)
	}
	article.Set("source_published_at", "hôm qua")
	article.Set("source_agreement", agreement)
	if r := chief.Post("/t/"+slugA+"/bai-viet/moi", article); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "dd/mm/yyyy hh:mm") {
		t.Errorf("a bad time: %s", r)
	}

	article.Set("source_published_at", "03/12/2026 07:15")
	r = chief.Post("/t/"+slugA+"/bai-viet/moi", article)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %s", r)
	}
	item := chief.Get(r.Header.Get("Location"))
	mustContain(t, item, "Đăng lại từ báo chí", "Báo Thanh Hóa", "https://baothanhhoa.vn/viec-lam-60000.html")
	// Locked: the edit form says so, shows the text without inputs and
	// offers no other type; what the lock leaves free (the section, the
	// fields) can still be corrected.
	itemURL := r.Header.Get("Location")
	mustContain(t, item, `href="`+itemURL+`/sua">Sửa bài</a>`)
	edit := chief.Get(itemURL + "/sua")
	mustNotContain(t, edit, "Bạn không thể sửa bài")
	mustContain(t, edit, "không được sửa tiêu đề, sa-pô, nội dung, hình ảnh hay tác giả", "<strong>Thanh Hóa giải quyết việc làm cho hơn 60.000 lao động</strong>", `name="section"`, `name="fields"`)
	mustNotContain(t, edit, `name="source_url"`, `name="title"`, `name="body"`, `name="type"`, `id="cover-form"`)
	v := regexpVersion.FindStringSubmatch(edit.Body)
	if v == nil {
		t.Fatalf("no version in the edit form:\n%s", edit.Body)
	}
	// A title sent anyway is refused by the lock, and nothing is saved.
	r = chief.Post(itemURL+"/sua", url.Values{"version": {v[1]}, "section": {"chinh-sach-phap-luat"}, "title": {"Tiêu đề đã bị sửa"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Bài đăng lại từ báo chí bị khóa") {
		t.Errorf("a changed title on a republished item: %s", r)
	}
	r = chief.Post(itemURL+"/sua", url.Values{"version": {v[1]}, "section": {"chinh-sach-phap-luat"}, "fields": {"lao-dong-viec-lam", "giam-ngheo"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("correct the section of a republished item: %s", r)
	}
	item = chief.Get(itemURL)
	mustContain(t, item, "Chính sách – Pháp luật", "Giảm nghèo", "Thanh Hóa giải quyết việc làm cho hơn 60.000 lao động", "Báo Thanh Hóa")
	mustNotContain(t, item, "Tiêu đề đã bị sửa")
	// An ordinary item's edit form does not offer the type.
	r = chief.Post("/t/"+slugA+"/bai-viet/moi", url.Values{"title": {"Tin thường"}, "type": {"news"}, "section": {post.DefaultSection}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create news: %s", r)
	}
	mustNotContain(t, chief.Get(r.Header.Get("Location")+"/sua"), `value="republished"`)
}

// regexpVersion finds the version an edit form was loaded at.
var regexpVersion = regexp.MustCompile(`name="version" value="(\d+)"`)

// regexpOption finds the first agreement the item form offers.
var regexpOption = regexp.MustCompile(`<option value="([^"]+)">Báo Thanh Hóa – số 12/TT-BTH`)
