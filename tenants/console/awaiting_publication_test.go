package console_test

// An item an editor approved waits for whoever may publish it: the
// editor-in-chief finds it on the review queue, under "Đã duyệt, chờ
// đăng", and counted on the dashboard, not only through "Bài viết" and a
// status filter. An editor who may not publish, and a contributor, see
// what they saw before; a scheduled item does not wait; another tenant's
// approved item never shows.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/post"
)

func TestApprovedItemsWaitForThePublisher(t *testing.T) {
	w := &world{apptest.New(t, apptest.Options{Org: consoleOrg, People: append(people[:len(people):len(people)],
		apptest.Person{Key: "writerB", Email: "congtacvien.b@diepluc.gov.vn", Name: "Cộng Tác Viên Diệp Lục", Tenant: slugB, Role: authz.RoleContributor},
		apptest.Person{Key: "editorB", Email: "bientap.b@diepluc.gov.vn", Name: "Biên Tập Diệp Lục", Tenant: slugB, Role: authz.RoleEditor},
	)})}
	writer, editor, chief := w.SignedIn("plain"), w.SignedIn("editor"), w.SignedIn("chief")
	step := func(b *browser, item string, form url.Values) {
		t.Helper()
		if r := b.Post(item+"/chuyen", form); r.Status != http.StatusSeeOther {
			t.Fatalf("transition %v: %s", form, r)
		}
	}
	// approved writes an item as a contributor, submits it and has an
	// editor approve it; it returns the item's console address.
	approved := func(slug string, by, approver *browser, title string) string {
		t.Helper()
		r := by.Post("/t/"+slug+"/bai-viet/moi", url.Values{
			"title": {title}, "summary": {"Trung tâm tổ chức phiên giao dịch việc làm cho người lao động trên địa bàn."},
			"body": {"<p>Phiên giao dịch có 25 doanh nghiệp tham gia tuyển dụng hơn 1.200 chỉ tiêu.</p>"}, "type": {"news"},
			"section": {post.DefaultSection}, "fields": {"lao-dong-viec-lam"}, "event_date": {"2026-11-20"}, "byline": {"Minh Anh"},
		})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create %q: %s", title, r)
		}
		item := r.Header.Get("Location")
		step(by, item, url.Values{"to": {"submitted"}})
		step(approver, item, url.Values{"to": {"approved"}})
		return item
	}
	queue := func(b *browser) reply { t.Helper(); return b.Get("/t/" + slugA + "/cho-duyet") }
	dashboard := func(b *browser) reply { t.Helper(); return b.Get("/") }

	const (
		title     = "Phiên giao dịch việc làm tháng 11 năm 2026"
		scheduled = "Hội thảo an toàn vệ sinh lao động đã hẹn giờ đăng"
		titleB    = "Khai giảng lớp đào tạo nghề của Trường Diệp Lục"
	)
	item := approved(slugA, writer, editor, title)
	later := approved(slugA, writer, editor, scheduled)
	at := time.Now().Add(48 * time.Hour).In(vntext.Location()).Format("02/01/2006 15:04")
	step(chief, later, url.Values{"to": {"scheduled"}, "at": {at}})
	approved(slugB, w.SignedIn("writerB"), w.SignedIn("editorB"), titleB)

	// The chief: the approved item, its link, who approved it; the
	// scheduled one and tenant B's are not there.
	r := queue(chief)
	if r.Status != http.StatusOK {
		t.Fatalf("the chief's queue: %s", r)
	}
	mustContain(t, r, "Không có bài nào đang chờ duyệt", `<h2 id="cho-dang">Đã duyệt, chờ đăng</h2>`,
		`<a href="`+item+`">`+title+`</a>`, "Biên Tập Cẩm Tú", "vừa duyệt")
	mustNotContain(t, r, scheduled, titleB, "Không có bài nào đã duyệt đang chờ đăng")
	mustContain(t, dashboard(chief), nameA+": không có bài nào chờ duyệt",
		nameA+`: 1 bài đã duyệt chờ đăng – <a href="/t/`+slugA+`/cho-duyet#cho-dang">Mở danh sách bài chờ đăng</a>`)
	// From the item's page the chief publishes it.
	mustContain(t, chief.Get(item), `value="published"`)

	// The editor, who reviews but does not publish, sees the queue as
	// before; the contributor has no queue and no count.
	r = queue(editor)
	mustContain(t, r, "Không có bài nào đang chờ duyệt")
	mustNotContain(t, r, "Đã duyệt, chờ đăng", title)
	mustNotContain(t, dashboard(editor), "chờ đăng")
	if r := queue(writer); r.Status != http.StatusForbidden {
		t.Errorf("the contributor opens the review queue: %s", r)
	}
	mustNotContain(t, dashboard(writer), "chờ đăng")

	// Tenant B's editor has no queue in tenant A.
	if r := w.SignedIn("editorB").Get("/t/" + slugA + "/cho-duyet"); r.Status == http.StatusOK {
		t.Errorf("tenant B's editor opens tenant A's queue: %s", r)
	}

	// Published, it waits no more.
	step(chief, item, url.Values{"to": {"published"}})
	mustContain(t, queue(chief), "Không có bài nào đã duyệt đang chờ đăng")
	if d := dashboard(chief); strings.Contains(d.Body, "đã duyệt chờ đăng") {
		t.Errorf("the dashboard still counts the published item:\n%s", d)
	}
}
