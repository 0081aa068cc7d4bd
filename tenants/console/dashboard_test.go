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

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
)

func TestDashboardLeadsToTheWork(t *testing.T) {
	w := newPWWorld(t)
	ctx := context.Background()
	for _, p := range []struct{ key, email, name, role string }{
		{"office", "vanphong@so.example.vn", "Văn Phòng Sở", authz.RoleOfficeStaff},
		{"platform", "quantri@so.example.vn", "Quản Trị Hệ Thống", authz.RolePlatformAdmin},
	} {
		acc, err := account.CreateWithParams(ctx, w.bdb, account.TestParams(), p.email, p.name, pwPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := authz.GrantRole(ctx, w.bdb, acc.ID, authz.PlatformDomain, p.role); err != nil {
			t.Fatal(err)
		}
		w.accounts[p.key] = acc
	}
	if err := w.a.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	// The units were onboarded weeks ago: this week counts for them.
	if _, err := w.bdb.NewUpdate().Table("tenants").Set("onboarded_at = ?", time.Now().AddDate(0, 0, -30).UTC()).
		Where("slug IN (?)", bun.List([]string{pwSlugA, pwSlugB})).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	base := "/t/" + pwSlugA + "/bai-viet"
	writer, chief := w.signIn("writer"), w.signIn("chief")

	mustContain(t, chief.get("/"), "Việc cần làm", pwNameA+": không có bài nào chờ duyệt")

	r := writer.submit(base+"/moi", pwForm(pwTitle, pwSummary, pwBody))
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %s", r)
	}
	item := r.header.Get("Location")
	writer.step(item, url.Values{"to": {"submitted"}})

	dash := chief.get("/")
	mustContain(t, dash, pwNameA+": 1 bài chờ duyệt", `href="/t/`+pwSlugA+`/cho-duyet">Mở hàng chờ duyệt</a>`)

	note := "Cần bổ sung số liệu của quý IV và ảnh hội nghị"
	chief.step(item, url.Values{"to": {"returned"}, "note": {note}})
	mine := writer.get("/")
	mustContain(t, mine, "bài “"+pwTitle+"” được trả lại để sửa", "Ghi chú: "+note, `href="`+item+`/sua">Sửa bài</a>`)
	mustNotContain(t, chief.get("/"), "1 bài chờ duyệt")
	mustNotContain(t, w.signIn("outsider").get("/"), pwTitle)

	office := w.signIn("office").get("/")
	mustContain(t, office, "Sở Thử Nghiệm Bài Viết – ", "0/2 đơn vị đã đạt chỉ tiêu; chưa đạt: "+pwNameB+", "+pwNameA, "Mở bảng theo dõi chỉ tiêu")
	mustNotContain(t, office, "chưa được giao vai trò")

	admin := w.signIn("platform").get("/")
	mustContain(t, admin, `<a class="button" href="/don-vi">`)
	mustNotContain(t, admin, "chưa được giao vai trò", "liên hệ quản trị hệ thống")
	if strings.Contains(admin.body, "Văn Phòng Sở") {
		t.Error("the admin sees another account's name")
	}
}
