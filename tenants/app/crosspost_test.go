package app_test

// Cross-posting through the real HTTP stack: a unit sends an item, the
// Department's board accepts it onto its site with the source shown,
// returns and refuses; withdrawals follow; republished press items stay
// locked on every route; and no tenant sees or decides another's
// submissions.

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
)

// xpWorld: the department "so", units "alpha" (alpha.gov.vn) and "beta",
// and "con", a unit of alpha. People: the editor-in-chief of each, and an
// editor of so (reads the inbox, decides nothing).
type xpWorld struct {
	t       *testing.T
	a       *app.App
	tenants map[string]*tenancy.Tenant
	tokens  map[string]string
	emails  map[string]string
}

func newXPWorld(t *testing.T) *xpWorld {
	t.Helper()
	var people []apptest.Person
	for _, pp := range []struct{ key, tenant, role string }{
		{"tbSo", "so", authz.RoleEditorInChief}, {"btvSo", "so", authz.RoleEditor},
		{"tbAlpha", "alpha", authz.RoleEditorInChief}, {"tbBeta", "beta", authz.RoleEditorInChief}, {"tbCon", "con", authz.RoleEditorInChief},
	} {
		people = append(people, apptest.Person{Key: pp.key, Email: strings.ToLower(pp.key) + "@xp.gov.vn", Name: "Người " + pp.key, Tenant: pp.tenant, Role: pp.role})
	}
	world := apptest.New(t, apptest.Options{
		Org: []provision.Input{
			{Slug: "so", Name: nameDept, Kind: tenancy.KindDepartment},
			{Slug: "alpha", Name: nameAlpha, Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"alpha.gov.vn"}},
			{Slug: "beta", Name: nameBeta, Kind: tenancy.KindUnit, Parent: "so"},
			{Slug: "con", Name: "Cơ sở Con Alpha", Kind: tenancy.KindUnit, Parent: "alpha"},
		},
		People: people,
		Log:    slog.New(slog.NewTextHandler(xpLog{t}, nil)),
	})
	w := &xpWorld{t: t, a: world.App, tenants: world.Tenants, tokens: world.Tokens("xp"), emails: map[string]string{}}
	for key, acc := range world.Accounts {
		w.emails[key] = acc.Email
	}
	return w
}

// xpLog shows the platform's log with a failing test's output.
type xpLog struct{ t *testing.T }

func (l xpLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// call sends a JSON request to the API as a person and decodes the answer.
func (w *xpWorld) call(who, method, path string, body any, out any) int {
	w.t.Helper()
	var r *http.Request
	if body != nil {
		b, _ := json.Marshal(body)
		r = httptest.NewRequest(method, "/api/v1"+path, strings.NewReader(string(b)))
		r.Header.Set("Content-Type", "application/json")
	} else {
		r = httptest.NewRequest(method, "/api/v1"+path, nil)
	}
	r.Host, r.RequestURI = "admin.localhost", ""
	r.Header.Set("Authorization", "Bearer "+w.tokens[who])
	res, err := w.a.HTTP.Test(r, -1)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil {
		_ = json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

// must is call that fails the test on another status.
func (w *xpWorld) must(want int, who, method, path string, body any, out any) {
	w.t.Helper()
	var raw json.RawMessage
	if got := w.call(who, method, path, body, &raw); got != want {
		w.t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, who, got, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			w.t.Fatal(err)
		}
	}
}

type xpItem struct {
	ID, Slug, Title, Status, URL string
	Version                      int
}

type xpSub struct {
	ID, State, Origin, Note string
	DecisionNote            string `json:"decision_note"`
	From                    struct{ Slug, Name string }
	Post                    struct{ ID, Title string }
	AcceptedPost            *struct{ ID, URL string } `json:"accepted_post"`
	History                 []struct{ Kind string }
}

type xpList struct{ Items []xpSub }

// publishedItem writes and publishes an item as the tenant's editor-in-chief.
func (w *xpWorld) publishedItem(who, slug, title string) xpItem {
	w.t.Helper()
	var it xpItem
	w.must(201, who, "POST", "/tenants/"+slug+"/posts", map[string]any{"title": title, "summary": "Sa-pô của bài.",
		"body": "<p>Nội dung bài viết về công tác trẻ em của đơn vị.</p>", "fields": []string{"tre-em"}}, &it)
	for _, to := range []string{"submitted", "approved", "published"} {
		w.must(200, who, "POST", "/tenants/"+slug+"/posts/"+it.ID+"/transitions", map[string]string{"to": to}, &it)
	}
	return it
}

func (w *xpWorld) page(host, path string) response {
	w.t.Helper()
	return get(w.t, w.a, host, path)
}

func TestCrosspostFlowThroughAPI(t *testing.T) {
	w := newXPWorld(t)
	orig := w.publishedItem("tbAlpha", "alpha", "Ngày hội việc làm cho thanh niên")
	var sub xpSub
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts/"+orig.ID+"/send", map[string]string{"note": "Kính gửi"}, &sub)
	if sub.State != "sent" || sub.Origin != "sent" || sub.From.Slug != "alpha" || sub.Post.Title != orig.Title {
		t.Fatalf("sent %+v", sub)
	}
	var inbox xpList
	w.must(200, "tbSo", "GET", "/tenants/so/inbox", nil, &inbox)
	if len(inbox.Items) != 1 || inbox.Items[0].ID != sub.ID || inbox.Items[0].From.Name != nameAlpha {
		t.Fatalf("inbox %+v", inbox)
	}
	w.must(200, "tbSo", "POST", "/tenants/so/inbox/"+sub.ID+"/accept", map[string]any{"publish": true, "note": "Tốt"}, &sub)
	if sub.State != "accepted" || sub.AcceptedPost == nil || !strings.Contains(sub.AcceptedPost.URL, "so.localhost/bai-viet/") {
		t.Fatalf("accepted %+v", sub)
	}
	// The Department's site shows the copy with its source; the link leads
	// to the original, which the unit's site still shows.
	copyPath := sub.AcceptedPost.URL[strings.Index(sub.AcceptedPost.URL, "/bai-viet/"):]
	r := w.page("so.localhost", copyPath)
	if r.status != 200 || !strings.Contains(r.body, orig.Title) || !regexp.MustCompile(`Nguồn: <a href="/nguon/[^"]+">`+nameAlpha).MatchString(r.body) {
		t.Fatalf("copy page %d:\n%s", r.status, r.body)
	}
	r = w.page("so.localhost", "/nguon/"+strings.TrimPrefix(copyPath, "/bai-viet/"))
	if r.status != http.StatusFound || r.header.Get("Location") != "http://alpha.gov.vn/bai-viet/"+orig.Slug {
		t.Errorf("link to the original: %d %q", r.status, r.header.Get("Location"))
	}
	if r := w.page("alpha.gov.vn", "/bai-viet/"+orig.Slug); r.status != 200 || !strings.Contains(r.body, orig.Title) {
		t.Errorf("the unit's page: %d", r.status)
	}
	var out xpList
	w.must(200, "tbAlpha", "GET", "/tenants/alpha/submissions", nil, &out)
	if len(out.Items) != 1 || out.Items[0].State != "accepted" {
		t.Errorf("the unit sees %+v", out)
	}
	// Withdrawing the original withdraws the copy in the same request.
	w.must(200, "tbAlpha", "POST", "/tenants/alpha/posts/"+orig.ID+"/transitions", map[string]string{"to": "withdrawn", "note": "Sai số liệu"}, nil)
	if r := w.page("so.localhost", copyPath); r.status != 200 || !strings.Contains(r.body, "Bài gốc đã bị gỡ bởi đơn vị gửi") {
		t.Errorf("copy after the withdrawal %d:\n%s", r.status, r.body)
	}
	// The console pages of both sides.
	so := w.browser("tbSo")
	for _, path := range []string{"/t/so/hop-thu", "/t/so/hop-thu/" + sub.ID, "/t/so/lay-bai", "/t/so/thoa-thuan", "/t/so/bai-viet/" + sub.AcceptedPost.ID + "/bai-goc"} {
		if r := so.get(path); r.status != 200 || !strings.Contains(r.body, "Hộp thư đến") {
			t.Errorf("%s: %d\n%s", path, r.status, r.body)
		}
	}
	if r := w.browser("tbAlpha").get("/t/alpha/da-gui"); r.status != 200 || !strings.Contains(r.body, orig.Title) {
		t.Errorf("sent page: %d", r.status)
	}
}

func TestCrosspostReturnResendAccept(t *testing.T) {
	w := newXPWorld(t)
	orig := w.publishedItem("tbAlpha", "alpha", "Tập huấn an toàn lao động")
	var sub xpSub
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts/"+orig.ID+"/send", nil, &sub)
	w.must(400, "tbSo", "POST", "/tenants/so/inbox/"+sub.ID+"/return", map[string]string{"note": ""}, nil)
	w.must(200, "tbSo", "POST", "/tenants/so/inbox/"+sub.ID+"/return", map[string]string{"note": "Thêm ảnh"}, nil)
	var out xpList
	w.must(200, "tbAlpha", "GET", "/tenants/alpha/submissions", nil, &out)
	if out.Items[0].State != "returned" || out.Items[0].DecisionNote != "Thêm ảnh" {
		t.Fatalf("the unit sees %+v", out.Items[0])
	}
	w.must(200, "tbAlpha", "PATCH", "/tenants/alpha/posts/"+orig.ID, map[string]any{"version": orig.Version,
		"body": "<p>Nội dung đã bổ sung số liệu về công tác trẻ em.</p>"}, nil)
	var again xpSub
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts/"+orig.ID+"/send", map[string]string{"note": "Đã sửa"}, &again)
	w.must(200, "tbSo", "POST", "/tenants/so/inbox/"+sub.ID+"/accept", map[string]any{"publish": false}, nil)
	var one xpSub
	w.must(200, "tbSo", "GET", "/tenants/so/inbox/"+sub.ID, nil, &one)
	var kinds []string
	for _, e := range one.History {
		kinds = append(kinds, e.Kind)
	}
	if again.ID != sub.ID || strings.Join(kinds, ",") != "sent,returned,resent,accepted" {
		t.Errorf("re-send %s vs %s, history %v", again.ID, sub.ID, kinds)
	}
	w.must(400, "tbSo", "POST", "/tenants/so/inbox/"+sub.ID+"/refuse", map[string]string{"reason": "quality"}, nil)
	w.must(409, "tbSo", "POST", "/tenants/so/inbox/"+sub.ID+"/refuse", map[string]string{"reason": "quality", "note": "x"}, nil)
}

func TestCrosspostIsolation(t *testing.T) {
	w := newXPWorld(t)
	var sub xpSub
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts/"+w.publishedItem("tbAlpha", "alpha", "Tin riêng của Alpha").ID+"/send", nil, &sub)
	for _, tt := range []struct {
		who, method, path string
		want              int
	}{
		{"tbBeta", "GET", "/tenants/alpha/submissions", 404},
		{"tbBeta", "GET", "/tenants/so/inbox", 404},
		{"tbBeta", "GET", "/tenants/so/inbox/" + sub.ID, 404},
		{"tbBeta", "POST", "/tenants/so/inbox/" + sub.ID + "/accept", 404},
		{"tbBeta", "POST", "/tenants/beta/inbox/" + sub.ID + "/accept", 404},
		{"tbBeta", "GET", "/tenants/beta/inbox/" + sub.ID, 404},
		{"tbAlpha", "POST", "/tenants/so/inbox/" + sub.ID + "/accept", 404},
		{"tbAlpha", "POST", "/tenants/alpha/inbox/" + sub.ID + "/accept", 404},
		{"btvSo", "POST", "/tenants/so/inbox/" + sub.ID + "/accept", 403},
		{"btvSo", "POST", "/tenants/so/pull", 403},
		{"tbSo", "POST", "/tenants/so/posts/x/send", 422},
	} {
		if got := w.call(tt.who, tt.method, tt.path, map[string]any{}, nil); got != tt.want {
			t.Errorf("%s %s as %s: %d, want %d", tt.method, tt.path, tt.who, got, tt.want)
		}
	}
	var list xpList
	w.must(200, "tbBeta", "GET", "/tenants/beta/submissions", nil, &list)
	w.must(200, "btvSo", "GET", "/tenants/so/inbox", nil, &list)
	if len(list.Items) != 1 {
		t.Errorf("so's editor sees %d submissions", len(list.Items))
	}
	// A grandchild sends to its own parent; the grandparent does not see it.
	w.must(201, "tbCon", "POST", "/tenants/con/posts/"+w.publishedItem("tbCon", "con", "Tin của cơ sở con").ID+"/send", nil, &sub)
	w.must(200, "tbSo", "GET", "/tenants/so/inbox", nil, &list)
	for _, s := range list.Items {
		if s.From.Slug == "con" {
			t.Error("the grandparent's inbox shows a grandchild's submission")
		}
	}
	w.must(200, "tbAlpha", "GET", "/tenants/alpha/inbox", nil, &list)
	if len(list.Items) != 1 || list.Items[0].From.Slug != "con" {
		t.Errorf("alpha's inbox %+v", list.Items)
	}
}

func TestRepublishedLockedOnEveryRoute(t *testing.T) {
	w := newXPWorld(t)
	var ag struct{ ID string }
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/agreements", map[string]string{"outlet": "Báo Lao Động", "reference": "12/TT-LĐ",
		"signed_on": "2024-01-15", "scope": "Tin bài về lao động, việc làm"}, &ag)
	w.must(403, "btvSo", "POST", "/tenants/so/agreements", map[string]string{"outlet": "x"}, nil)
	item := map[string]any{"title": "Tăng lương tối thiểu vùng", "summary": "Từ 1/7, lương tối thiểu vùng tăng 6%.",
		"body": "<p>Chính phủ quyết định tăng lương tối thiểu vùng cho người lao động.</p>", "type": "republished", "fields": []string{"tien-luong-bhxh"},
		"source": map[string]string{"outlet": "Báo Lao Động", "url": "https://laodong.vn/tang-luong.ldo", "author": "Hà Anh",
			"published_at": time.Now().Add(-2 * time.Hour).Format(time.RFC3339), "agreement": ag.ID}}
	var it xpItem
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts", item, &it)
	for field, value := range map[string]string{"title": "Tiêu đề khác", "summary": "Sa-pô khác", "body": "<p>Cắt bớt.</p>"} {
		var e struct{ Error struct{ Code string } }
		if got := w.call("tbAlpha", "PATCH", "/tenants/alpha/posts/"+it.ID, map[string]any{"version": it.Version, field: value}, &e); got != 422 || e.Error.Code != "republished_locked" {
			t.Errorf("PATCH %s: %d %s", field, got, e.Error.Code)
		}
	}
	w.must(200, "tbAlpha", "PATCH", "/tenants/alpha/posts/"+it.ID, map[string]any{"version": it.Version, "fields": []string{"tien-luong-bhxh", "lao-dong-viec-lam"}}, &it)
	// The console's edit form.
	b := w.browser("tbAlpha")
	r := b.post("/t/alpha/bai-viet/"+it.ID+"/sua", url.Values{"title": {"Tiêu đề sửa trong trang quản trị"}, "summary": {"x"},
		"body": {"<p>x</p>"}, "type": {"republished"}, "version": {strconv.Itoa(it.Version)}, "fields": {"tien-luong-bhxh"}})
	if r.status != 422 {
		t.Errorf("console edit form: %d", r.status)
	}
	// Restoring a revision (even one with other text) cannot change it.
	ctx := context.Background()
	if _, err := w.a.DB.NewInsert().Model(&post.Revision{TenantID: w.tenants["alpha"].ID, PostID: it.ID, Number: 50, Kind: "save",
		Title: "Bản cũ khác", Body: "<p>Khác</p>", Type: post.TypeRepublished, CreatedAt: time.Now()}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	b.post("/t/alpha/bai-viet/"+it.ID+"/phien-ban/50/khoi-phuc", url.Values{})
	var now xpItem
	w.must(200, "tbAlpha", "GET", "/tenants/alpha/posts/"+it.ID, nil, &now)
	if now.Title != "Tăng lương tối thiểu vùng" {
		t.Errorf("title became %q", now.Title)
	}
	// An expired agreement: the item cannot be published.
	for _, to := range []string{"submitted", "approved"} {
		w.must(200, "tbAlpha", "POST", "/tenants/alpha/posts/"+it.ID+"/transitions", map[string]string{"to": to}, nil)
	}
	if _, err := w.a.DB.NewUpdate().Model((*post.Agreement)(nil)).Set("expires_on = ?", post.Day(time.Now().AddDate(0, 0, -2))).
		Where("tenant_id = ? AND id = ?", w.tenants["alpha"].ID, ag.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	if got := w.call("tbAlpha", "POST", "/tenants/alpha/posts/"+it.ID+"/transitions", map[string]string{"to": "published"}, &e); got != 422 || e.Error.Code != "agreement_expired" {
		t.Errorf("publish with an expired agreement: %d %+v", got, e)
	}
	if got := w.call("tbAlpha", "POST", "/tenants/alpha/posts", item, &e); got != 422 || e.Error.Code != "agreement_expired" {
		t.Errorf("create citing an expired agreement: %d %+v", got, e)
	}
}

// xpBrowser is a signed-in console session.
type xpBrowser struct {
	w   *xpWorld
	jar map[string]string
}

func (w *xpWorld) browser(who string) *xpBrowser {
	w.t.Helper()
	b := &xpBrowser{w: w, jar: map[string]string{}}
	if r := b.do("POST", "/login", url.Values{"email": {w.emails[who]}, "password": {apptest.Password}}); r.status != http.StatusSeeOther {
		w.t.Fatalf("login %s: %d %s", who, r.status, r.body)
	}
	return b
}

func (b *xpBrowser) get(path string) response { return b.do("GET", path, nil) }

var xpCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (b *xpBrowser) post(path string, form url.Values) response {
	m := xpCSRF.FindStringSubmatch(b.get("/tai-khoan").body)
	if m == nil {
		b.w.t.Fatal("no CSRF token")
	}
	form.Set("_csrf", m[1])
	return b.do("POST", path, form)
}

func (b *xpBrowser) do(method, path string, form url.Values) response {
	b.w.t.Helper()
	r := httptest.NewRequest(method, path, nil)
	if form != nil {
		r = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.Host, r.RequestURI = "admin.localhost", ""
	for k, v := range b.jar {
		r.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := b.w.a.HTTP.Test(r, -1)
	if err != nil {
		b.w.t.Fatal(err)
	}
	defer res.Body.Close()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.jar, c.Name)
		} else {
			b.jar[c.Name] = c.Value
		}
	}
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return response{status: res.StatusCode, header: res.Header, body: sb.String()}
}

func TestCrosspostConsole(t *testing.T) {
	w := newXPWorld(t)
	alpha, so := w.browser("tbAlpha"), w.browser("tbSo")
	first := w.publishedItem("tbAlpha", "alpha", "Tin gửi từ trang quản trị")
	second := w.publishedItem("tbAlpha", "alpha", "Tin để Sở tự lấy")
	if r := alpha.get("/t/alpha/da-gui"); r.status != 200 || !strings.Contains(r.body, "Gửi Ban Biên tập Sở") || !strings.Contains(r.body, first.Title) {
		t.Fatalf("sent page %d:\n%s", r.status, r.body)
	}
	if r := alpha.post("/t/alpha/bai-viet/"+first.ID+"/gui-so", url.Values{"note": {"Kính gửi"}}); r.status != http.StatusSeeOther {
		t.Fatalf("send form: %d", r.status)
	}
	var inbox xpList
	w.must(200, "tbSo", "GET", "/tenants/so/inbox?sender=alpha&state=sent", nil, &inbox)
	if len(inbox.Items) != 1 {
		t.Fatalf("inbox %+v", inbox)
	}
	if r := so.get("/t/so/hop-thu?sender=alpha"); r.status != 200 || !strings.Contains(r.body, first.Title) || !strings.Contains(r.body, nameAlpha) {
		t.Errorf("inbox page %d", r.status)
	}
	// The week is chosen among named weeks; this week holds the item, the
	// week before does not.
	y, wk := time.Now().In(vntext.Location()).ISOWeek()
	thisWeek := fmt.Sprintf("%04d-W%02d", y, wk)
	if r := so.get("/t/so/hop-thu?week=" + thisWeek); !strings.Contains(r.body, `<option value="`+thisWeek+`" selected>Tuần `) ||
		!strings.Contains(r.body, "— tuần này</option>") || !strings.Contains(r.body, first.Title) {
		t.Errorf("the inbox filtered by this week:\n%s", r.body)
	}
	// An item the unit published before anyone reviewed it says so to the
	// Department, in the inbox, on the submission and in the pull list.
	var rushed xpItem
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts", map[string]any{"title": "Thông báo khẩn tạm dừng lớp học", "summary": "Sa-pô của bài.",
		"body": "<p>Các lớp học tạm dừng vì bão.</p>", "fields": []string{"tre-em"}}, &rushed)
	w.must(200, "tbAlpha", "POST", "/tenants/alpha/posts/"+rushed.ID+"/transitions", map[string]any{"to": "published", "force": true, "note": "Bão đổ bộ"}, &rushed)
	if r := so.get("/t/so/lay-bai?tenant=alpha"); !strings.Contains(r.body, "Thông báo khẩn tạm dừng lớp học <span class=\"state missed\">Đơn vị đăng khi chưa duyệt</span>") {
		t.Errorf("the pull list does not mark the unreviewed item:\n%s", r.body)
	}
	var rushedSub xpSub
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts/"+rushed.ID+"/send", nil, &rushedSub)
	if r := so.get("/t/so/hop-thu"); !strings.Contains(r.body, "Thông báo khẩn tạm dừng lớp học</a> <span class=\"state missed\">Đơn vị đăng khi chưa duyệt</span>") {
		t.Errorf("the inbox does not mark the unreviewed item:\n%s", r.body)
	}
	if r := so.get("/t/so/hop-thu/" + rushedSub.ID); !strings.Contains(r.body, "Đơn vị đã đăng bài này khi chưa được duyệt (lý do: Bão đổ bộ)") {
		t.Errorf("the submission does not say the item was not reviewed:\n%s", r.body)
	}
	py, pw := time.Now().In(vntext.Location()).AddDate(0, 0, -7).ISOWeek()
	if r := so.get(fmt.Sprintf("/t/so/hop-thu?week=%04d-W%02d", py, pw)); strings.Contains(r.body, first.Title) {
		t.Errorf("the inbox filtered by last week lists this week's item")
	}
	r := so.post("/t/so/hop-thu/"+inbox.Items[0].ID+"/nhan", url.Values{"publish": {"1"}})
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "/t/so/bai-viet/") {
		t.Fatalf("accept form: %d %q", r.status, r.header.Get("Location"))
	}
	// The copy's page names the unit it came from; the Department's
	// editor who took it in is not its author.
	if cp := so.get(r.header.Get("Location")); !strings.Contains(cp.body, "<dt>Nguồn</dt><dd>"+nameAlpha) || !strings.Contains(cp.body, "Người nhận bài về") ||
		strings.Contains(cp.body, "<dt>Tác giả</dt>") {
		t.Errorf("the copy's console page:\n%s", cp.body)
	}
	if r := so.get("/t/so/lay-bai?q=" + url.QueryEscape("tự lấy")); r.status != 200 || !strings.Contains(r.body, second.Title) {
		t.Errorf("pull page %d", r.status)
	}
	if r := so.post("/t/so/lay-bai", url.Values{"tenant": {"alpha"}, "post": {second.ID}}); r.status != http.StatusSeeOther {
		t.Errorf("pull form: %d", r.status)
	}
	if r := so.post("/t/so/thoa-thuan", url.Values{"outlet": {"Báo Dân Trí"}, "reference": {"5/TT"}, "signed_on": {"01/02/2025"}}); r.status != http.StatusSeeOther {
		t.Errorf("agreement form: %d", r.status)
	}
	if r := so.get("/t/so/thoa-thuan"); !strings.Contains(r.body, "Báo Dân Trí") || !strings.Contains(r.body, "Còn hiệu lực") {
		t.Errorf("register page:\n%s", r.body)
	}
	r = alpha.get("/t/alpha/da-gui")
	if !strings.Contains(r.body, "Đã nhận") || !strings.Contains(r.body, "http://so.localhost/bai-viet/") || !strings.Contains(r.body, "cấp trên lấy về") {
		t.Errorf("the unit's sent page does not show where its items live:\n%s", r.body)
	}
	// A returned item: the note reaches the unit's page.
	third := w.publishedItem("tbAlpha", "alpha", "Tin bị trả lại")
	var sub xpSub
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts/"+third.ID+"/send", nil, &sub)
	if r := so.post("/t/so/hop-thu/"+sub.ID+"/tra-lai", url.Values{"note": {"Thiếu ảnh minh họa"}}); r.status != http.StatusSeeOther {
		t.Errorf("return form: %d", r.status)
	}
	if r := alpha.get("/t/alpha/da-gui"); !strings.Contains(r.body, "Thiếu ảnh minh họa") || !strings.Contains(r.body, "Gửi lại") {
		t.Errorf("returned item on the unit's page:\n%s", r.body)
	}
}

func TestRepublishedPublicPage(t *testing.T) {
	w := newXPWorld(t)
	var ag struct{ ID string }
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/agreements", map[string]string{"outlet": "Báo Lao Động", "reference": "7/TT",
		"signed_on": "15/01/2024", "expires_on": "31/12/2099"}, &ag)
	published := time.Date(2026, 3, 9, 8, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	var it xpItem
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts", map[string]any{"title": "Hỗ trợ người lao động mất việc",
		"summary": "Gói hỗ trợ mới.", "body": "<p>Người lao động mất việc được hỗ trợ học nghề.</p>", "type": "republished",
		"fields": []string{"lao-dong-viec-lam"}, "source": map[string]string{"outlet": "Báo Lao Động", "url": "https://laodong.vn/ho-tro.ldo",
			"published_at": published.Format(time.RFC3339), "agreement": ag.ID}}, &it)
	for _, to := range []string{"submitted", "approved", "published"} {
		w.must(200, "tbAlpha", "POST", "/tenants/alpha/posts/"+it.ID+"/transitions", map[string]string{"to": to}, &it)
	}
	r := w.page("alpha.gov.vn", "/bai-viet/"+it.Slug)
	if r.status != 200 || !strings.Contains(r.body, `Nguồn: Báo Lao Động, 09/03/2026 — <a href="https://laodong.vn/ho-tro.ldo"`) {
		t.Fatalf("republished page %d:\n%s", r.status, r.body)
	}
	// Its page does not say that sending it counts for the week's quota:
	// a republished item never does.
	if r := w.browser("tbAlpha").get("/t/alpha/bai-viet/" + it.ID); !strings.Contains(r.body, "Gửi bài này lên Ban Biên tập Sở (không tính vào chỉ tiêu tuần") {
		t.Errorf("the send box of a republished item:\n%s", r.body)
	}
	// Sent to the Department, its board sees the original before accepting.
	var sub xpSub
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts/"+it.ID+"/send", nil, &sub)
	if r := w.browser("tbSo").get("/t/so/hop-thu/" + sub.ID); !strings.Contains(r.body, "<dt>Báo gốc</dt><dd>Báo Lao Động, đăng lúc 08:30 09/03/2026") ||
		!strings.Contains(r.body, `<a href="https://laodong.vn/ho-tro.ldo" rel="noopener noreferrer">`) {
		t.Errorf("the submission page does not show the original:\n%s", r.body)
	}
	// The Department accepts it under an agreement of its own register,
	// picked from a list (it was an id to type).
	var soAg struct{ ID string }
	w.must(201, "tbSo", "POST", "/tenants/so/agreements", map[string]string{"outlet": "Báo Lao Động", "reference": "9/TT-SLĐ",
		"signed_on": "01/01/2025"}, &soAg)
	so := w.browser("tbSo")
	if r := so.get("/t/so/hop-thu/" + sub.ID); !strings.Contains(r.body, `<option value="`+soAg.ID+`">Báo Lao Động – số 9/TT-SLĐ</option>`) ||
		strings.Contains(r.body, `name="agreement" type="text"`) {
		t.Errorf("the accept form does not offer the Department's agreements:\n%s", r.body)
	}
	if r := so.post("/t/so/hop-thu/"+sub.ID+"/nhan", url.Values{"agreement": {soAg.ID}}); r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "/t/so/bai-viet/") {
		t.Errorf("accept under the chosen agreement: %d %q", r.status, r.header.Get("Location"))
	}
	if r := so.get("/t/so/thoa-thuan"); !strings.Contains(r.body, "<td>01/01/2025</td>") || strings.Contains(r.body, "<code>"+soAg.ID) {
		t.Errorf("the register shows its days as dd/mm/yyyy, without raw ids:\n%s", r.body)
	}
	// Text changed behind the platform's back: the page refuses the body.
	if _, err := w.a.DB.NewUpdate().Model((*post.Post)(nil)).Set("body = ?", "<p>Đã bị cắt.</p>").
		Where("tenant_id = ? AND id = ?", w.tenants["alpha"].ID, it.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := w.page("alpha.gov.vn", "/bai-viet/"+it.Slug); r.status != 500 || strings.Contains(r.body, "Đã bị cắt") {
		t.Errorf("tampered page %d:\n%s", r.status, r.body)
	}
}
