package console_test

// The dashboard leads each person to their work: the editor-in-chief to
// the review queue with its count, the contributor to the item returned
// with the note, the Office to this week's standing of every contributor
// (not the "no role" warning), the platform admin to /don-vi.

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/post"
)

func TestDashboardLeadsToTheWork(t *testing.T) {
	w := &world{apptest.New(t, apptest.Options{Org: consoleOrg, People: append(people[:len(people):len(people)],
		apptest.Person{Key: "office", Email: "vanphong@so.example.vn", Name: "Văn Phòng Sở", Role: authz.RoleOfficeStaff},
		apptest.Person{Key: "platform", Email: "quantri@so.example.vn", Name: "Quản Trị Hệ Thống", Role: authz.RolePlatformAdmin},
	)})}
	ctx := context.Background()
	// The units were onboarded weeks ago: this week counts for them.
	if _, err := w.DB.NewUpdate().Table("tenants").Set("onboarded_at = ?", time.Now().AddDate(0, 0, -30).UTC()).
		Where("slug IN (?)", bun.List([]string{slugA, slugB})).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	dashboard := func(b *browser) reply { t.Helper(); return b.Get("/") }
	step := func(b *browser, item string, form url.Values) {
		t.Helper()
		if r := b.Post(item+"/chuyen", form); r.Status != http.StatusSeeOther {
			t.Fatalf("transition %v: %s", form, r)
		}
	}
	base := "/t/" + slugA + "/bai-viet"
	writer, chief := w.SignedIn("plain"), w.SignedIn("chief")

	mustContain(t, dashboard(chief), "Việc cần làm", nameA+": không có bài nào chờ duyệt")

	const title = "Hội nghị tổng kết công tác giải quyết việc làm năm 2026"
	r := writer.Post(base+"/moi", url.Values{
		"title": {title}, "summary": {"Sáng 20/11/2026, Trung tâm tổ chức hội nghị tổng kết công tác giải quyết việc làm."},
		"body": {"<p>Hội nghị đánh giá kết quả tư vấn, giới thiệu việc làm cho hơn 3.000 lao động.</p>"}, "type": {"news"},
		"section": {post.DefaultSection}, "fields": {"lao-dong-viec-lam"}, "event_date": {"2026-11-20"}, "byline": {"Minh Anh"},
	})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %s", r)
	}
	item := r.Header.Get("Location")
	step(writer, item, url.Values{"to": {"submitted"}})

	mustContain(t, dashboard(chief), nameA+": 1 bài chờ duyệt", `href="/t/`+slugA+`/cho-duyet">Mở hàng chờ duyệt</a>`)

	note := "Cần bổ sung số liệu của quý IV và ảnh hội nghị"
	step(chief, item, url.Values{"to": {"returned"}, "note": {note}})
	mustContain(t, dashboard(writer), "bài “"+title+"” được trả lại để sửa", "Ghi chú: "+note, `href="`+item+`/sua">Sửa bài</a>`)
	mustNotContain(t, dashboard(chief), "1 bài chờ duyệt")
	mustNotContain(t, dashboard(w.SignedIn("ownerB")), title)

	office := dashboard(w.SignedIn("office"))
	mustContain(t, office, "Sở Thử Nghiệm – ", "0/2 đơn vị đã đạt chỉ tiêu; chưa đạt: ", nameA, nameB, "Mở bảng theo dõi chỉ tiêu")
	mustNotContain(t, office, "chưa được giao vai trò")

	admin := dashboard(w.SignedIn("platform"))
	mustContain(t, admin, `<a class="button" href="/don-vi">`)
	mustNotContain(t, admin, "chưa được giao vai trò", "liên hệ quản trị hệ thống")
	if strings.Contains(admin.Body, "Văn Phòng Sở") {
		t.Error("the admin sees another account's name")
	}
}

func mustContain(t *testing.T, r reply, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.Body, w) {
			t.Errorf("page does not show %q:\n%s", w, r)
		}
	}
}

func mustNotContain(t *testing.T, r reply, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(r.Body, w) {
			t.Errorf("page shows %q:\n%s", w, r)
		}
	}
}
