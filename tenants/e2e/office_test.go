package e2e_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestOfficeMonthlyReport is the Department Office's monthly path: the
// quota grid of last month (readable colours), the monthly report (tables
// reachable by keyboard), the XLSX download, a snapshot reachable from the
// live page and back, and the A4 letter printed to PDF under the console's
// strict CSP: styled, with the national heading beside the agency, the
// tables, the signature, and without the on-screen hint.
func TestOfficeMonthlyReport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.as("vanphong@trangtin.local")

	// The dashboard leads to the reports.
	p.visit(w.console("/"))
	p.follow("Theo dõi chỉ tiêu các đơn vị")
	p.sees("Theo dõi chỉ tiêu gửi tin, bài")
	p.follow("« Kỳ trước")
	var cells struct{ Met, Missed int }
	p.eval(`({Met: document.querySelectorAll('table.quota-grid td.met').length, Missed: document.querySelectorAll('table.quota-grid td.missed').length})`, &cells)
	if cells.Met == 0 || cells.Missed == 0 {
		t.Fatalf("last month's grid has %d met and %d missed weeks; the demo should give both", cells.Met, cells.Missed)
	}
	p.imagesLoaded()
	p.axe()

	p.follow("Báo cáo tháng")
	p.sees("Báo cáo tình hình hoạt động Trang thông tin điện tử", "Kết quả thực hiện chỉ tiêu theo tuần")
	p.axe()
	// No snapshot yet: the page says so instead of a link back to itself.
	p.sees("Tháng này chưa được chốt số liệu.")
	p.notSees("Xem bản đã chốt")

	// The XLSX, fetched as the link's download with the person's session.
	var xlsx string
	p.eval(`(async () => {
	  const a = Array.from(document.querySelectorAll('a')).find(a => a.textContent.trim() === 'Tải Excel (.xlsx)');
	  const r = await fetch(a.href);
	  if (!r.ok) return 'HTTP ' + r.status;
	  const b = new Uint8Array(await r.arrayBuffer());
	  let s = ''; for (const x of b) s += String.fromCharCode(x);
	  return btoa(s);
	})()`, &xlsx)
	raw, err := base64.StdEncoding.DecodeString(xlsx)
	if err != nil {
		t.Fatalf("XLSX download: %.80s", xlsx)
	}
	book, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the downloaded XLSX does not open: %v", err)
	}
	var found bool
	for _, sheet := range book.GetSheetList() {
		rows, _ := book.GetRows(sheet)
		for _, row := range rows {
			if strings.Contains(strings.Join(row, "|"), "Trung tâm Dịch vụ việc làm Thanh Hóa") {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the XLSX (%v) does not name the demo unit", book.GetSheetList())
	}

	// A snapshot, then the live figures and back to the snapshot.
	p.fill("#ly-do", "Số liệu báo cáo Giám đốc Sở")
	p.follow("Chốt số liệu mới")
	p.sees("Số liệu đã chốt lúc", "Số liệu báo cáo Giám đốc Sở")
	p.follow("Xem số liệu trực tiếp")
	p.sees("Số liệu trực tiếp")
	p.follow("Xem bản đã chốt")
	p.sees("Số liệu đã chốt lúc")
	p.notSees("Số liệu trực tiếp")

	p.follow("Bản in (A4)")
	p.sees("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Dòng này không được in")
	var style struct{ Font, Border, Head string }
	p.eval(`({Font: getComputedStyle(document.querySelector('.letter')).fontFamily,
	  Border: getComputedStyle(document.querySelector('.letter td')).borderTopStyle,
	  Head: getComputedStyle(document.querySelector('.letter .head')).display})`, &style)
	if !strings.Contains(style.Font, "Times") || style.Border != "solid" || style.Head != "grid" {
		t.Errorf("the letter is not styled (font %q, cell border %q, heading %q): its style sheet did not apply", style.Font, style.Border, style.Head)
	}
	p.axe()
	text := pdfText(t, p.printPDF())
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc", "BÁO CÁO",
		"I. KẾT QUẢ THỰC HIỆN CHỈ TIÊU", "VIII. ĐỀ XUẤT, KIẾN NGHỊ", "STT", "Trung tâm Dịch vụ việc làm",
		"Nơi nhận:", "CHÁNH VĂN PHÒNG"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed letter lacks %q", want)
		}
	}
	if strings.Contains(text, "Dòng này không được in") {
		t.Error("the printed letter shows the on-screen hint")
	}
	// Two columns: the national heading shares its line with the agency.
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"); i >= 0 && strings.TrimSpace(line[:i]) == "" {
			t.Errorf("the national heading is not beside the agency's name: %q", line)
		}
	}
	if t.Failed() {
		t.Logf("printed letter:\n%s", clip(text, 4000))
	}
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils), keeping
// the layout.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "letter.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("TRANGTIN_E2E_ARTIFACTS"); dir != "" {
		_ = os.MkdirAll(dir, 0o755)
		_ = os.WriteFile(filepath.Join(dir, fileSafe(t.Name())+".pdf"), pdf, 0o644)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
