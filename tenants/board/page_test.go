package board_test

import (
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/i18n"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/templates"
	"github.com/trangtin/trangtin/tenants/board"
)

// TestBoardPage renders site/board with the layouts, as the site handler will.
func TestBoardPage(t *testing.T) {
	r, err := web.NewRenderer(templates.FS)
	if err != nil {
		t.Fatalf("templates do not parse: %v", err)
	}
	tn := &tenancy.Tenant{Slug: "ttdvvl", Name: "Trung tâm Dịch vụ việc làm", HasSite: true, Status: tenancy.StatusActive}
	b := &board.Board{
		Decision: &board.Decision{Number: "125/QĐ-TTDVVL", Date: time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC),
			SignerName: "Lê Văn Bình", SignerTitle: "Giám đốc Trung tâm"},
		Members: []board.Member{
			{Name: "Lê Văn Bình", Position: board.PositionChief, JobTitle: "Giám đốc Trung tâm",
				Email: "binh.private@example.vn", Phone: "0999 888 777"},
			{Name: "Phạm Văn An", Position: board.PositionEditor, Duties: "Biên tập tin\nĐăng ảnh",
				Sections: []board.SectionRef{{Slug: "tin-tuc-su-kien", Name: "Tin tức – Sự kiện"}},
				Fields:   []board.FieldRef{{Code: "lao-dong-viec-lam", Name: "Lao động – Việc làm"}},
				Email:    "an@example.vn", Phone: "(0237) 3.852.123", ContactPublic: true},
		},
	}
	out, err := r.Execute("site/board", web.View{L: i18n.VI, Data: board.PageData{Tenant: tn, Board: b.Public()}})
	if err != nil {
		t.Fatal(err)
	}
	html := string(out)
	for _, want := range []string{
		"<title>Ban Biên tập – Trung tâm Dịch vụ việc làm</title>",
		"Quyết định số 125/QĐ-TTDVVL", `<time datetime="2024-08-05">05/08/2024</time>`,
		`<h2 id="vi-tri-truong-ban">Trưởng ban</h2>`, "<h3>Phạm Văn An</h3>",
		`<a href="/chuyen-muc/tin-tuc-su-kien">Tin tức – Sự kiện</a>`, "Lao động – Việc làm",
		`<a href="mailto:an@example.vn">`, `<a href="tel:02373852123">`, "<p>Đăng ảnh</p>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, secret := range []string{"binh.private", "0999"} {
		if strings.Contains(html, secret) {
			t.Errorf("page shows private contact %q", secret)
		}
	}

	empty, err := r.Execute("site/board", web.View{L: i18n.VI, Data: board.PageData{Tenant: tn, Board: (&board.Board{}).Public()}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(empty), "chưa công bố thành phần Ban Biên tập") {
		t.Errorf("empty board page lacks its notice")
	}
}
