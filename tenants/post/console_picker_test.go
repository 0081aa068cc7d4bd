package post_test

// Pictures in the editor: the picker lists the tenant's own images with a
// preview the console can show, the form carries the picker's address and
// no prompt(), and the cover picture takes only an image of the tenant's
// own library.

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/tenants/media"
)

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := 0; x < 40; x++ {
		for y := 0; y < 30; y++ {
			img.Set(x, y, color.RGBA{R: uint8(x * 6), G: 120, B: uint8(y * 8), A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// followPage loads the page a form redirected to, as a browser does:
// without the fragment.
func followPage(t *testing.T, b *pwBrowser, r pwPage) pwPage {
	t.Helper()
	if r.status != http.StatusSeeOther {
		t.Fatalf("form did not redirect: %s", r)
	}
	loc, _, _ := strings.Cut(r.header.Get("Location"), "#")
	return b.get(loc)
}

func (w *pwWorld) image(t *testing.T, slug, name, alt string) *media.Media {
	t.Helper()
	m, err := w.a.Media.Upload(context.Background(), w.tenants[slug].ID, w.accounts["writer"].ID, name, bytes.NewReader(testPNG(t)), alt, "")
	if err != nil {
		t.Fatalf("upload %s: %v", name, err)
	}
	return m
}

func TestPicturePickerAndCover(t *testing.T) {
	w := newPWWorld(t)
	mine := w.image(t, pwSlugA, "hoi-nghi.png", "Quang cảnh hội nghị")
	theirs := w.image(t, pwSlugB, "cua-don-vi-khac.png", "Ảnh của Hoa Đào")
	writer := w.signIn("writer")
	lib := "/t/" + pwSlugA + "/thu-vien"

	r := writer.get(lib + "/chon")
	if r.status != http.StatusOK {
		t.Fatalf("picker: %s", r)
	}
	var list media.PickList
	if err := json.Unmarshal([]byte(r.body), &list); err != nil {
		t.Fatalf("picker JSON: %v\n%s", err, r.body)
	}
	if len(list.Items) != 1 || list.Items[0].ID != mine.ID || list.Items[0].Alt != "Quang cảnh hội nghị" ||
		list.Items[0].Src != mine.Path() || list.Upload != "/api/v1/tenants/"+pwSlugA+"/media" {
		t.Fatalf("picker lists %+v", list)
	}
	// The preview is served on the admin host, as an image.
	if th := writer.get(list.Items[0].Thumb); th.status != http.StatusOK || !strings.HasPrefix(th.header.Get("Content-Type"), "image/") {
		t.Errorf("thumbnail %s: %s", list.Items[0].Thumb, th)
	}
	if r := w.signIn("outsider").get(lib + "/chon"); r.status != http.StatusNotFound {
		t.Errorf("another tenant's picker: %s", r)
	}

	base := "/t/" + pwSlugA + "/bai-viet"
	created := writer.submit(base+"/moi", pwForm(pwTitle, pwSummary, pwBody))
	item := created.header.Get("Location")
	id := strings.TrimPrefix(item, base+"/")
	form := writer.get(item + "/sua")
	mustContain(t, form, `data-pick-url="`+lib+`/chon"`, `id="anh-dai-dien"`, "Chưa chọn ảnh đại diện", `action="`+item+`/anh-dai-dien"`)
	mustNotContain(t, form, "prompt(")

	t.Run("another tenant's media is refused as a cover", func(t *testing.T) {
		r := writer.submit(item+"/anh-dai-dien", url.Values{"media_id": {theirs.ID}})
		page := followPage(t, writer, r)
		mustContain(t, page, "Ảnh đại diện phải là một ảnh trong thư viện ảnh của đơn vị")
		if p := w.post(id); p.FeaturedMediaID != nil {
			t.Errorf("cover set to %v", *p.FeaturedMediaID)
		}
		r = writer.do(http.MethodPost, item+"/anh-dai-dien", url.Values{"media_id": {theirs.ID}, "_csrf": {writer.tok}}, "Accept", "application/json")
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "thư viện ảnh của đơn vị") {
			t.Errorf("JSON refusal: %s", r)
		}
	})
	t.Run("its own image becomes the cover, shown on the form and on the site", func(t *testing.T) {
		r := writer.do(http.MethodPost, item+"/anh-dai-dien", url.Values{"media_id": {mine.ID}, "_csrf": {writer.tok}}, "Accept", "application/json")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"id":"`+mine.ID+`"`) {
			t.Fatalf("JSON cover: %s", r)
		}
		if p := w.post(id); p.FeaturedMediaID == nil || *p.FeaturedMediaID != mine.ID {
			t.Fatalf("stored cover: %v", p.FeaturedMediaID)
		}
		mustContain(t, writer.get(item+"/sua"), `class="cover-preview" src="`+lib+"/"+mine.ID+"/tep/", `alt="Quang cảnh hội nghị"`, "Bỏ ảnh đại diện")
		r = writer.submit(item+"/anh-dai-dien", url.Values{"media_id": {mine.ID}, "remove": {"1"}})
		mustContain(t, followPage(t, writer, r), "Đã bỏ ảnh đại diện", "Chưa chọn ảnh đại diện")
	})
	t.Run("the library no longer speaks of an HTML mode", func(t *testing.T) {
		page := writer.get(lib + "/" + mine.ID)
		mustNotContain(t, page, "chế độ HTML")
		mustContain(t, page, "Chèn ảnh", "Chọn từ thư viện")
	})
}
