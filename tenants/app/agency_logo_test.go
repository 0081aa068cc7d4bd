package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The board chooses its logo among its library's pictures, by name, on
// the agency pages; another tenant's pictures are not offered.
func TestLogoChosenFromTheLibrary(t *testing.T) {
	w := newMtWorld(t, nil)
	v := w.view(w.upload("adminA", "hoa-mai", "bieu-trung.jpg", gpsJPEG(t, 120, 120), map[string]string{"alt": "Biểu trưng Hoa Mai"}), http.StatusCreated)
	other := w.view(w.upload("editorB", "hoa-dao", "hoa-dao.jpg", gpsJPEG(t, 60, 60), map[string]string{"alt": "Ảnh Hoa Đào"}), http.StatusCreated)
	b := newMtBrowser(t, w, "adminA")
	const page = "/t/hoa-mai/trang-thong-tin"
	form := b.get(page)
	if !strings.Contains(form, `<option value="`+v.ID+`">bieu-trung.jpg – Biểu trưng Hoa Mai</option>`) {
		t.Fatalf("the logo form does not offer the library's picture by name: %s", form)
	}
	if strings.Contains(form, other.ID) {
		t.Error("the logo form offers another tenant's picture")
	}
	req := httptest.NewRequest(http.MethodPost, page+"/logo", strings.NewReader(url.Values{"_csrf": {b.csrf()}, "logo_media_id": {v.ID}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := b.send(req); r.status != http.StatusSeeOther {
		t.Fatalf("choose the logo: %s", r)
	}
	if after := b.get(page); !strings.Contains(after, `<option value="`+v.ID+`" selected>`) || strings.Contains(after, "Giữ biểu trưng hiện tại") {
		t.Errorf("the chosen logo is not the form's choice: %s", after)
	}
	if home := w.get(mtHostA, "/", ""); !strings.Contains(string(home.body), `/media/`+v.ID+`/`) {
		t.Errorf("the site does not show its logo: %s", home)
	}
}
