package e2e_test

import (
	"strings"
	"testing"
)

// TestHarnessSeesWhatAPersonSees checks the harness itself: a demo person
// signs in and sees their name, a public site answers on its own host
// name through the browser, and the checks find what they look for on a
// page made to break them (a broken picture, WCAG violations).
func TestHarnessSeesWhatAPersonSees(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.as("ctv.ttdvvl@trangtin.local")
	p.sees("Ngô Thị Lan")

	reader := w.visitor("reader")
	reader.open(w.site("trung-tam-dich-vu-viec-lam", "/"))
	reader.sees("Trung tâm Dịch vụ việc làm Thanh Hóa")
	reader.imagesLoaded()
	reader.axe()

	reader.viewport(390, 844)
	if pdf := reader.printPDF(); !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Errorf("printPDF gives %.20q, not a PDF", pdf)
	}
	reader.follow("Trang chủ")

	reader.eval(`(() => {
	  document.body.innerHTML = '<main><img src="/khong-co.png" alt="x"><button></button><p id="pale">chữ mờ</p><button id="b" type="button">Bấm</button></main>';
	  document.getElementById('b').addEventListener('click', () => { document.getElementById('pale').textContent = 'chữ mờ đã bấm' });
	  const s = document.getElementById('pale').style; s.color = '#ccc'; s.background = '#fff';
	  return true })()`, nil)
	if got := reader.text(); strings.Contains(got, "Trung tâm Dịch vụ") || !strings.Contains(got, "chữ mờ") {
		t.Fatalf("page not replaced: %q", got)
	}
	reader.click("#b")
	reader.sees("chữ mờ đã bấm")
	if loaded, broken := reader.pictures(); loaded != 0 || len(broken) != 1 || !strings.HasSuffix(broken[0], "/khong-co.png") {
		t.Errorf("pictures on a page with one missing picture: loaded %d, broken %q", loaded, broken)
	}
	n, report := reader.axeViolations()
	for _, rule := range []string{"button-name", "color-contrast"} {
		if !strings.Contains(report, rule) {
			t.Errorf("axe does not report %s on a page made to break it (%d violations):%s", rule, n, report)
		}
	}
}

func TestXPathLiteral(t *testing.T) {
	for in, want := range map[string]string{
		`Gửi`:       `"Gửi"`,
		`a "b"`:     `'a "b"'`,
		`a "b" c'd`: `concat("a ", '"', "b", '"', " c'd")`,
	} {
		if got := xpathLiteral(in); got != want {
			t.Errorf("xpathLiteral(%q) = %s, want %s", in, got, want)
		}
	}
}
