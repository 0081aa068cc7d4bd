package app_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/document"
)

// zipOf builds a zip archive of name → content.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range files {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func docxBytes(t *testing.T) []byte {
	return zipOf(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/document.xml":   `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`,
	})
}

// uploadFile posts a file to tenant slug's library and returns the answer.
func (w *oaWorld) uploadFile(who, slug, name string, data []byte) oaReply {
	w.t.Helper()
	ct, body := multipartBody(name, data, nil)
	return w.sendRaw(who, "POST", "/api/v1/tenants/"+slug+"/media", ct, body)
}

// publishDoc writes a document as who in tenant slug and publishes it.
func (w *oaWorld) publishDoc(who, slug, title string, doc map[string]any, attachments []string, fields ...string) oaItem {
	w.t.Helper()
	if attachments == nil {
		attachments = []string{}
	}
	if len(fields) == 0 {
		fields = []string{"lao-dong-viec-lam"}
	}
	in := map[string]any{"title": title, "summary": "Trích yếu: " + title, "type": "document",
		"section": "van-ban-phap-luat", "document": doc, "attachments": attachments, "fields": append([]string{}, fields...)}
	var it oaItem
	w.must(201, who, "POST", "/api/v1/tenants/"+slug+"/posts", in).decode(w.t, &it)
	for _, to := range []string{"submitted", "approved", "published"} {
		w.must(200, who, "POST", "/api/v1/tenants/"+slug+"/posts/"+it.ID+"/transitions", map[string]string{"to": to}).decode(w.t, &it)
	}
	return it
}

// site fetches a public page of tenant slug.
func site(t *testing.T, w *oaWorld, slug, path string) isoReply {
	t.Helper()
	v := newVisitor(t, w.a)
	v.host = slug + ".localhost"
	return v.do(http.MethodGet, path, nil)
}

func TestDocumentUploadsJudgedByContent(t *testing.T) {
	w := newOAWorld(t)
	pdf := w.uploadFile("tbAlpha", "alpha", "quyet-dinh.pdf", document.MinimalPDF("Quyet dinh 12/QD"))
	if pdf.status != 201 || !strings.Contains(string(pdf.body), `"content_type":"application/pdf"`) {
		t.Errorf("a real PDF: %s", pdf)
	}
	html := w.uploadFile("tbAlpha", "alpha", "van-ban.pdf", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"))
	if html.status != http.StatusUnsupportedMediaType || !strings.Contains(string(html.body), "không xét tên tệp") {
		t.Errorf("an HTML page named .pdf: %s", html)
	}
	docx := w.uploadFile("tbAlpha", "alpha", "ke-hoach.pdf", docxBytes(t))
	if docx.status != 201 || !strings.Contains(string(docx.body), "wordprocessingml.document") {
		t.Errorf("a DOCX named .pdf: %s", docx)
	}
	odt := w.uploadFile("tbAlpha", "alpha", "bao-cao.pdf", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"}))
	if odt.status != 201 || !strings.Contains(string(odt.body), "opendocument.text") {
		t.Errorf("an ODT named .pdf: %s", odt)
	}
	other := w.uploadFile("tbAlpha", "alpha", "du-lieu.pdf", zipOf(t, map[string]string{"readme.txt": "hello"}))
	if other.status != http.StatusUnsupportedMediaType {
		t.Errorf("a plain zip named .pdf: %s", other)
	}
	// Stored as DOCX: downloaded as a .docx with its type.
	var m struct{ ID, URL string }
	docx.decode(t, &m)
	r := site(t, w, "alpha", strings.TrimPrefix(m.URL, "http://alpha.localhost"))
	if r.status != 200 || r.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" ||
		!strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") || !strings.Contains(r.header.Get("Content-Disposition"), ".docx") {
		t.Errorf("download of the DOCX %s: %d %v", m.URL, r.status, r.header)
	}
}

func TestDocumentsPublic(t *testing.T) {
	w := newOAWorld(t)
	var pdf, docx struct{ ID, URL string }
	w.uploadFile("tbAlpha", "alpha", "quyet-dinh-12.pdf", document.MinimalPDF("Quyet dinh so 12")).decode(t, &pdf)
	w.uploadFile("tbAlpha", "alpha", "phu-luc.docx", docxBytes(t)).decode(t, &docx)
	expired := w.publishDoc("tbAlpha", "alpha", "Quyết định về hỗ trợ người lao động mất việc làm",
		map[string]any{"number": "12/2025/QĐ-UBND", "kind": "quyet-dinh", "issuer": "UBND tỉnh Thanh Hóa", "signer": "Nguyễn Văn A",
			"issued_on": "2025-01-10", "effective_on": "2025-01-20", "expires_on": "2025-12-31"}, []string{pdf.ID, docx.ID}, "lao-dong-viec-lam")
	current := w.publishDoc("tbAlpha", "alpha", "Kế hoạch tuyển sinh giáo dục nghề nghiệp năm 2026",
		map[string]any{"number": "88/KH-SLĐTBXH", "kind": "ke-hoach", "issuer": "Sở Lao động Thử nghiệm", "issued_on": "2026-02-03"}, nil, "giao-duc-nghe-nghiep")

	t.Run("the list marks expired documents and filters", func(t *testing.T) {
		r := site(t, w, "alpha", "/van-ban")
		if r.status != 200 || !strings.Contains(r.body, "/van-ban/"+expired.Slug) || !strings.Contains(r.body, "/van-ban/"+current.Slug) ||
			strings.Count(r.body, `<span class="expired">Hết hiệu lực</span>`) != 1 || !strings.Contains(r.body, "2 văn bản") {
			t.Errorf("/van-ban: %s", r)
		}
		for q, want := range map[string]string{
			"?loai=ke-hoach": current.Slug, "?nam=2025": expired.Slug, "?linh-vuc=lao-dong-viec-lam": expired.Slug,
			"?co-quan=" + strings.ReplaceAll("Sở Lao động Thử nghiệm", " ", "+"): current.Slug, "?q=12%2F2025": expired.Slug, "?q=tuyen+sinh": current.Slug,
		} {
			r := site(t, w, "alpha", "/van-ban"+q)
			other := expired.Slug
			if want == expired.Slug {
				other = current.Slug
			}
			if !strings.Contains(r.body, "/van-ban/"+want+`"`) || strings.Contains(r.body, "/van-ban/"+other+`"`) || !strings.Contains(r.body, "1 văn bản") {
				t.Errorf("/van-ban%s does not list only %s: %s", q, want, r)
			}
		}
	})
	t.Run("one document, its files downloaded", func(t *testing.T) {
		r := site(t, w, "alpha", "/van-ban/"+expired.Slug)
		for _, s := range []string{"12/2025/QĐ-UBND", "Quyết định", "UBND tỉnh Thanh Hóa", "Nguyễn Văn A", "10/01/2025", "31/12/2025", "Hết hiệu lực", "/media/" + pdf.ID + "/", "/media/" + docx.ID + "/"} {
			if !strings.Contains(r.body, s) {
				t.Errorf("/van-ban/%s lacks %q", expired.Slug, s)
			}
		}
		d := site(t, w, "alpha", strings.TrimPrefix(pdf.URL, "http://alpha.localhost"))
		if d.status != 200 || d.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(d.header.Get("Content-Disposition"), `attachment; filename="quyet-dinh-12.pdf"`) ||
			!strings.HasPrefix(d.body, "%PDF-") {
			t.Errorf("PDF download: %d %v", d.status, d.header)
		}
	})
	t.Run("the item address answers 301 to the document's", func(t *testing.T) {
		r := site(t, w, "alpha", "/bai-viet/"+expired.Slug)
		if r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/van-ban/"+expired.Slug {
			t.Errorf("/bai-viet/%s: %d %s", expired.Slug, r.status, r.header.Get("Location"))
		}
	})
	t.Run("in the section, search, feed and sitemap", func(t *testing.T) {
		for _, path := range []string{"/chuyen-muc/van-ban-phap-luat", "/search?q=tuyen+sinh", "/feed.xml", "/sitemap.xml"} {
			if r := site(t, w, "alpha", path); r.status != 200 || !strings.Contains(r.body, "/van-ban/"+current.Slug) {
				t.Errorf("%s does not link the document: %s", path, r)
			}
		}
	})
	t.Run("listings elsewhere mark the expired document too", func(t *testing.T) {
		const mark = `<p class="expired">Hết hiệu lực</p>`
		r := site(t, w, "alpha", "/search?q=mat+viec+lam")
		if !strings.Contains(r.body, "/van-ban/"+expired.Slug) || strings.Count(r.body, mark) != 1 {
			t.Errorf("search does not mark the expired document once: %s", r)
		}
		if r := site(t, w, "alpha", "/search?q=tuyen+sinh"); !strings.Contains(r.body, "/van-ban/"+current.Slug) || strings.Contains(r.body, mark) {
			t.Errorf("search marks a document in force: %s", r)
		}
		if r := site(t, w, "alpha", "/"); !strings.Contains(r.body, mark) {
			t.Errorf("the home page does not mark the expired document: %s", r)
		}
	})
	t.Run("the API shows the metadata and files", func(t *testing.T) {
		r := w.must(200, "tbAlpha", "GET", "/api/v1/tenants/alpha/posts/"+expired.ID, nil)
		for _, s := range []string{`"kind":"quyet-dinh"`, `"expired":true`, `"attachments":["` + pdf.ID + `","` + docx.ID + `"]`, `"url":"http://alpha.localhost/van-ban/`} {
			if !strings.Contains(string(r.body), s) {
				t.Errorf("API item lacks %s: %s", s, r)
			}
		}
	})
	t.Run("a file of a published document cannot be deleted", func(t *testing.T) {
		r := w.send("tbAlpha", "DELETE", "/api/v1/tenants/alpha/media/"+pdf.ID, nil)
		if r.status != http.StatusConflict || r.errorCode() != "media_in_use" || !strings.Contains(string(r.body), "hỗ trợ người lao động mất việc làm") {
			t.Errorf("deleting an attached file: %s", r)
		}
	})
	t.Run("another tenant never shows them", func(t *testing.T) {
		for _, path := range []string{"/van-ban/" + expired.Slug, "/bai-viet/" + expired.Slug, strings.TrimPrefix(pdf.URL, "http://alpha.localhost")} {
			if r := site(t, w, "beta", path); r.status != 404 {
				t.Errorf("beta %s: %d", path, r.status)
			}
		}
		if r := site(t, w, "beta", "/van-ban"); strings.Contains(r.body, expired.Slug) || !strings.Contains(r.body, "0 văn bản") {
			t.Errorf("beta lists alpha's documents: %s", r)
		}
		// Beta cannot attach alpha's file to its own document.
		r := w.send("tbBeta", "POST", "/api/v1/tenants/beta/posts", map[string]any{"title": "Văn bản của Beta", "type": "document",
			"document": map[string]any{"kind": "thong-bao"}, "attachments": []string{pdf.ID}})
		if r.status != 400 || r.errorCode() != "attachment_unknown" {
			t.Errorf("beta attached alpha's file: %s", r)
		}
	})
}

func TestDocumentsPaging(t *testing.T) {
	w := newOAWorld(t)
	for i := range 22 {
		w.publishDoc("tbAlpha", "alpha", fmt.Sprintf("Thông báo số %d về lịch tiếp công dân", i+1),
			map[string]any{"number": fmt.Sprintf("%d/TB-SLĐTBXH", i+1), "kind": "thong-bao", "issued_on": fmt.Sprintf("2026-01-%02d", i+1)}, nil)
	}
	first, second := site(t, w, "alpha", "/van-ban?loai=thong-bao"), site(t, w, "alpha", "/van-ban?loai=thong-bao&trang=2")
	if strings.Count(first.body, "<tr>") != 21 || !strings.Contains(first.body, "22 văn bản") || !strings.Contains(first.body, "Trang 1/2") ||
		!strings.Contains(first.body, `href="/van-ban?loai=thong-bao&amp;trang=2"`) {
		t.Errorf("page 1: %s", first)
	}
	// Newest issued first: page 2 holds the two oldest.
	if strings.Count(second.body, "<tr>") != 3 || !strings.Contains(second.body, "2/TB-SLĐTBXH") || !strings.Contains(second.body, ">1/TB-SLĐTBXH") {
		t.Errorf("page 2: %s", second)
	}
}

func TestDocumentConsoleForm(t *testing.T) {
	w := newOAWorld(t)
	var pdf struct{ ID string }
	w.uploadFile("tbAlpha", "alpha", "cong-van-45.pdf", document.MinimalPDF("Cong van 45")).decode(t, &pdf)
	b := newVisitor(t, w.a)
	b.login(oaEmail("tbAlpha"), apptest.Password)
	r := b.do(http.MethodGet, "/t/alpha/bai-viet/moi", nil)
	if r.status != 200 || !strings.Contains(r.body, `name="doc_number"`) || !strings.Contains(r.body, `value="`+pdf.ID+`"`) {
		t.Fatalf("the item form lacks the document fields: %s", r)
	}
	form := url.Values{"title": {"Công văn về chi trả trợ cấp ưu đãi người có công"}, "summary": {"Trích yếu công văn."}, "type": {"document"},
		"section": {"van-ban-chi-dao-dieu-hanh"}, "fields": {"nguoi-co-cong"}, "doc_number": {"45/SLĐTBXH-NCC"}, "doc_kind": {"cong-van"},
		"doc_issuer": {"Sở Lao động Thử nghiệm"}, "doc_issued_on": {"2026-11-02"}, "attachments": {pdf.ID}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("doc_kind", "")
	if r := b.post("/t/alpha/bai-viet/moi", bad); r.status != http.StatusBadRequest && r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Loại văn bản không hợp lệ") ||
		!strings.Contains(r.body, `value="45/SLĐTBXH-NCC"`) {
		t.Errorf("a document without a kind: %s", r)
	}
	r = b.post("/t/alpha/bai-viet/moi", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create through the console: %s", r)
	}
	id := strings.TrimPrefix(r.header.Get("Location"), "/t/alpha/bai-viet/")
	got := w.must(200, "tbAlpha", "GET", "/api/v1/tenants/alpha/posts/"+id, nil)
	for _, s := range []string{`"number":"45/SLĐTBXH-NCC"`, `"kind":"cong-van"`, `"issued_on":"2026-11-02"`, `"attachments":["` + pdf.ID + `"]`} {
		if !strings.Contains(string(got.body), s) {
			t.Errorf("saved document lacks %s: %s", s, got)
		}
	}
	if r := b.do(http.MethodGet, "/t/alpha/bai-viet/"+id+"/sua", nil); !strings.Contains(r.body, `value="45/SLĐTBXH-NCC"`) || !strings.Contains(r.body, `value="`+pdf.ID+`" checked`) {
		t.Errorf("the edit form does not show the stored document: %s", r)
	}
}

// TestMergeCarriesDocumentsAndQuestions: a merged tenant's documents keep
// their metadata and files, and its questions go to the new board.
func TestMergeCarriesDocumentsAndQuestions(t *testing.T) {
	w := newOAWorld(t)
	var pdf struct{ ID string }
	w.uploadFile("tbAlpha", "alpha", "ke-hoach-7.pdf", document.MinimalPDF("Ke hoach 7")).decode(t, &pdf)
	doc := w.publishDoc("tbAlpha", "alpha", "Kế hoạch thực hiện chính sách giảm nghèo",
		map[string]any{"number": "7/KH-TTA", "kind": "ke-hoach", "issuer": "Trung tâm Alpha"}, []string{pdf.ID}, "giam-ngheo")
	qid := askOnSite(t, w.a, "alpha", "Phạm Thị Dung", "dung@example.vn", "Hộ cận nghèo được hỗ trợ gì?")
	w.must(200, "admin", "POST", "/api/v1/tenants/alpha/merge", map[string]string{"into": "beta"})
	r := site(t, w, "beta", "/van-ban/"+doc.Slug)
	if r.status != 200 || !strings.Contains(r.body, "7/KH-TTA") || !strings.Contains(r.body, "/media/"+pdf.ID+"/") {
		t.Fatalf("the merged document on beta: %s", r)
	}
	if d := site(t, w, "beta", "/media/"+pdf.ID+"/ke-hoach-7.pdf"); d.status != 200 || d.header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the merged file on beta: %d %v", d.status, d.header)
	}
	q := w.must(200, "tbBeta", "GET", "/api/v1/tenants/beta/questions", nil)
	if !strings.Contains(string(q.body), qid) {
		t.Errorf("the merged question is not in beta's queue: %s", q)
	}
}

// TestDocumentSentToTheDepartment: a unit's document accepted by the
// Department's board keeps its metadata (its files stay in the unit's
// library).
func TestDocumentSentToTheDepartment(t *testing.T) {
	w := newOAWorld(t)
	doc := w.publishDoc("tbAlpha", "alpha", "Thông báo tuyển sinh lớp nghề may công nghiệp",
		map[string]any{"number": "21/TB-TTA", "kind": "thong-bao", "issuer": "Trung tâm Alpha", "issued_on": "2026-10-01"}, nil, "giao-duc-nghe-nghiep")
	var sub struct{ ID string }
	w.must(201, "tbAlpha", "POST", "/api/v1/tenants/alpha/posts/"+doc.ID+"/send", nil).decode(t, &sub)
	var acc struct {
		AcceptedPost struct{ ID, URL string } `json:"accepted_post"`
	}
	w.must(200, "tbSo", "POST", "/api/v1/tenants/so/inbox/"+sub.ID+"/accept", map[string]any{"publish": true, "note": ""}).decode(t, &acc)
	got := w.must(200, "tbSo", "GET", "/api/v1/tenants/so/posts/"+acc.AcceptedPost.ID, nil)
	if !strings.Contains(string(got.body), `"number":"21/TB-TTA"`) || !strings.Contains(string(got.body), `"status":"published"`) {
		t.Errorf("the accepted copy: %s", got)
	}
	if r := site(t, w, "so", "/van-ban"); !strings.Contains(r.body, "21/TB-TTA") {
		t.Errorf("the Department's /van-ban lacks the accepted document: %s", r)
	}
}
