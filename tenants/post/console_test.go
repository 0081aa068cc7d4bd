package post_test

// Items in the console, as a browser without JavaScript uses them, through
// the whole assembled app: a contributor writes and submits, an editor
// returns and approves from the review queue, the editor-in-chief
// publishes, and the public site shows the item. Also: live lint, the
// version conflict, revisions and their comparison, and tenant isolation.

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/templates"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
)

const (
	pwPassword = "Sông-Mã-chảy-về-xuôi-2024"
	pwSlugA    = "bv-hoa-mai"
	pwSlugB    = "bv-hoa-dao"
	pwNameA    = "Trung tâm Hoa Mai Thử Nghiệm"
	pwNameB    = "Trung tâm Hoa Đào Thử Nghiệm"
)

// pwWorld is a platform with two units and their boards.
type pwWorld struct {
	t        *testing.T
	bdb      *bun.DB
	a        *app.App
	tenants  map[string]*tenancy.Tenant
	accounts map[string]*account.Account
}

var pwPeople = []struct{ key, email, name, tenant, role string }{
	{"writer", "ctv.hoamai@example.vn", "Cộng Tác Viên Hoa Mai", pwSlugA, authz.RoleContributor},
	{"editor", "btv.hoamai@example.vn", "Biên Tập Viên Hoa Mai", pwSlugA, authz.RoleEditor},
	{"chief", "tb.hoamai@example.vn", "Trưởng Ban Hoa Mai", pwSlugA, authz.RoleEditorInChief},
	{"outsider", "ctv.hoadao@example.vn", "Cộng Tác Viên Hoa Đào", pwSlugB, authz.RoleContributor},
}

func newPWWorld(t *testing.T) *pwWorld {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	w := &pwWorld{t: t, bdb: dbtest.New(t), tenants: map[string]*tenancy.Tenant{}, accounts: map[string]*account.Account{}}
	p := app.NewProvisioner(cfg, w.bdb)
	for _, in := range []provision.Input{
		{Slug: "so-bv", Name: "Sở Thử Nghiệm Bài Viết", Kind: tenancy.KindDepartment},
		{Slug: pwSlugA, Name: pwNameA, Kind: tenancy.KindUnit, Parent: "so-bv"},
		{Slug: pwSlugB, Name: pwNameB, Kind: tenancy.KindUnit, Parent: "so-bv"},
	} {
		tn, err := p.Create(ctx, in)
		if err != nil {
			t.Fatalf("create %s: %v", in.Slug, err)
		}
		w.tenants[in.Slug] = tn
	}
	for _, pp := range pwPeople {
		acc, err := account.CreateWithParams(ctx, w.bdb, account.TestParams(), pp.email, pp.name, pwPassword)
		if err != nil {
			t.Fatalf("account %s: %v", pp.email, err)
		}
		w.accounts[pp.key] = acc
		if err := authz.GrantRole(ctx, w.bdb, acc.ID, w.tenants[pp.tenant].ID, pp.role); err != nil {
			t.Fatalf("grant %s: %v", pp.email, err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w.a, err = app.New(ctx, cfg, w.bdb, log, app.WithAccountOptions(account.WithParams(account.TestParams())))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	if err := w.a.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

// pwPage is one response.
type pwPage struct {
	status int
	header http.Header
	body   string
}

func (p pwPage) String() string {
	b := p.body
	if len(b) > 3000 {
		b = b[:3000] + "…"
	}
	return http.StatusText(p.status) + "\n" + b
}

// pwBrowser keeps cookies and the form token, like a browser without JS.
type pwBrowser struct {
	t    *testing.T
	a    *app.App
	host string
	jar  map[string]string
	tok  string
}

func (w *pwWorld) signIn(key string) *pwBrowser {
	w.t.Helper()
	b := &pwBrowser{t: w.t, a: w.a, host: "admin.localhost", jar: map[string]string{}}
	r := b.do(http.MethodPost, "/login", url.Values{"email": {w.accounts[key].Email}, "password": {pwPassword}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		w.t.Fatalf("login %s: %s", key, r)
	}
	return b
}

func (b *pwBrowser) do(method, path string, form url.Values, headers ...string) pwPage {
	b.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.Host = b.host
	req.RequestURI = ""
	for n, v := range b.jar {
		req.AddCookie(&http.Cookie{Name: n, Value: v})
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := b.a.HTTP.Test(req, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range res.Cookies() {
		if c.Value == "" || c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.jar, c.Name)
			continue
		}
		b.jar[c.Name] = c.Value
	}
	return pwPage{status: res.StatusCode, header: res.Header, body: string(body)}
}

var pwCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// get loads a page and remembers its form token.
func (b *pwBrowser) get(path string) pwPage {
	b.t.Helper()
	r := b.do(http.MethodGet, path, nil)
	if m := pwCSRF.FindStringSubmatch(r.body); m != nil {
		b.tok = m[1]
	}
	return r
}

// submit posts a form with the token of the last page loaded.
func (b *pwBrowser) submit(path string, form url.Values) pwPage {
	b.t.Helper()
	if b.tok == "" {
		b.get("/tai-khoan")
	}
	form.Set("_csrf", b.tok)
	return b.do(http.MethodPost, path, form)
}

// follow loads the page a form redirected to.
func (b *pwBrowser) follow(r pwPage) pwPage {
	b.t.Helper()
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("form did not redirect: %s", r)
	}
	return b.get(r.header.Get("Location"))
}

// step posts a workflow transition and wants it done.
func (b *pwBrowser) step(base string, form url.Values) pwPage {
	b.t.Helper()
	b.get(base)
	r := b.submit(base+"/chuyen", form)
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("transition %v: %s", form, r)
	}
	return b.follow(r)
}

func mustContain(t *testing.T, p pwPage, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Errorf("page does not show %q:\n%s", w, p)
		}
	}
}

func mustNotContain(t *testing.T, p pwPage, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(p.body, w) {
			t.Errorf("page shows %q:\n%s", w, p)
		}
	}
}

func (w *pwWorld) post(id string) *post.Post {
	w.t.Helper()
	p, err := post.Get(context.Background(), w.bdb, w.tenants[pwSlugA].ID, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

var pwVersion = regexp.MustCompile(`name="version" value="(\d+)"`)

func pwForm(title, summary, body string) url.Values {
	return url.Values{
		"title": {title}, "summary": {summary}, "body": {body}, "type": {"news"},
		"section": {post.DefaultSection}, "fields": {"lao-dong-viec-lam", "giao-duc-nghe-nghiep"},
		"event_date": {"2026-11-20"}, "byline": {"Minh Anh"},
	}
}

const (
	pwTitle   = "Hội nghị tổng kết công tác giải quyết việc làm năm 2026"
	pwSummary = "Sáng 20/11/2026, Trung tâm tổ chức hội nghị tổng kết công tác giải quyết việc làm."
	pwBody    = "<p>Hội nghị đánh giá kết quả tư vấn, giới thiệu việc làm cho hơn 3.000 lao động.</p>"
)

func TestPostWorkflowInConsole(t *testing.T) {
	w := newPWWorld(t)
	base := "/t/" + pwSlugA + "/bai-viet"
	writer, editor, chief := w.signIn("writer"), w.signIn("editor"), w.signIn("chief")

	// The contributor opens the form: plain fields, the editor script, the
	// token for the live check, the sector's fields as checkboxes.
	form := writer.get(base + "/moi")
	if form.status != http.StatusOK {
		t.Fatalf("form: %s", form)
	}
	mustContain(t, form, `<textarea id="post-body" name="body"`, `/static/editor.js?v=`, `<meta name="csrf" content="`,
		`name="fields" value="nguoi-co-cong"`, `data-lint-url="`+base+`/kiem-tra"`)
	mustNotContain(t, form, "onclick=", "<script>")

	// A draft without a summary saves, and its item page lists the finding.
	f := pwForm(pwTitle, "", pwBody+`<script>alert(1)</script>`)
	r := writer.submit(base+"/moi", f)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), base+"/") {
		t.Fatalf("create: %s", r)
	}
	item := r.header.Get("Location")
	id := strings.TrimPrefix(item, base+"/")
	page := writer.follow(r)
	mustContain(t, page, "Đã tạo bản nháp", pwTitle, "Bản nháp", "summary-missing", `value="submitted"`)
	mustNotContain(t, page, "alert(1)")
	if p := w.post(id); p.Status != post.StatusDraft || p.AuthorID != w.accounts["writer"].ID || len(p.Fields) != 2 || p.Byline != "Minh Anh" ||
		p.EventDate == nil || p.EventDate.Format("2006-01-02") != "2026-11-20" {
		t.Fatalf("stored draft: %+v", p)
	}
	// The date typed as ISO shows as dd/mm/yyyy in the form, whatever
	// language the browser speaks (a text field, not type=date).
	mustContain(t, writer.get(item+"/sua"), `id="post-date" name="event_date"`, `value="20/11/2026"`)

	t.Run("list and filters", func(t *testing.T) {
		list := writer.get(base)
		mustContain(t, list, pwTitle, "Bản nháp", "Viết bài mới", "Lao động – Việc làm", `class="lint-error"`)
		mustContain(t, writer.get(base+"?cua-toi=1&trang-thai=draft&linh-vuc=lao-dong-viec-lam&q=t%E1%BB%95ng+k%E1%BA%BFt"), pwTitle)
		mustNotContain(t, writer.get(base+"?trang-thai=published"), pwTitle)
		mustNotContain(t, editor.get(base+"?cua-toi=1"), pwTitle)
		mustNotContain(t, writer.get(base+"?linh-vuc=tre-em"), pwTitle)
	})

	t.Run("live lint answers JSON and saves nothing", func(t *testing.T) {
		writer.get(base + "/moi")
		check := url.Values{"title": {"TIÊU ĐỀ VIẾT HOA TOÀN BỘ"}, "summary": {""}, "body": {"<p>Hội nghị diễn ra sôi nổi , thành công.</p>"}}
		r := writer.do(http.MethodPost, base+"/kiem-tra", check, "X-CSRF-Token", writer.tok)
		if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), "json") {
			t.Fatalf("lint: %s", r)
		}
		var out struct {
			Findings []struct {
				Rule      string `json:"rule"`
				Severity  string `json:"severity"`
				PartLabel string `json:"part_label"`
			}
			Errors, Warnings int
		}
		if err := json.Unmarshal([]byte(r.body), &out); err != nil {
			t.Fatal(err)
		}
		if out.Errors < 2 || out.Warnings < 1 || len(out.Findings) != out.Errors+out.Warnings {
			t.Errorf("lint findings: %s", r.body)
		}
		if !strings.Contains(r.body, "title-all-caps") || !strings.Contains(r.body, `"part_label":"Tiêu đề"`) {
			t.Errorf("lint misses the all-caps title: %s", r.body)
		}
		if r := writer.do(http.MethodPost, base+"/kiem-tra", check); r.status != http.StatusForbidden {
			t.Errorf("lint without the CSRF header: %d", r.status)
		}
		ps, err := post.List(context.Background(), w.bdb, w.tenants[pwSlugA].ID, post.Filter{})
		if err != nil || len(ps) != 1 {
			t.Errorf("lint saved something: %d items, %v", len(ps), err)
		}
	})

	// Submitting with a presentation error is refused with the findings.
	r = writer.get(item)
	r = writer.submit(item+"/chuyen", url.Values{"to": {"submitted"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("submit with lint errors: %s", r)
	}
	mustContain(t, r, "Chưa gửi duyệt được", "summary-missing", "Sa-pô")

	// The contributor adds the summary through the edit form and submits.
	edit := writer.get(item + "/sua")
	m := pwVersion.FindStringSubmatch(edit.body)
	if m == nil {
		t.Fatalf("edit form without version: %s", edit)
	}
	mustContain(t, edit, pwTitle, "Hội nghị đánh giá kết quả")
	f = pwForm(pwTitle, pwSummary, pwBody)
	f.Set("version", m[1])
	writer.follow(writer.submit(item+"/sua", f))
	page = writer.step(item, url.Values{"to": {"submitted"}})
	mustContain(t, page, "Đã gửi bài cho Ban Biên tập duyệt", "Chờ duyệt")
	mustNotContain(t, page, `value="published"`, `value="approved"`)

	// The editor finds it in the queue with how long it has waited.
	_, err := w.bdb.NewUpdate().Table("post_transitions").Set("created_at = ?", time.Now().Add(-(51*time.Hour+10*time.Minute)).UTC()).
		Where("post_id = ? AND to_status = ?", id, post.StatusSubmitted).Exec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	queue := editor.get("/t/" + pwSlugA + "/cho-duyet")
	if queue.status != http.StatusOK {
		t.Fatalf("queue: %s", queue)
	}
	mustContain(t, queue, pwTitle, "chờ 2 ngày 3 giờ", "Cộng Tác Viên Hoa Mai")
	if r := writer.get("/t/" + pwSlugA + "/cho-duyet"); r.status != http.StatusForbidden {
		t.Errorf("contributor opens the review queue: %d", r.status)
	}

	// Returning needs a note: without one the page says so.
	editor.get(item)
	r = editor.submit(item+"/chuyen", url.Values{"to": {"returned"}, "note": {"  "}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("return without note: %s", r)
	}
	mustContain(t, r, `role="alert">Cần ghi rõ lý do trả lại`)
	if w.post(id).Status != post.StatusSubmitted {
		t.Fatal("returned without a note")
	}
	page = editor.step(item, url.Values{"to": {"returned"}, "note": {"Bổ sung số liệu cụ thể về lao động được giới thiệu việc làm."}})
	mustContain(t, page, "Đã trả lại bài", "Trả lại")

	// The contributor sees the note, edits and resubmits.
	page = writer.get(item)
	mustContain(t, page, "Bổ sung số liệu cụ thể", "Biên Tập Viên Hoa Mai", `href="`+item+`/sua"`)
	edit = writer.get(item + "/sua")
	m = pwVersion.FindStringSubmatch(edit.body)
	f = pwForm(pwTitle, pwSummary, pwBody+"<p>Trong đó có 1.250 lao động được giới thiệu việc làm tại doanh nghiệp.</p>")
	f.Set("version", m[1])
	writer.follow(writer.submit(item+"/sua", f))
	writer.step(item, url.Values{"to": {"submitted"}})

	// The editor approves; the contributor is offered no publishing.
	page = editor.step(item, url.Values{"to": {"approved"}})
	mustContain(t, page, "Đã duyệt bài", "Đã duyệt")
	mustNotContain(t, page, `value="published"`) // an editor does not publish either
	page = writer.get(item)
	mustNotContain(t, page, `value="published"`, `value="scheduled"`, `value="withdrawn"`, "Đăng ngay")
	r = writer.submit(item+"/chuyen", url.Values{"to": {"published"}})
	if r.status != http.StatusForbidden || w.post(id).Status != post.StatusApproved {
		t.Fatalf("contributor publishing: %s", r)
	}

	// The editor-in-chief sees publish and schedule, and publishes.
	page = chief.get(item)
	mustContain(t, page, `value="published"`, `id="wf-at" name="at"`, "dd/mm/yyyy HH:MM", "Đăng ngay")
	page = chief.step(item, url.Values{"to": {"published"}})
	mustContain(t, page, "Đã đăng bài lên trang", "Trưởng Ban Hoa Mai")
	p := w.post(id)
	if p.Status != post.StatusPublished {
		t.Fatalf("status %s after publishing", p.Status)
	}

	// The public site shows it; the other unit's site does not.
	pub := (&pwBrowser{t: t, a: w.a, host: pwSlugA + ".localhost", jar: map[string]string{}}).do(http.MethodGet, "/bai-viet/"+p.Slug, nil)
	if pub.status != http.StatusOK {
		t.Fatalf("public page: %s", pub)
	}
	mustContain(t, pub, pwTitle, "1.250 lao động")
	mustNotContain(t, pub, "alert(1)")
	other := (&pwBrowser{t: t, a: w.a, host: pwSlugB + ".localhost", jar: map[string]string{}}).do(http.MethodGet, "/bai-viet/"+p.Slug, nil)
	if other.status != http.StatusNotFound {
		t.Errorf("other unit's site: %d", other.status)
	}

	t.Run("history lists every step", func(t *testing.T) {
		page := writer.get(item)
		for _, s := range []string{"Bản nháp → Chờ duyệt", "Chờ duyệt → Trả lại", "Trả lại → Chờ duyệt", "Chờ duyệt → Đã duyệt", "Đã duyệt → Đã đăng"} {
			mustContain(t, page, s)
		}
	})

	t.Run("revisions compare word by word", func(t *testing.T) {
		page := writer.get(item + "/phien-ban")
		if page.status != http.StatusOK {
			t.Fatalf("revisions: %s", page)
		}
		mustContain(t, page, "Tạo mới", "Lưu", "<ins>", "Trong đó có 1.250 lao động")
		page = writer.get(item + "/phien-ban?a=1&b=2")
		mustContain(t, page, "<ins>Sáng 20/11/2026")
		if r := writer.get(item + "/phien-ban?a=1&b=99"); r.status != http.StatusNotFound {
			t.Errorf("comparing a missing revision: %d", r.status)
		}
	})

	t.Run("another tenant's contributor gets 404", func(t *testing.T) {
		out := w.signIn("outsider")
		for _, path := range []string{base, base + "/moi", item, item + "/sua", item + "/phien-ban", "/t/" + pwSlugA + "/cho-duyet"} {
			if r := out.get(path); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d", path, r.status)
			}
		}
		out.get("/t/" + pwSlugB + "/bai-viet")
		for _, path := range []string{item + "/chuyen", base + "/moi", base + "/kiem-tra", item + "/sua"} {
			if r := out.submit(path, url.Values{"to": {"withdrawn"}, "note": {"x"}, "title": {"x"}}); r.status != http.StatusNotFound {
				t.Errorf("POST %s: %d", path, r.status)
			}
		}
		if r := out.get("/t/" + pwSlugB + "/bai-viet"); r.status != http.StatusOK || strings.Contains(r.body, pwTitle) {
			t.Errorf("own tenant's list: %s", r)
		}
	})
}

func TestPostEditConflict(t *testing.T) {
	w := newPWWorld(t)
	base := "/t/" + pwSlugA + "/bai-viet"
	writer, editor := w.signIn("writer"), w.signIn("editor")
	writer.get(base + "/moi")
	r := writer.submit(base+"/moi", pwForm(pwTitle, pwSummary, pwBody))
	item := r.header.Get("Location")
	id := strings.TrimPrefix(item, base+"/")

	// Both open the form at version 1; the editor saves first.
	wEdit := writer.get(item + "/sua")
	mustContain(t, wEdit, `name="version" value="1"`)
	editor.get(item + "/sua")
	f := pwForm(pwTitle, pwSummary, "<p>Bản của biên tập viên, đã chuẩn hóa số liệu.</p>")
	f.Set("version", "1")
	editor.follow(editor.submit(item+"/sua", f))

	writer.tok = pwCSRF.FindStringSubmatch(wEdit.body)[1]
	f = pwForm(pwTitle, pwSummary, "<p>Bản của cộng tác viên viết lại đoạn mở đầu.</p>")
	f.Set("version", "1")
	r = writer.submit(item+"/sua", f)
	if r.status != http.StatusConflict {
		t.Fatalf("stale save: %s", r)
	}
	mustContain(t, r, "Xung đột phiên bản", "đã được người khác sửa", "bản lưu số 3",
		"Bản của biên tập viên, đã chuẩn hóa số liệu.", "Bản của cộng tác viên viết lại đoạn mở đầu.",
		`href="`+item+`/phien-ban"`, `href="`+item+`/phien-ban?a=2&amp;b=3"`, `name="version" value="2"`)
	if p := w.post(id); p.Version != 2 || !strings.Contains(p.Body, "biên tập viên") {
		t.Fatalf("stale save overwrote the item: v%d %q", p.Version, p.Body)
	}

	revs := writer.get(item + "/phien-ban?a=2&b=3")
	mustContain(t, revs, "Bản xung đột (chưa áp dụng)", "<del>", "<ins>")

	// Restoring the writer's kept text is a deliberate new version; a
	// contributor may not once an editor... here the draft is still theirs.
	r = writer.submit(item+"/phien-ban/3/khoi-phuc", url.Values{})
	page := writer.follow(r)
	mustContain(t, page, "Đã khôi phục nội dung của bản lưu số 3 thành phiên bản 3")
	if p := w.post(id); p.Version != 3 || !strings.Contains(p.Body, "cộng tác viên") {
		t.Fatalf("restore: v%d %q", p.Version, p.Body)
	}
}

func TestPostTemplatesParse(t *testing.T) {
	r, err := web.NewRenderer(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"console/posts": false, "console/post_edit": false, "console/post_view": false, "console/review": false, "console/revisions": false}
	for _, p := range r.Pages() {
		if _, ok := want[p]; ok {
			want[p] = true
		}
	}
	for p, ok := range want {
		if !ok {
			t.Errorf("template %s not parsed", p)
		}
	}
	if r.StaticHash("editor.js") == "" {
		t.Error("static/editor.js is not served")
	}
}

func TestPostPublishingSteps(t *testing.T) {
	w := newPWWorld(t)
	base := "/t/" + pwSlugA + "/bai-viet"
	writer, chief := w.signIn("writer"), w.signIn("chief")
	vn := time.FixedZone("ICT", 7*3600)

	// The editor-in-chief writes, submits and approves an own item (allowed
	// for the chief unless the tenant asks for a second reviewer).
	chief.get(base + "/moi")
	item := chief.submit(base+"/moi", pwForm(pwTitle, pwSummary, pwBody)).header.Get("Location")
	id := strings.TrimPrefix(item, base+"/")
	chief.step(item, url.Values{"to": {"submitted"}})
	chief.step(item, url.Values{"to": {"approved"}})

	// Scheduling reads the time typed (dd/mm/yyyy HH:MM) as Vietnam time,
	// and shows it so again.
	at := time.Now().In(vn).Add(48 * time.Hour).Truncate(time.Minute)
	page := chief.step(item, url.Values{"to": {"scheduled"}, "at": {at.Format("02/01/2006 15:04")}})
	mustContain(t, page, "Đã hẹn giờ đăng bài lúc "+at.Format("15:04 02/01/2006"), "Hẹn giờ đăng", `value="`+at.Format("02/01/2006 15:04")+`"`)
	if p := w.post(id); p.Status != post.StatusScheduled || p.ScheduledAt == nil || !p.ScheduledAt.Equal(at) {
		t.Fatalf("scheduled: %s at %v, want %v", p.Status, p.ScheduledAt, at)
	}
	chief.get(item)
	if r := chief.submit(item+"/chuyen", url.Values{"to": {"scheduled"}, "at": {"2020-01-01T08:00"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("schedule in the past: %s", r)
	}

	// Publishing now, then withdrawing: the reason is required.
	chief.step(item, url.Values{"to": {"published"}})
	chief.get(item)
	r := chief.submit(item+"/chuyen", url.Values{"to": {"withdrawn"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("withdraw without a reason: %s", r)
	}
	mustContain(t, r, `role="alert">Cần ghi rõ lý do gỡ bài`)
	page = chief.step(item, url.Values{"to": {"withdrawn"}, "note": {"Số liệu cần được Sở xác nhận lại."}})
	mustContain(t, page, "Số liệu cần được Sở xác nhận lại.", `value="unpublished"`, `value="draft"`)
	if p := w.post(id); p.Status != post.StatusWithdrawn || p.WithdrawReason == "" {
		t.Fatalf("withdrawn: %s %q", p.Status, p.WithdrawReason)
	}

	// Force-publishing a contributor's draft needs a reason and leaves the
	// item flagged until an editor approves it.
	writer.get(base + "/moi")
	draft := writer.submit(base+"/moi", pwForm("Tập huấn an toàn lao động cho 120 công nhân", pwSummary, pwBody)).header.Get("Location")
	draftID := strings.TrimPrefix(draft, base+"/")
	mustNotContain(t, writer.get(draft), `name="force"`)
	page = chief.get(draft)
	mustContain(t, page, `name="force" value="1"`)
	r = chief.submit(draft+"/chuyen", url.Values{"to": {"published"}, "force": {"1"}})
	if r.status != http.StatusUnprocessableEntity || w.post(draftID).Status != post.StatusDraft {
		t.Fatalf("force-publish without a reason: %s", r)
	}
	page = chief.step(draft, url.Values{"to": {"published"}, "force": {"1"}, "note": {"Tin thời sự cần đăng ngay."}})
	mustContain(t, page, "Chưa được duyệt", "Tin thời sự cần đăng ngay.")
	// Whoever forced it is not the one who clears the mark.
	mustNotContain(t, page, `value="approved"`)
	if r := chief.submit(draft+"/chuyen", url.Values{"to": {"approved"}}); r.status != http.StatusForbidden {
		t.Errorf("the force-publisher approving: %s", r)
	}
	mustContain(t, chief.get(base+"?trang-thai=published"), "Tập huấn an toàn lao động", "Chưa được duyệt")
	editor := w.signIn("editor")
	mustContain(t, editor.get(draft), `value="approved"`)
	page = editor.step(draft, url.Values{"to": {"approved"}})
	mustNotContain(t, page, "Chưa được duyệt")
}

// TestPostEditionInConsole: an editor's change to a published item waits
// as an edition, shown apart from the live text, and reaches the site only
// when someone else approves it and the chief publishes it.
func TestPostEditionInConsole(t *testing.T) {
	w := newPWWorld(t)
	base := "/t/" + pwSlugA + "/bai-viet"
	editor, chief := w.signIn("editor"), w.signIn("chief")
	chief.get(base + "/moi")
	item := chief.submit(base+"/moi", pwForm(pwTitle, pwSummary, pwBody)).header.Get("Location")
	id := strings.TrimPrefix(item, base+"/")
	chief.step(item, url.Values{"to": {"submitted"}})
	editor.step(item, url.Values{"to": {"approved"}})
	chief.step(item, url.Values{"to": {"published"}})
	public := func() pwPage {
		return (&pwBrowser{t: t, a: w.a, host: pwSlugA + ".localhost", jar: map[string]string{}}).get("/bai-viet/" + w.post(id).Slug)
	}
	const newBody = "Hội nghị đánh giá kết quả tư vấn cho hơn 3.500 lao động (số liệu đã cập nhật)."

	form := editor.get(item + "/sua")
	mustContain(t, form, "Nội dung bạn lưu ở đây là <strong>bản sửa</strong>")
	f := pwForm(pwTitle, pwSummary, "<p>"+newBody+"</p>")
	f.Set("version", pwVersion.FindStringSubmatch(form.body)[1])
	page := editor.follow(editor.submit(item+"/sua", f))
	mustContain(t, page, "Đã lưu bản sửa", "Bản sửa chờ đăng – Bản nháp", "chưa hiển thị cho người đọc",
		"Bản đang đăng trên trang", newBody, "Hội nghị đánh giá kết quả tư vấn, giới thiệu việc làm cho hơn 3.000 lao động.")
	if strings.Contains(public().body, "3.500") {
		t.Fatal("the edition is on the public page")
	}
	// The editor submits it but may not approve what they wrote, nor publish.
	page = editor.step(item, url.Values{"to": {"submitted"}})
	mustContain(t, page, "Bản sửa chờ đăng – Chờ duyệt")
	mustNotContain(t, page, `value="approved"`, `Đăng bản sửa (thay bản đang đăng)`)
	mustContain(t, chief.get("/t/"+pwSlugA+"/cho-duyet"), "bản sửa của bài đang đăng")
	page = chief.step(item, url.Values{"to": {"approved"}})
	mustContain(t, page, "Đã duyệt bản sửa", "Đăng bản sửa (thay bản đang đăng)")
	// The approved edition waits for publication on the queue of whoever
	// may publish, not on the editor's.
	queue := chief.get("/t/" + pwSlugA + "/cho-duyet")
	mustContain(t, queue, `<h2 id="cho-dang">Đã duyệt, chờ đăng</h2>`, `<a href="`+item+`">`+pwTitle+`</a> <span class="muted">(bản sửa của bài đang đăng)</span>`)
	mustNotContain(t, queue, "Không có bài nào đã duyệt đang chờ đăng")
	mustNotContain(t, editor.get("/t/"+pwSlugA+"/cho-duyet"), "Đã duyệt, chờ đăng", pwTitle)
	page = chief.step(item, url.Values{"to": {"published"}, "ban-sua": {"1"}})
	mustContain(t, page, "Đã đăng bản sửa")
	mustNotContain(t, page, "Bản sửa chờ đăng")
	if !strings.Contains(public().body, "3.500") {
		t.Error("the published edition is not on the public page")
	}

	// A second edition, discarded: the live text stays.
	form = editor.get(item + "/sua")
	f = pwForm(pwTitle, pwSummary, "<p>Bản sửa sẽ bị hủy.</p>")
	f.Set("version", pwVersion.FindStringSubmatch(form.body)[1])
	editor.follow(editor.submit(item+"/sua", f))
	editor.get(item)
	page = editor.follow(editor.submit(item+"/ban-sua/huy", url.Values{}))
	mustContain(t, page, "Đã hủy bản sửa")
	mustNotContain(t, page, "Bản sửa sẽ bị hủy.")
	if p := w.post(id); !strings.Contains(p.Body, "3.500") {
		t.Errorf("live text after the discard: %q", p.Body)
	}
}
