package e2e_test

import (
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const (
	unitSlug  = "trung-tam-dich-vu-viec-lam"
	unitName  = "Trung tâm Dịch vụ việc làm Thanh Hóa"
	itemTitle = "Phiên giao dịch việc làm lưu động tại huyện Thọ Xuân thu hút 600 lao động"
)

// TestItemFromUnitToDepartment is an item's way from a unit to the
// Department: the unit's contributor uploads a picture, writes an item
// with it and submits it (not offered to send it up yet); the unit's
// editor-in-chief approves, publishes (the public link opens, with its
// port, the picture loads) and sends it, with an older item; the
// Department's editor-in-chief reads both in the inbox (pictures load),
// accepts and publishes one and returns the other with a note; the unit
// sees the note and the Department's copy, which names its source.
func TestItemFromUnitToDepartment(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	base := "/t/" + unitSlug

	// The contributor: a picture into the library, then the item.
	ctv := w.as("ctv.ttdvvl@trangtin.local")
	ctv.visit(w.console(base+"/thu-vien"), "Thư viện ảnh và tệp")
	ctv.fill("#u-alt", "Người lao động tìm hiểu thông tin tuyển dụng tại phiên giao dịch")
	ctv.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#u-file"), []string{pngFile(t)}))
	ctv.follow("Tải lên")
	ctv.sees("phien-giao-dich.png", "Chèn vào nội dung bài")
	ctv.imagesLoaded()
	snippet := regexp.MustCompile(`/media/[0-9a-f-]+/[^"\s]+`).FindString(ctv.text())
	if snippet == "" {
		t.Fatalf("the library shows no /media/ address to insert:\n%s", ctv.text())
	}

	ctv.visit(w.console(base + "/bai-viet/moi"))
	ctv.fill("#post-title", itemTitle)
	ctv.fill("#post-summary", "Sáng 3/12, Trung tâm Dịch vụ việc làm Thanh Hóa phối hợp với UBND huyện Thọ Xuân tổ chức phiên giao dịch việc làm lưu động.")
	// The picture goes into the body as the editor inserts it.
	ctv.eval(`(() => {
	  const area = document.querySelector('.editor-area');
	  area.innerHTML = '<p>Phiên giao dịch có 25 doanh nghiệp tham gia tuyển dụng hơn 1.200 chỉ tiêu, trong đó có 300 chỉ tiêu đi làm việc ở nước ngoài.</p>' +
	    '<figure><img src="`+snippet+`" alt="Người lao động tìm hiểu thông tin tuyển dụng tại phiên giao dịch"><figcaption>Người lao động tìm hiểu thông tin tuyển dụng.</figcaption></figure>' +
	    '<p>Kết quả có 600 lượt lao động được tư vấn, 150 người được phỏng vấn và hẹn phỏng vấn.</p>';
	  area.dispatchEvent(new Event('input', {bubbles: true}));
	  return true })()`, nil)
	ctv.imagesLoaded()
	ctv.click(`input[name="fields"]`)
	ctv.submit(`#post-form button[type="submit"]`)
	ctv.sees(itemTitle, "Bản nháp")
	if n := ctv.imagesLoaded(); n == 0 {
		t.Error("the item page shows no picture")
	}
	ctv.axe()
	ctv.notSees("Gửi Ban Biên tập Sở")
	ctv.follow("Gửi duyệt")
	ctv.sees("Chờ duyệt")
	ctv.notSees("Gửi Ban Biên tập Sở")

	// The unit's editor-in-chief.
	chief := w.as("truongban.ttdvvl@trangtin.local")
	chief.visit(w.console(base+"/cho-duyet"), itemTitle)
	chief.follow(itemTitle)
	chief.imagesLoaded()
	chief.notSees("Gửi Ban Biên tập Sở")
	chief.follow("Duyệt bài")
	chief.follow("Đăng ngay")
	chief.sees("Đã đăng")
	chief.axe()
	var public string
	chief.eval(`(Array.from(document.querySelectorAll('a')).find(a => a.textContent.trim() === 'Xem trên trang') || {}).href || ''`, &public)
	if !w.publicItemURL(public) {
		t.Errorf("“Xem trên trang” goes to %q, want an item of a site on the server's port %s", public, w.port)
	}
	chief.follow("Gửi Ban Biên tập Sở")
	chief.sees(itemTitle, "Đã gửi")
	chief.axe()
	// An older published item of the unit goes up too.
	var older string
	chief.eval(`document.querySelector('section[aria-labelledby="send-h"] tbody tr td a').textContent.trim()`, &older)
	chief.submit(`section[aria-labelledby="send-h"] tbody tr button[type="submit"]`)
	chief.sees(older)

	reader := w.visitor("reader")
	reader.open(public)
	reader.sees(itemTitle)
	if n := reader.imagesLoaded(); n == 0 {
		t.Error("the public item shows no picture")
	}
	reader.axe()

	// The Department's editor-in-chief.
	dept := w.as("truongban.so@trangtin.local")
	dept.visit(w.console("/t/so-ldtbxh/hop-thu"), itemTitle, older)
	dept.follow(itemTitle)
	if n := dept.imagesLoaded(); n == 0 {
		t.Error("the inbox item shows no picture")
	}
	dept.axe()
	dept.click(`input[name="publish"]`)
	dept.follow("Nhận bài")
	dept.sees("Đã nhận")
	dept.open(w.console("/t/so-ldtbxh/hop-thu"))
	dept.follow(older)
	dept.fill("#d-return", "Đề nghị bổ sung số liệu kết quả và ảnh minh họa.")
	dept.follow("Trả lại")
	dept.sees("Trả lại")

	// Back at the unit: the note, and the Department's copy with its source.
	chief.open(w.console(base + "/da-gui"))
	chief.sees("Đề nghị bổ sung số liệu kết quả và ảnh minh họa.")
	chief.axe()
	var copyURL string
	chief.eval(`(Array.from(document.querySelectorAll('a')).find(a => a.textContent.trim() === 'xem bài') || {}).href || ''`, &copyURL)
	if !w.publicItemURL(copyURL) {
		t.Fatalf("“xem bài” goes to %q, want an item of a site on the server's port %s", copyURL, w.port)
	}
	reader.open(copyURL)
	reader.sees(itemTitle, "Nguồn:", unitName)
	if n := reader.imagesLoaded(); n == 0 {
		t.Error("the Department's copy shows no picture")
	}
	reader.axe()
}

// publicItemURL reports whether u is an item's address on a public site
// of this server (a tenant's host, which may be a registered domain, with
// the server's port): what a browser can open.
func (w *world) publicItemURL(u string) bool {
	v, err := url.Parse(u)
	return err == nil && v.Scheme == "http" && v.Port() == w.port && v.Hostname() != w.cfg.AdminHost &&
		strings.HasPrefix(v.Path, "/bai-viet/")
}

// pngFile writes a small photograph-like PNG for the upload.
func pngFile(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 400))
	for y := 0; y < 400; y++ {
		for x := 0; x < 640; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / 640), uint8(y * 255 / 400), 120, 255})
		}
	}
	path := filepath.Join(t.TempDir(), "phien-giao-dich.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}
