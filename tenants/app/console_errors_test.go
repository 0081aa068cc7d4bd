package app_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/config"
)

// formOnly is what a GET of a form-only address is told.
const formOnly = "Địa chỉ này chỉ dùng để gửi biểu mẫu"

// consoleLayout marks a page rendered in the console's layout.
const consoleLayout = `<body class="console">`

// uploadWith sends the library's upload form with the header pairs given
// (a Referer), the text fields before the file as a browser sends them.
func (b *mtBrowser) uploadWith(path, name string, data []byte, fields map[string]string, headers ...string) mtReply {
	b.t.Helper()
	tok := b.csrf()
	all := map[string]string{"_csrf": tok}
	for k, v := range fields {
		all[k] = v
	}
	ct, body := multipartBody(name, data, all)
	req := httptest.NewRequest(http.MethodPost, path+"?_csrf="+tok, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.send(req)
}

// TestConsoleUploadTooLarge: a file over the media limit, sent from the
// library page, gets a page in the console's layout naming the file limit
// (not the body limit, which is a little larger) with a way back, whether
// the body is refused before the handler runs (its length over the upload
// routes' limit) or by the handler (over the file limit only).
func TestConsoleUploadTooLarge(t *testing.T) {
	w := newMtWorld(t, func(c *config.Config) { c.MediaMaxBytes = 1 << 20 }) // body limit: 2 MB
	pdf := func(n int) []byte { return append([]byte("%PDF-1.5\n"), make([]byte, n)...) }
	library := "/t/hoa-mai/thu-vien"
	c := newMtBrowser(t, w, "editorA")

	t.Run("over the body limit, from the library page", func(t *testing.T) {
		r := c.uploadWith(library, "lon.pdf", pdf(3<<20), map[string]string{"alt": "Báo cáo"},
			"Referer", "http://"+mtAdminHost+library+"?q=bao-cao")
		body := string(r.body)
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413: %s", r.status, r)
		}
		for _, want := range []string{consoleLayout, "Tệp quá lớn: tối đa 1 MB", `href="/t/hoa-mai/thu-vien?q=bao-cao"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "2 MB") {
			t.Errorf("page names the body limit, not the file limit:\n%s", body)
		}
		if keys := w.objects("hoa-mai"); len(keys) != 0 || w.mediaRows() != 0 {
			t.Errorf("left behind: objects %v, %d rows", keys, w.mediaRows())
		}
	})
	t.Run("over the body limit, from another site: back to the console home", func(t *testing.T) {
		r := c.uploadWith(library, "lon.pdf", pdf(3<<20), nil, "Referer", "https://evil.example/t/hoa-mai/thu-vien")
		body := string(r.body)
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(body, consoleLayout) ||
			!strings.Contains(body, `href="/"`) || strings.Contains(body, "evil.example") {
			t.Errorf("want the console page linking home: %s", r)
		}
	})
	t.Run("over the file limit only: the library again, the form kept", func(t *testing.T) {
		r := c.uploadWith(library, "lon.pdf", pdf(1<<20+(256<<10)), map[string]string{"alt": "Báo cáo năm", "caption": "Chú thích giữ lại"})
		body := string(r.body)
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413: %s", r.status, r)
		}
		for _, want := range []string{consoleLayout, `href="/t/hoa-mai/thu-vien" aria-current="page"`, "Tệp quá lớn: tối đa 1 MB",
			`value="Báo cáo năm"`, "Chú thích giữ lại"} {
			if !strings.Contains(body, want) {
				t.Errorf("library page lacks %q:\n%s", want, body)
			}
		}
	})
	t.Run("the API names the file limit too", func(t *testing.T) {
		r := w.upload("editorA", "hoa-mai", "lon.pdf", pdf(3<<20), nil)
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413: %s", r.status, r)
		}
		if code, msg := apiError(t, r); code != "media_too_large" || msg != "Tệp quá lớn: tối đa 1 MB" {
			t.Errorf("error %s %q", code, msg)
		}
	})
	t.Run("another form over the body limit keeps the body's limit", func(t *testing.T) {
		r := c.send(postForm("/tai-khoan", strings.Repeat("x", 2<<20)))
		if r.status != http.StatusRequestEntityTooLarge || strings.Contains(string(r.body), "Tệp quá lớn") ||
			!strings.Contains(string(r.body), "quá lớn (tối đa 1 MB)") {
			t.Errorf("want the body limit: %s", r)
		}
	})
}

func postForm(path, value string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader("x="+value))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// TestConsoleFormOnlyAddress: a GET of a console address that only takes
// a form post (left in the address bar after a refused form) sends the
// browser to the page of the form, saying why; the API keeps its JSON 405
// and the public sites their own pages.
func TestConsoleFormOnlyAddress(t *testing.T) {
	w := newMtWorld(t, nil)
	v := w.view(w.upload("editorA", "hoa-mai", "a.jpg", gpsJPEG(t, 60, 40), map[string]string{"alt": "Ảnh"}), http.StatusCreated)
	item := "/t/hoa-mai/thu-vien/" + v.ID
	c := newMtBrowser(t, w, "adminA")

	t.Run("back to the page of the form", func(t *testing.T) {
		r := c.send(httptest.NewRequest(http.MethodGet, item+"/xoa", nil))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != item {
			t.Fatalf("want 303 to %s: %s", item, r)
		}
		page := c.get(item)
		if !strings.Contains(page, formOnly) || !strings.Contains(page, consoleLayout) {
			t.Errorf("the item page does not say why:\n%s", page)
		}
		if again := c.get(item); strings.Contains(again, formOnly) {
			t.Error("the message is shown twice")
		}
	})
	t.Run("no page above it: a console page with a way home", func(t *testing.T) {
		r := c.send(httptest.NewRequest(http.MethodGet, "/logout", nil))
		body := string(r.body)
		if r.status != http.StatusMethodNotAllowed {
			t.Fatalf("status %d, want 405: %s", r.status, r)
		}
		for _, want := range []string{consoleLayout, formOnly, `href="/"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q:\n%s", want, body)
			}
		}
	})
	t.Run("the API keeps its JSON 405", func(t *testing.T) {
		r := w.get(mtAdminHost, "/api/v1/tenants/hoa-mai/suspend", w.tokens["adminA"])
		if r.status != http.StatusMethodNotAllowed {
			t.Fatalf("status %d, want 405: %s", r.status, r)
		}
		if code, _ := apiError(t, r); code != "method_not_allowed" {
			t.Errorf("code %q", code)
		}
	})
	t.Run("a public site keeps its own error page", func(t *testing.T) {
		r := w.get(mtHostA, "/khong-co-trang-nay", "")
		if r.status != http.StatusNotFound || strings.Contains(string(r.body), consoleLayout) {
			t.Errorf("want the site's 404: %s", r)
		}
	})
}

// TestConsoleUploadTooLargeChunked: a chunked upload (no length to refuse
// it by) is cut at the upload routes' body limit inside the library's
// handler, which answers with the library page naming the file limit.
func TestConsoleUploadTooLargeChunked(t *testing.T) {
	w := newMtWorld(t, func(c *config.Config) { c.MediaMaxBytes = 1 << 20 })
	c := newMtBrowser(t, w, "editorA")
	page := c.get("/tai-khoan")
	i := strings.Index(page, `name="_csrf" value="`)
	tok := page[i+len(`name="_csrf" value="`):]
	tok = tok[:strings.IndexByte(tok, '"')]
	// The file's first bytes pass the type check and the rest is bigger
	// than the body limit, so the body limit is what stops it.
	ct, body := multipartBody("lon.pdf", append([]byte("%PDF-1.5\n"), make([]byte, 3<<20)...), map[string]string{"_csrf": tok, "alt": "Báo cáo"})
	req, err := http.NewRequest(http.MethodPost, "http://"+serveOn(t, w.a)+"/t/hoa-mai/thu-vien?_csrf="+tok, io.NopCloser(bytes.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Host, req.ContentLength = mtAdminHost, -1
	req.Header.Set("Content-Type", ct)
	for k, v := range c.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Skipf("the server closed the connection before the answer could be read: %v", err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413:\n%s", res.StatusCode, got)
	}
	for _, want := range []string{consoleLayout, "Tệp quá lớn: tối đa 1 MB", `value="Báo cáo"`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("library page lacks %q:\n%s", want, got)
		}
	}
}
