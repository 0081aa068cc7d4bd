package e2e_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPlatformAdminOnboardsAUnit: the platform admin goes from the
// dashboard to /don-vi, onboards a unit with the form (a mistake first:
// the error shows next to the field and what was typed stays), finds it in
// the tree, and its public site answers within 2 s.
func TestPlatformAdminOnboardsAUnit(t *testing.T) {
	w := newWorld(t)
	admin := w.as("admin@trangtin.local")
	admin.notSees("chưa được giao vai trò", "liên hệ quản trị hệ thống")
	admin.follow("Quản lý đơn vị: thêm đơn vị, hồ sơ, thay đổi tổ chức")
	admin.sees("Quản lý đơn vị", "Sở Lao động", "Đang hoạt động", "Thêm đơn vị")
	admin.imagesLoaded()
	admin.axe()

	admin.fill("#ob-name", "Trung tâm Công tác xã hội Hoa Sen")
	admin.fill("#ob-slug", "Hoa Sen")
	admin.do("choose the parent", chromedp.SetValue(chromedp.CSS("#ob-parent"), "so-ldtbxh"))
	admin.submit(`#them-don-vi button[type="submit"]`)
	admin.sees("chỉ được gồm chữ thường không dấu")
	var kept struct{ Name, Invalid string }
	admin.eval(`({Name: document.querySelector('#ob-name').value, Invalid: document.querySelector('#ob-slug').getAttribute('aria-invalid')})`, &kept)
	if kept.Name != "Trung tâm Công tác xã hội Hoa Sen" || kept.Invalid != "true" {
		t.Errorf("after the refusal: %+v", kept)
	}
	admin.axe()

	reader := w.visitor("reader")
	admin.fill("#ob-slug", "hoa-sen")
	admin.submit(`#them-don-vi button[type="submit"]`)
	// Once the page says it is done, the very first request to the new
	// site is answered: no restart, no cache to wait out. (How long that
	// takes is the host's speed, so it is logged, not asserted.)
	start := time.Now()
	status, body := w.get("hoa-sen", "/")
	if status != 200 || !strings.Contains(body, "Trung tâm Công tác xã hội Hoa Sen") {
		t.Errorf("the first request to the new site, right after onboarding: status %d, body %q", status, clip(body, 300))
	}
	t.Logf("the new site answered its first request %v after the unit was onboarded", time.Since(start).Round(time.Millisecond))
	reader.open(w.site("hoa-sen", "/"))
	reader.sees("Trung tâm Công tác xã hội Hoa Sen", "Trang chưa đăng bài viết nào")
	admin.sees("Đã tạo đơn vị Trung tâm Công tác xã hội Hoa Sen", "Hồ sơ đơn vị", "Lịch sử đơn vị", "Khởi tạo")
	admin.axe()

	// The unit's first person, who has no account yet: the roles page asks
	// for a name, creates the account and shows a temporary password once,
	// with which that person signs in, sets their own and finds the unit.
	var unitPage string
	admin.eval(`location.href`, &unitPage)
	admin.open(w.console("/t/hoa-sen/vai-tro"))
	admin.fill("#g-email", "quantri@hoasen.gov.vn")
	admin.do("choose site-admin", chromedp.SetValue(chromedp.CSS("#g-role"), "site-admin"))
	admin.submit(`form[action="/t/hoa-sen/vai-tro/giao"] button[type="submit"]`)
	admin.sees("Chưa có tài khoản với thư điện tử quantri@hoasen.gov.vn")
	admin.fill("#g-name", "Lê Thị Hoa")
	admin.submit(`form[action="/t/hoa-sen/vai-tro/giao"] button[type="submit"]`)
	admin.sees("Đã tạo tài khoản quantri@hoasen.gov.vn", "Mật khẩu tạm thời")
	admin.axe()
	var temp string
	admin.eval(`document.querySelector('code.temp-password').textContent`, &temp)
	first := w.visitor("quantri@hoasen.gov.vn")
	first.open(w.console("/login"))
	first.fill("#email", "quantri@hoasen.gov.vn")
	first.fill("#password", temp)
	first.submit(`form[action="/login"] button[type="submit"]`)
	// A handed-over password opens only the account page, until the
	// person sets their own; then the console opens on their unit.
	first.sees("mật khẩu tạm thời do quản trị hệ thống cấp", "Đặt mật khẩu mới")
	first.axe()
	first.fill("#cur", temp)
	first.fill("#new", "Hoa-Sen-tự-đặt-2026")
	first.fill("#confirm", "Hoa-Sen-tự-đặt-2026")
	first.submit(`form[action="/tai-khoan/mat-khau"] button[type="submit"]`)
	first.sees("Đã đặt mật khẩu mới", "Lê Thị Hoa", "Trung tâm Công tác xã hội Hoa Sen")

	// The unit's own section, made from the console's menu: readers find
	// it in the site's menu on their next page.
	first.open(w.console("/t/hoa-sen"))
	first.follow("Chuyên mục")
	first.sees("Chuyên mục của trang", "Bắt buộc (Nghị định 42/2022)", "Tin tức – Sự kiện")
	first.axe()
	first.fill("#s-name", "Tuyển sinh")
	first.fill("#s-desc", "Thông báo tuyển sinh các lớp kỹ năng sống")
	first.submit(`form[action="/t/hoa-sen/chuyen-muc"] button[type="submit"]`)
	first.sees("Đã tạo chuyên mục", "/chuyen-muc/tuyen-sinh", "Riêng của đơn vị")
	first.axe()
	reader.open(w.site("hoa-sen", "/"))
	reader.submit(`nav.sections a[href="/chuyen-muc/tuyen-sinh"]`)
	reader.sees("Tuyển sinh", "Thông báo tuyển sinh các lớp kỹ năng sống")
	admin.open(unitPage)

	// A lifecycle change: a reason, a confirmation, then the history.
	admin.fill("#op-suspend-reason", "Chờ kiện toàn nhân sự")
	admin.submit(`#op-suspend button[type="submit"]`)
	admin.sees("Xác nhận thay đổi", "Tạm dừng Trung tâm Công tác xã hội Hoa Sen", "Lý do: Chờ kiện toàn nhân sự")
	admin.axe()
	admin.follow("Xác nhận")
	admin.sees("Đã thực hiện: Tạm dừng", "Chờ kiện toàn nhân sự")
	admin.axe()
}

// TestContributorPicksPictures: a contributor inserts a picture from the
// library with the picker (uploading it in place, after a refused upload
// that kept the file and the text), and chooses the item's cover picture,
// all without leaving the page being written.
func TestContributorPicksPictures(t *testing.T) {
	w := newWorld(t)
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for x := 0; x < 320; x++ {
		for y := 0; y < 200; y++ {
			img.Set(x, y, color.RGBA{R: uint8(x), G: 90, B: uint8(y), A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	good, bad := filepath.Join(dir, "hoi-nghi-viec-lam.png"), filepath.Join(dir, "khong-phai-anh.png")
	if err := os.WriteFile(good, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("đây không phải là ảnh"), 0o600); err != nil {
		t.Fatal(err)
	}

	p := w.as("ctv.ttdvvl@trangtin.local")
	base := "/t/trung-tam-dich-vu-viec-lam/bai-viet"
	p.open(w.console(base + "/moi"))
	p.fill("#post-title", "Phiên giao dịch việc làm tháng 12")
	p.eval(`(() => { const a = document.querySelector('#post-body-editor'); a.focus(); document.execCommand('insertText', false, 'Sáng nay, Trung tâm tổ chức phiên giao dịch việc làm.'); return true })()`, nil)

	p.click(`.editor-toolbar button[aria-label="Chèn ảnh"]`)
	p.sees("Chèn ảnh vào bài", "Tải lên")
	p.do("choose a file that is not a picture", chromedp.SetUploadFiles(chromedp.CSS("#picker-file"), []string{bad}))
	p.fill("#picker-up-alt", "Quang cảnh phiên giao dịch")
	p.click("#picker-upload")
	p.do("wait for the refusal", chromedp.WaitVisible(chromedp.CSS("#picker-up-error:not(:empty)")))
	// The library also takes documents; the picker names pictures only.
	var refusal string
	p.eval(`document.querySelector('#picker-up-error').textContent`, &refusal)
	if !strings.Contains(refusal, "Tệp này không phải ảnh") || strings.Contains(refusal, "DOCX") {
		t.Errorf("the picker's refusal: %q", refusal)
	}
	var after struct {
		Files int
		Alt   string
		Title string
		Body  string
	}
	p.eval(`({Files: document.querySelector('#picker-file').files.length, Alt: document.querySelector('#picker-up-alt').value,
		Title: document.querySelector('#post-title').value, Body: document.querySelector('#post-body-editor').innerText})`, &after)
	if after.Files != 1 || after.Alt != "Quang cảnh phiên giao dịch" || after.Title != "Phiên giao dịch việc làm tháng 12" ||
		!strings.Contains(after.Body, "phiên giao dịch việc làm") {
		t.Errorf("after a refused upload: %+v", after)
	}

	p.do("choose the picture", chromedp.SetUploadFiles(chromedp.CSS("#picker-file"), []string{good}))
	p.click("#picker-upload")
	p.do("wait for the new tile", chromedp.WaitVisible(chromedp.CSS(`.picker-tile[aria-pressed="true"]`)))
	loaded, broken := p.pictures()
	if loaded == 0 || len(broken) > 0 {
		t.Errorf("picker thumbnails: %d loaded, broken %v", loaded, broken)
	}
	p.axe()
	p.fill("#picker-alt", "Người lao động tìm hiểu thông tin tuyển dụng")
	p.fill("#picker-caption", "Phiên giao dịch sáng 05/12")
	p.click("#picker-ok")
	var inserted struct{ Src, Alt string }
	p.eval(`(() => { const i = document.querySelector('#post-body-editor figure img'); return i ? {Src: i.getAttribute('src'), Alt: i.alt} : {} })()`, &inserted)
	if !strings.HasPrefix(inserted.Src, "/media/") || inserted.Alt != "Người lao động tìm hiểu thông tin tuyển dụng" {
		t.Fatalf("inserted picture: %+v", inserted)
	}
	// Typing on after the picture writes a new paragraph, not its caption.
	p.do("type after the picture", chromedp.KeyEvent("Sau buoi sang"))
	var typed struct{ Caption, After string }
	p.eval(`(() => { const f = document.querySelector('#post-body-editor figure'); const c = f.querySelector('figcaption');
		return {Caption: c ? c.textContent : '', After: f.nextElementSibling ? f.nextElementSibling.textContent : ''} })()`, &typed)
	if typed.Caption != "Phiên giao dịch sáng 05/12" || !strings.Contains(typed.After, "Sau buoi sang") {
		t.Errorf("typed after inserting the picture: caption %q, next paragraph %q", typed.Caption, typed.After)
	}
	p.submit(`#post-form button[type="submit"]`)
	p.sees("Phiên giao dịch việc làm tháng 12")

	var edit string
	p.eval(`location.pathname`, &edit)
	p.open(w.console(edit + "/sua"))
	p.sees("Ảnh đại diện", "Chưa chọn ảnh đại diện")
	// The inserted picture shows in the editor on the admin host.
	var body struct{ Width int }
	p.eval(`new Promise(r => { const i = document.querySelector('#post-body-editor figure img'); if (!i) return r({Width: -1}); const done = () => r({Width: i.naturalWidth}); i.complete ? done() : i.addEventListener('load', done); i.addEventListener('error', done) })`, &body)
	if body.Width <= 0 {
		t.Errorf("the picture inserted in the body does not load in the editor (naturalWidth %d)", body.Width)
	}
	p.click("#cover-pick")
	p.sees("Chọn ảnh đại diện")
	p.do("wait for the library", chromedp.WaitVisible(chromedp.CSS(".picker-tile")))
	p.click(".picker-tile")
	p.click("#picker-ok")
	p.sees("Đã chọn ảnh đại diện")
	var cover struct{ Width int }
	p.eval(`new Promise(r => { const i = document.querySelector('#cover-current img'); const done = () => r({Width: i.naturalWidth}); i.complete ? done() : i.addEventListener('load', done) })`, &cover)
	if cover.Width == 0 {
		t.Error("the cover picture does not load")
	}
	p.open(w.console(edit + "/sua"))
	p.sees("Bỏ ảnh đại diện")

	// The photographer's credit, given in the library, goes into the text
	// with the picture.
	unit, _ := w.app.Registry.BySlug("trung-tam-dich-vu-viec-lam")
	mediaID := strings.Split(strings.TrimPrefix(inserted.Src, "/media/"), "/")[0]
	if _, err := w.app.DB.NewUpdate().Table("media").Set("credit = ?", "Ngô Thị Lan").
		Where("tenant_id = ? AND id = ?", unit.ID, mediaID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.click(`.editor-toolbar button[aria-label="Chèn ảnh"]`)
	p.do("wait for the library", chromedp.WaitVisible(chromedp.CSS(".picker-tile")))
	p.click(".picker-tile")
	p.click("#picker-ok")
	var credit string
	p.eval(`Array.from(document.querySelectorAll('#post-body-editor figcaption')).map(c => c.textContent).join(' | ')`, &credit)
	if !strings.Contains(credit, "Ảnh: Ngô Thị Lan") {
		t.Errorf("inserted pictures' captions %q lack the credit", credit)
	}
}
