package console_test

// What waits for the board reaches the dashboard and the review queue:
// an item the editor-in-chief published before anyone reviewed it ("Đăng
// khi chưa duyệt") waits for another reviewer, and a citizen's question
// waits for an answer. Neither was named anywhere but on its own page.

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/trangtin/trangtin/tenants/post"
)

func TestUnreviewedItemsAndQuestionsReachTheBoard(t *testing.T) {
	w := newWorld(t, nil)
	chief, editor, writer := w.SignedIn("chief"), w.SignedIn("editor"), w.SignedIn("plain")
	const title = "Thông báo khẩn về phòng, chống bão số 9"
	r := chief.Post("/t/"+slugA+"/bai-viet/moi", url.Values{
		"title": {title}, "summary": {"Trung tâm tạm dừng các lớp học trong hai ngày bão đổ bộ."},
		"body": {"<p>Các lớp học nghề tạm dừng từ ngày 08/12/2026 đến hết ngày 09/12/2026.</p>"}, "type": {"news"},
		"section": {post.DefaultSection}, "fields": {"giao-duc-nghe-nghiep"}, "event_date": {"2026-12-07"}, "byline": {"Ban Biên tập"},
	})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %s", r)
	}
	item := r.Header.Get("Location")
	if r := chief.Post(item+"/chuyen", url.Values{"to": {"published"}, "force": {"1"}, "note": {"Bão đổ bộ trong đêm"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("publish without review: %s", r)
	}

	queue := "/t/" + slugA + "/cho-duyet"
	mustContain(t, editor.Get(queue), `<h2 id="chua-duyet">Đã đăng khi chưa duyệt</h2>`, `<a href="`+item+`">`+title+`</a>`, "Bão đổ bộ trong đêm", "vừa đăng")
	mustContain(t, editor.Get("/"), nameA+`: 1 bài đã đăng khi chưa duyệt, cần người duyệt – <a href="/t/`+slugA+`/cho-duyet#chua-duyet">`)
	mustNotContain(t, writer.Get("/"), "khi chưa duyệt")

	// Reviewed by the editor, it waits no more.
	r = editor.Post(item+"/chuyen", url.Values{"to": {"approved"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("review the published item: %s", r)
	}
	mustContain(t, editor.Get(r.Header.Get("Location")), "Đã duyệt bài đang đăng")
	mustNotContain(t, editor.Get(queue), "Đã đăng khi chưa duyệt", title)
	mustNotContain(t, editor.Get("/"), "khi chưa duyệt")

	// A citizen's question, sent from the site's form.
	citizen := w.Browser(slugA + ".localhost")
	if r := citizen.Do(http.MethodPost, "/hoi-dap", url.Values{"ho-ten": {"Lê Văn Dân"}, "lien-he": {"0912 345 678"}, "linh-vuc": {""},
		"cau-hoi": {"Tôi muốn hỏi về thủ tục hưởng trợ cấp thất nghiệp sau khi nghỉ việc."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("ask: %s", r)
	}
	mustContain(t, editor.Get("/"), nameA+`: 1 câu hỏi của người dân chờ trả lời – <a href="/t/`+slugA+`/hoi-dap">Mở hàng câu hỏi</a>`)
	mustContain(t, chief.Get("/"), nameA+": 1 câu hỏi của người dân chờ trả lời")
	mustNotContain(t, writer.Get("/"), "câu hỏi")
	// Another tenant's board is not told of it.
	mustNotContain(t, w.SignedIn("ownerB").Get("/"), "câu hỏi của người dân")
}
