package quota_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/quota"
)

func novemberReport(t *testing.T) *quota.Report {
	t.Helper()
	w := novemberWorld(t)
	p, _ := quota.ParseMonth("2026-11")
	r, err := quota.Build(w.ctx, w.db, w.id("so"), p, nowNovember)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestXLSXOpensWithSheetsAndHeadings(t *testing.T) {
	r := novemberReport(t)
	var buf bytes.Buffer
	if err := quota.WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer x.Close()
	want := []string{"Tổng hợp", "Theo tuần", "Lĩnh vực", "Kịp thời", "Lỗi trình bày", "Hoạt động của Sở", "Sở lấy về"}
	if got := x.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	heads := map[string][]string{
		"Tổng hợp":  {"STT", "Đơn vị", "Loại", "Chỉ tiêu/tuần", "Tuần đạt", "Tuần thiếu", "Tuần miễn"},
		"Theo tuần": {"STT", "Đơn vị", "Chỉ tiêu/tuần", "T45 (02/11–08/11)", "T46 (09/11–15/11)", "T47 (16/11–22/11)", "T48 (23/11–29/11)"},
		"Lĩnh vực":  {"STT", "Đơn vị", "Lao động – Việc làm"},
		"Kịp thời":  {"STT", "Đơn vị", "Sự kiện → gửi: trung vị (ngày)"},
	}
	for sheet, head := range heads {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 2 || len(rows[1]) < len(head) {
			t.Fatalf("%s: rows %q", sheet, rows)
		}
		for i, h := range head {
			if rows[1][i] != h {
				t.Errorf("%s heading %d = %q, want %q", sheet, i, rows[1][i], h)
			}
		}
	}
	rows, _ := x.GetRows("Theo tuần")
	if len(rows) != 3+len(r.Contributors) {
		t.Errorf("Theo tuần has %d rows, want title, headings, %d contributors and totals", len(rows), len(r.Contributors))
	}
	if got := rows[len(rows)-1][3]; got != "3/4 đạt" { // W45: gamma, epsilon, alpha met; beta missed; two exempt
		t.Errorf("W45 total %q", got)
	}
	if got := rows[2+5][6]; got != "… Đang mở 0/2" { // beta, W48
		t.Errorf("beta W48 cell %q", got)
	}
	panes, err := x.GetPanes("Tổng hợp")
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("header rows not frozen: %+v %v", panes, err)
	}
	layout, err := x.GetPageLayout("Tổng hợp")
	if err != nil || layout.Size == nil || *layout.Size != 9 {
		t.Errorf("page size is not A4 (9): %+v %v", layout, err)
	}
}

func TestCSVHasOneRowPerContributor(t *testing.T) {
	r := novemberReport(t)
	var buf bytes.Buffer
	if err := quota.WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatal("no UTF-8 byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(r.Contributors) {
		t.Fatalf("%d records, want the header and %d contributors", len(recs), len(r.Contributors))
	}
	head := recs[0]
	if head[0] != "STT" || head[1] != "Mã đơn vị" || head[2] != "Đơn vị" {
		t.Errorf("header %q", head[:3])
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	alpha := recs[4]
	if alpha[1] != "alpha" || alpha[col["Đã gửi"]] != "5" || alpha[col["Được duyệt"]] != "3" || alpha[col["Tỷ lệ đạt (%)"]] != "100" {
		t.Errorf("alpha's row: %q", alpha)
	}
	if got := recs[6][col["Tuần T47 (16/11–22/11)"]]; got != "✗ Thiếu 1/2" {
		t.Errorf("beta W47 %q", got)
	}
}

func TestHTMLLetter(t *testing.T) {
	r := novemberReport(t)
	var buf bytes.Buffer
	if err := quota.WriteHTML(&buf, r, quota.LetterOptions{Agency: "SỞ LAO ĐỘNG – THƯƠNG BINH VÀ XÃ HỘI TỈNH THANH HÓA",
		Date: vn(2026, time.December, 1, 8, 0)}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"SỞ LAO ĐỘNG – THƯƠNG BINH VÀ XÃ HỘI TỈNH THANH HÓA", "VĂN PHÒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập – Tự do – Hạnh phúc", "Số: …/BC-VP", "Thanh Hóa, ngày 01 tháng 12 năm 2026", "BÁO CÁO",
		"Tình hình hoạt động Trang thông tin điện tử tháng 11/2026", "Nơi nhận:", "CHÁNH VĂN PHÒNG", "@page",
		"size:A4", "Trường Trung cấp nghề", `class="missed"`, "✗ Thiếu 1/2", "Phòng, chống tệ nạn xã hội",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("letter lacks %q", want)
		}
	}
}

func TestReportWithNoData(t *testing.T) {
	w := newWorld(t, []orgSpec{{"so", "Sở Trống", tenancy.KindDepartment, "", vn(2026, 1, 1, 8, 0)}})
	p, _ := quota.ParseMonth("2026-11")
	r, err := quota.Build(w.ctx, w.db, w.id("so"), p, nowNovember)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Contributors) != 0 || len(r.Weeks) != 4 || r.Totals.Compliance != nil {
		t.Errorf("empty report: %+v", r)
	}
	for _, f := range []quota.Format{quota.FormatJSON, quota.FormatCSV, quota.FormatXLSX, quota.FormatHTML} {
		var buf bytes.Buffer
		if err := quota.Write(&buf, r, f, quota.LetterOptions{}); err != nil || buf.Len() == 0 {
			t.Errorf("%s with no data: %v (%d bytes)", f, err, buf.Len())
		}
	}
	// No week has closed: the letter says so instead of a share of none.
	var letter bytes.Buffer
	if err := quota.Write(&letter, r, quota.FormatHTML, quota.LetterOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(letter.String(), "chưa có tuần nào kết thúc để tính tỷ lệ tuần đạt") || strings.Contains(letter.String(), "tỷ lệ tuần đạt: %") {
		t.Errorf("the letter's share of weeks met, with no week closed:\n%s", letter.String())
	}
	var buf bytes.Buffer
	_ = quota.WriteJSON(&buf, r)
	if !strings.Contains(buf.String(), `"contributors": []`) {
		t.Errorf("contributors is not an empty list:\n%s", buf.String())
	}
}

// The letter to the Director says how many contributors sent something,
// out of all of them: one that sent nothing is not counted among those
// that sent.
func TestLetterCountsOnlyContributorsThatSent(t *testing.T) {
	w := newWorld(t, []orgSpec{
		{"so", "Sở Thử nghiệm", tenancy.KindDepartment, "", vn(2026, 9, 1, 8, 0)},
		{"alpha", "Trung tâm Alpha", tenancy.KindUnit, "so", vn(2026, 9, 1, 8, 0)},
		{"beta", "Trung tâm Beta", tenancy.KindUnit, "so", vn(2026, 9, 1, 8, 0)},
	})
	w.post(postSpec{tenant: "alpha", id: "a1", title: "Phiên giao dịch việc làm", typ: post.TypeNews, event: day(time.November, 2), fields: []string{"lao-dong-viec-lam"}})
	w.send("so", sendSpec{id: "s-a1", child: "alpha", postID: "a1", state: "sent", typ: post.TypeNews, first: vn(2026, time.November, 3, 9, 0)})
	p, _ := quota.ParseMonth("2026-11")
	r, err := quota.Build(w.ctx, w.db, w.id("so"), p, nowNovember)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := quota.WriteHTML(&buf, r, quota.LetterOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := "1/2 phòng, đơn vị đã gửi tin, bài; tổng cộng 1 tin, bài"; !strings.Contains(buf.String(), want) {
		t.Errorf("letter lacks %q", want)
	}
}

// Weeks that have not begun are shown as not begun, not as open weeks a
// contributor is behind on; the API still calls them open.
func TestWeeksNotBegunAreShownAsNotBegun(t *testing.T) {
	w := novemberWorld(t)
	p, _ := quota.ParseMonth("2026-12")
	r, err := quota.Build(w.ctx, w.db, w.id("so"), p, nowNovember)
	if err != nil {
		t.Fatal(err)
	}
	alpha := false
	for _, c := range r.Contributors {
		if c.Slug == "alpha" {
			alpha = true
			if ws := c.Weeks[0]; ws.State != quota.StateOpen {
				t.Errorf("alpha's W49 is %q, want open", ws.State)
			}
		}
	}
	if !alpha {
		t.Fatal("alpha is not in December's report")
	}
	var buf bytes.Buffer
	if err := quota.WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range recs[0] {
		if strings.HasPrefix(h, "Tuần T49") {
			col = i
		}
	}
	if col < 0 || len(recs) < 2 {
		t.Fatalf("no W49 column in %q, or no rows (%d)", recs[0], len(recs))
	}
	for _, rec := range recs[1:] {
		if !strings.HasPrefix(rec[col], "· Chưa đến") && !strings.Contains(rec[col], "Miễn") {
			t.Errorf("%s W49: %q, want · Chưa đến", rec[2], rec[col])
		}
	}
	// The letter counts them apart from the weeks open now (none).
	buf.Reset()
	if err := quota.WriteHTML(&buf, r, quota.LetterOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "đang mở: 0, chưa đến: ") {
		t.Errorf("the letter does not count the weeks not begun apart")
	}
}
