package app_test

// The reorganisation of "Done when" (issue 14), played end to end through
// the API on one database (both dialects): a second department is
// onboarded, a unit moves to it, two units merge, the first department is
// renamed and gets a new slug, a unit is suspended for a week and resumed.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/provision"
	"github.com/trangtin/trangtin/tenants/quota"
)

// Names sort in this order in Vietnamese.
const (
	roSo     = "Sở Lao động Thử nghiệm"
	roSoNew  = "Sở Nội vụ Thử nghiệm"
	roSyt    = "Sở Y tế Thử nghiệm"
	roAlpha  = "Trung tâm An Phú"
	roBeta   = "Trung tâm Bình Minh"
	roGamma  = "Trung tâm Cẩm Thành"
	roDelta  = "Trung tâm Đông Sơn"
	roOffice = "Văn phòng Sở Thử nghiệm"
)

type roWorld struct {
	t       *testing.T
	ctx     context.Context
	cfg     config.Config
	bdb     *bun.DB
	opts    db.Options // to open the database again, as a second replica
	a       *app.App
	tenants map[string]*tenancy.Tenant
	tokens  map[string]string
}

func newRoWorld(t *testing.T) *roWorld {
	t.Helper()
	var people []apptest.Person
	for _, pp := range []struct{ key, tenant, role string }{
		{"admin", "", authz.RolePlatformAdmin}, {"province", "", authz.RoleOfficeStaff},
		{"vpSo", "so", authz.RoleOfficeStaff}, {"tbSo", "so", authz.RoleEditorInChief},
		{"tbAlpha", "alpha", authz.RoleEditorInChief}, {"tbBeta", "beta", authz.RoleEditorInChief},
		{"tbGamma", "gamma", authz.RoleEditorInChief}, {"tbDelta", "delta", authz.RoleEditorInChief},
		{"tbVp", "vp", authz.RoleEditorInChief}, {"qtAlpha", "alpha", authz.RoleSiteAdmin},
	} {
		people = append(people, apptest.Person{Key: pp.key, Email: strings.ToLower(pp.key) + "@ro.gov.vn", Name: "Người " + pp.key, Tenant: pp.tenant, Role: pp.role})
	}
	bdb, opts := dbtest.NewWithOptions(t)
	world := apptest.New(t, apptest.Options{
		DB: bdb,
		Org: []provision.Input{
			{Slug: "so", Name: roSo, Kind: tenancy.KindDepartment},
			{Slug: "alpha", Name: roAlpha, Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"alpha.gov.vn"}},
			{Slug: "beta", Name: roBeta, Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"beta.gov.vn"}},
			{Slug: "gamma", Name: roGamma, Kind: tenancy.KindUnit, Parent: "so"},
			{Slug: "delta", Name: roDelta, Kind: tenancy.KindUnit, Parent: "so"},
			{Slug: "vp", Name: roOffice, Kind: tenancy.KindOffice, Parent: "so"},
		},
		People: people,
		Before: func(ctx context.Context, bdb *bun.DB) error {
			// Everyone has been on the platform for months: every week judged.
			long := time.Now().UTC().AddDate(0, 0, -200)
			for _, q := range []string{"UPDATE tenants SET onboarded_at = ?", "UPDATE tenant_history SET valid_from = ?"} {
				if _, err := bdb.NewRaw(q, long).Exec(ctx); err != nil {
					return fmt.Errorf("%s: %w", q, err)
				}
			}
			_, err := bdb.NewRaw(`INSERT INTO sections (tenant_id, id, slug, name, description, position, required, created_at)
				VALUES ((SELECT id FROM tenants WHERE slug = 'beta'), ?, 'rieng-beta', 'Chuyên mục riêng Bình Minh', '', 500, FALSE, ?)`, db.NewID(), long).Exec(ctx)
			return err
		},
	})
	return &roWorld{t: t, ctx: context.Background(), cfg: world.Config, bdb: bdb, opts: opts, a: world.App, tenants: world.Tenants, tokens: world.Tokens("ro")}
}

// account creates a person with a role in a tenant the test made later
// (by slug) and an API token.
func (w *roWorld) account(key, slug, role string) {
	w.t.Helper()
	acc, err := account.CreateWithParams(w.ctx, w.bdb, account.TestParams(), strings.ToLower(key)+"@ro.gov.vn", "Người "+key, apptest.Password)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := authz.GrantRole(w.ctx, w.bdb, acc.ID, w.tenant(slug).ID, role); err != nil {
		w.t.Fatalf("grant %s: %v", key, err)
	}
	if w.tokens[key], _, err = w.a.Accounts.CreateToken(w.ctx, w.bdb, acc.ID, "ro"); err != nil {
		w.t.Fatal(err)
	}
}

func (w *roWorld) tenant(slug string) *tenancy.Tenant {
	w.t.Helper()
	tn, err := tenancy.BySlug(w.ctx, w.bdb, slug)
	if err != nil {
		w.t.Fatalf("tenant %s: %v", slug, err)
	}
	return tn
}

func (w *roWorld) exec(q string, args ...any) {
	w.t.Helper()
	if _, err := w.bdb.NewRaw(q, args...).Exec(w.ctx); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
}

func (w *roWorld) refresh() {
	w.t.Helper()
	if err := w.a.Authz.Reload(w.ctx); err != nil {
		w.t.Fatal(err)
	}
	if err := w.a.Registry.Refresh(w.ctx); err != nil {
		w.t.Fatal(err)
	}
}

// call sends a JSON request to the API as who; it returns the status and
// the raw answer.
func (w *roWorld) call(who, method, path string, body any) (int, []byte) {
	w.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	r := httptest.NewRequest(method, "/api/v1"+path, rd)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	r.Host, r.RequestURI = "admin.localhost", ""
	r.Header.Set("Authorization", "Bearer "+w.tokens[who])
	res, err := w.a.HTTP.Test(r, -1)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(res.Body)
	return res.StatusCode, out.Bytes()
}

// must is call that fails on another status and decodes into out.
func (w *roWorld) must(want int, who, method, path string, body, out any) {
	w.t.Helper()
	got, raw := w.call(who, method, path, body)
	if got != want {
		w.t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, who, got, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			w.t.Fatalf("decode %s: %v: %s", path, err, raw)
		}
	}
}

// item writes an item as who in slug; published unless draft.
func (w *roWorld) item(who, slug, title, body, section string, draft bool) xpItem {
	w.t.Helper()
	in := map[string]any{"title": title, "summary": "Sa-pô của bài.", "body": body, "fields": []string{"lao-dong-viec-lam"}}
	if section != "" {
		in["section"] = section
	}
	var it xpItem
	w.must(201, who, "POST", "/tenants/"+slug+"/posts", in, &it)
	if draft {
		return it
	}
	for _, to := range []string{"submitted", "approved", "published"} {
		w.must(200, who, "POST", "/tenants/"+slug+"/posts/"+it.ID+"/transitions", map[string]string{"to": to}, &it)
	}
	return it
}

// send sends an item to the parent's board and returns the submission id.
func (w *roWorld) send(who, slug, postID string) string {
	w.t.Helper()
	var s xpSub
	w.must(201, who, "POST", "/tenants/"+slug+"/posts/"+postID+"/send", map[string]string{"note": "Kính gửi Ban Biên tập"}, &s)
	return s.ID
}

// picture uploads a small PNG to slug and returns its public path.
func (w *roWorld) picture(who, slug string) string {
	w.t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for x := range 16 {
		img.Set(x, x%12, color.RGBA{R: uint8(x * 15), G: 90, B: 160, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		w.t.Fatal(err)
	}
	ct, body := multipartBody("anh.png", b.Bytes(), map[string]string{"alt": "Ảnh hoạt động", "caption": "Ảnh: đơn vị"})
	r := httptest.NewRequest(http.MethodPost, "/api/v1/tenants/"+slug+"/media", bytes.NewReader(body))
	r.Header.Set("Content-Type", ct)
	r.Host, r.RequestURI = "admin.localhost", ""
	r.Header.Set("Authorization", "Bearer "+w.tokens[who])
	res, err := w.a.HTTP.Test(r, -1)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	var v struct{ Path string }
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil || res.StatusCode != 201 || v.Path == "" {
		w.t.Fatalf("upload to %s: %d %v %+v", slug, res.StatusCode, err, v)
	}
	return v.Path
}

// roURL is a public address that answered 200 before the reorganisation,
// with what must still be there after (a text, or the same bytes).
type roURL struct {
	host, path, marker string
	sameBytes          bool
	before             string
}

// follow gets host+path and follows at most one 301; it fails on more.
func (w *roWorld) follow(host, path string) (response, string) {
	w.t.Helper()
	r := get(w.t, w.a, host, path)
	if r.status != http.StatusMovedPermanently {
		return r, ""
	}
	loc, err := url.Parse(r.header.Get("Location"))
	if err != nil || loc.Host == "" {
		w.t.Fatalf("%s%s: bad Location %q", host, path, r.header.Get("Location"))
	}
	next := get(w.t, w.a, loc.Host, loc.RequestURI())
	if next.status == http.StatusMovedPermanently {
		w.t.Errorf("%s%s: a chain of redirects (%s then %s)", host, path, loc, next.header.Get("Location"))
	}
	return next, loc.String()
}

// rowCounts counts what must never be lost.
func (w *roWorld) rowCounts() map[string]int {
	w.t.Helper()
	out := map[string]int{}
	for _, table := range []string{"posts", "post_revisions", "post_fields", "post_transitions", "post_editions", "media", "media_renditions", "submissions", "board_history"} {
		n, err := w.bdb.NewSelect().Table(table).Count(w.ctx)
		if err != nil {
			w.t.Fatal(err)
		}
		out[table] = int(n)
	}
	store, err := media.OpenStore(w.ctx, w.cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	n := 0
	if err := store.List(w.ctx, "t/", func(blob.Info) error { n++; return nil }); err != nil {
		w.t.Fatal(err)
	}
	out["media objects"] = n
	return out
}

// roWeek is one expected week of a contributor.
type roWeek struct {
	State   quota.State
	Counted int
	Reason  string
}

type roLine struct {
	Slug, Name     string
	Weeks          []roWeek
	Sent, Accepted int
	Pending        int
}

// report reads a quota report through the API as who.
func (w *roWorld) report(who, month, parent string, live bool) ([]byte, quota.Report) {
	w.t.Helper()
	path := "/reports/quota?month=" + month + "&parent=" + parent
	if live {
		path += "&live=1"
	}
	status, raw := w.call(who, "GET", path, nil)
	if status != 200 {
		w.t.Fatalf("report %s of %s as %s: %d %s", month, parent, who, status, raw)
	}
	var r quota.Report
	if err := json.Unmarshal(raw, &r); err != nil {
		w.t.Fatal(err)
	}
	return raw, r
}

func lines(r quota.Report) []roLine {
	var out []roLine
	for _, c := range r.Contributors {
		l := roLine{Slug: c.Slug, Name: c.Name, Sent: c.Sent, Accepted: c.Accepted, Pending: c.Pending}
		for _, ws := range c.Weeks {
			l.Weeks = append(l.Weeks, roWeek{State: ws.State, Counted: ws.Counted, Reason: ws.Reason})
		}
		out = append(out, l)
	}
	return out
}

func TestReorganisationScenario(t *testing.T) {
	w := newRoWorld(t)
	now := time.Now()
	month := quota.MonthOf(now)
	prev := quota.MonthOf(month.From().Add(-time.Hour))
	w0 := quota.WeekOf(now)

	// Content before: items with pictures, a section only beta has, two
	// items with the same slug in beta and gamma, revisions.
	picA, picB := w.picture("tbAlpha", "alpha"), w.picture("tbBeta", "beta")
	itA := w.item("tbAlpha", "alpha", "Hội nghị tổng kết An Phú", `<p>Nội dung riêng của An Phú.</p><figure><img src="`+picA+`" alt="Hội nghị"><figcaption>Hội nghị</figcaption></figure>`, "", false)
	itB := w.item("tbBeta", "beta", "Ngày hội việc làm", `<p>Nội dung riêng của Bình Minh.</p><figure><img src="`+picB+`" alt="Ngày hội"><figcaption>Ngày hội</figcaption></figure>`, "rieng-beta", false)
	itG := w.item("tbGamma", "gamma", "Ngày hội việc làm", "<p>Nội dung riêng của Cẩm Thành.</p>", "", false)
	if itB.Slug != itG.Slug {
		t.Fatalf("slugs %q and %q should collide", itB.Slug, itG.Slug)
	}
	itD := w.item("tbDelta", "delta", "Đông Sơn chăm lo người lao động", "<p>Nội dung riêng của Đông Sơn.</p>", "", false)
	var edited xpItem
	w.must(200, "tbBeta", "PATCH", "/tenants/beta/posts/"+itB.ID, map[string]any{"version": itB.Version, "summary": "Sa-pô đã sửa."}, &edited)

	// The closed month: beta and gamma sent, the Department accepted and
	// published beta's item (a copy with "Nguồn:").
	itT := w.item("tbBeta", "beta", "Tập huấn kỹ năng mềm", "<p>Nội dung tập huấn của Bình Minh.</p>", "", false)
	itG2 := w.item("tbGamma", "gamma", "Cẩm Thành ra quân", "<p>Nội dung ra quân của Cẩm Thành.</p>", "", false)
	subT, subG := w.send("tbBeta", "beta", itT.ID), w.send("tbGamma", "gamma", itG2.ID)
	var acc xpSub
	w.must(200, "tbSo", "POST", "/tenants/so/inbox/"+subT+"/accept", map[string]any{"publish": true}, &acc)
	at := prev.Weeks[1].Start().Add(30 * time.Hour)
	w.exec("UPDATE submissions SET first_sent_at = ?, sent_at = ? WHERE id IN (?)", at.UTC(), at.UTC(), bun.List([]string{subT, subG}))
	w.exec("UPDATE submissions SET decided_at = ? WHERE id = ?", at.Add(3*time.Hour).UTC(), subT)
	if _, err := quota.CloseMonth(w.ctx, w.bdb, w.tenants["so"].ID, prev, now); err != nil {
		t.Fatal(err)
	}
	snapBefore, _ := w.report("vpSo", prev.Key, "so", false)
	var copyItem xpItem
	w.must(200, "tbSo", "GET", "/tenants/so/posts/"+acc.AcceptedPost.ID, nil, &copyItem)

	// This week, before the reorganisation: everyone sends; alpha's and
	// beta's stay pending.
	subA1 := w.send("tbAlpha", "alpha", w.item("tbAlpha", "alpha", "An Phú tư vấn việc làm", "<p>Tư vấn.</p>", "", false).ID)
	w.send("tbBeta", "beta", w.item("tbBeta", "beta", "Bình Minh khai giảng", "<p>Khai giảng.</p>", "", false).ID)
	w.send("tbGamma", "gamma", w.item("tbGamma", "gamma", "Cẩm Thành tuyển sinh", "<p>Tuyển sinh.</p>", "", false).ID)
	w.send("tbVp", "vp", w.item("tbVp", "vp", "Văn phòng sơ kết quý", "<p>Sơ kết quý của Văn phòng.</p>", "", true).ID)

	urls := []roURL{
		{host: "so.localhost", path: "/"}, {host: "so.localhost", path: "/feed.xml"}, {host: "so.localhost", path: "/sitemap.xml"},
		{host: "so.localhost", path: "/chuyen-muc/tin-tuc-su-kien"}, {host: "so.localhost", path: "/bai-viet/" + copyItem.Slug, marker: "Nội dung tập huấn của Bình Minh"},
		{host: "alpha.gov.vn", path: "/"}, {host: "alpha.gov.vn", path: "/bai-viet/" + itA.Slug, marker: "Nội dung riêng của An Phú"},
		{host: "alpha.localhost", path: "/bai-viet/" + itA.Slug, marker: "Nội dung riêng của An Phú"}, {host: "alpha.gov.vn", path: picA, sameBytes: true},
		{host: "beta.gov.vn", path: "/"}, {host: "beta.gov.vn", path: "/feed.xml"}, {host: "beta.gov.vn", path: "/sitemap.xml"},
		{host: "beta.gov.vn", path: "/bai-viet/" + itB.Slug, marker: "Nội dung riêng của Bình Minh"},
		{host: "beta.localhost", path: "/bai-viet/" + itB.Slug, marker: "Nội dung riêng của Bình Minh"},
		{host: "beta.gov.vn", path: "/bai-viet/" + itT.Slug, marker: "Nội dung tập huấn của Bình Minh"},
		{host: "beta.gov.vn", path: "/chuyen-muc/rieng-beta", marker: "Ngày hội việc làm"}, {host: "beta.gov.vn", path: "/chuyen-muc/tin-tuc-su-kien"},
		{host: "beta.gov.vn", path: "/search?q=tap+huan", marker: "kỹ năng mềm"}, {host: "beta.gov.vn", path: picB, sameBytes: true},
		{host: "gamma.localhost", path: "/"}, {host: "gamma.localhost", path: "/bai-viet/" + itG.Slug, marker: "Nội dung riêng của Cẩm Thành"},
		{host: "delta.localhost", path: "/"}, {host: "delta.localhost", path: "/bai-viet/" + itD.Slug, marker: "Nội dung riêng của Đông Sơn"},
	}
	for i, u := range urls {
		r := get(t, w.a, u.host, u.path)
		if r.status != 200 || !strings.Contains(r.body, u.marker) {
			t.Fatalf("before: %s%s: %d, marker %q", u.host, u.path, r.status, u.marker)
		}
		urls[i].before = r.body
	}
	countsBefore := w.rowCounts()
	if countsBefore["post_editions"] == 0 {
		t.Fatal("beta's edited published item has no pending edition to carry through the merge")
	}

	// The reorganisation.
	w.must(201, "admin", "POST", "/tenants", map[string]any{"slug": "syt", "name": roSyt, "kind": "department"}, nil)
	w.account("vpSyt", "syt", authz.RoleOfficeStaff)
	w.refresh()
	w.must(200, "admin", "POST", "/tenants/alpha/move", map[string]string{"parent": "syt", "reason": "Quyết định 123/QĐ-UBND"}, nil)
	w.must(200, "admin", "POST", "/tenants/beta/merge", map[string]string{"into": "gamma", "reason": "Quyết định 124/QĐ-UBND"}, nil)
	w.must(200, "admin", "PATCH", "/tenants/so", map[string]string{"name": roSoNew, "reason": "Nghị quyết hợp nhất"}, nil)
	w.must(200, "admin", "PATCH", "/tenants/so", map[string]string{"slug": "snv", "reason": "Tên miền mới"}, nil)
	suspend := app.NewProvisioner(w.cfg, w.bdb)
	suspend.Now = func() time.Time { return now.AddDate(0, 0, -7) }
	if _, err := suspend.Suspend(w.ctx, w.tenants["delta"].ID, provision.Change{Reason: "Nâng cấp máy chủ", Via: "test"}); err != nil {
		t.Fatal(err)
	}
	w.refresh()
	t.Run("suspended", func(t *testing.T) {
		r := get(t, w.a, "delta.localhost", "/bai-viet/"+itD.Slug)
		if r.status != 503 || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "tạm ngừng hoạt động") {
			t.Errorf("suspended site: %d Retry-After %q\n%s", r.status, r.header.Get("Retry-After"), r.body)
		}
		if s, raw := w.call("tbDelta", "POST", "/tenants/delta/posts", map[string]any{"title": "Bài mới", "body": "<p>x</p>"}); s != 409 || !strings.Contains(string(raw), "tenant_suspended") {
			t.Errorf("the board wrote on a suspended tenant: %d %s", s, raw)
		}
		if s, _ := w.call("tbDelta", "GET", "/tenants/delta/posts", nil); s != 200 {
			t.Errorf("the board cannot read its suspended tenant: %d", s)
		}
	})
	w.must(200, "admin", "POST", "/tenants/delta/resume", map[string]string{"reason": "Đã nâng cấp xong"}, nil)
	w.refresh()

	t.Run("nothing lost", func(t *testing.T) {
		if diff := cmp.Diff(countsBefore, w.rowCounts()); diff != "" {
			t.Errorf("rows and objects before/after (-before +after):\n%s", diff)
		}
	})
	t.Run("every address still answers", func(t *testing.T) {
		for _, u := range urls {
			r, via := w.follow(u.host, u.path)
			switch {
			case r.status != 200:
				t.Errorf("%s%s → %s: %d", u.host, u.path, via, r.status)
			case u.sameBytes && r.body != u.before:
				t.Errorf("%s%s → %s: other bytes", u.host, u.path, via)
			case !strings.Contains(r.body, u.marker):
				t.Errorf("%s%s → %s: %q is gone", u.host, u.path, via, u.marker)
			}
		}
		if r := get(t, w.a, "beta.gov.vn", "/bai-viet/"+itB.Slug+"?in=1"); r.header.Get("Location") != "http://gamma.localhost/bai-viet/"+itB.Slug+"-2?in=1" {
			t.Errorf("renamed item: Location %q", r.header.Get("Location"))
		}
		if r := get(t, w.a, "so.localhost", "/chuyen-muc/tin-tuc-su-kien"); r.header.Get("Location") != "http://snv.localhost/chuyen-muc/tin-tuc-su-kien" {
			t.Errorf("old slug: %d Location %q", r.status, r.header.Get("Location"))
		}
	})
	t.Run("sitemaps list the new addresses", func(t *testing.T) {
		sm := get(t, w.a, "gamma.localhost", "/sitemap.xml").body
		for _, want := range []string{"http://gamma.localhost/bai-viet/" + itB.Slug + "-2", "http://gamma.localhost/bai-viet/" + itT.Slug, "/chuyen-muc/rieng-beta"} {
			if !strings.Contains(sm, want) {
				t.Errorf("gamma's sitemap lacks %s", want)
			}
		}
		if strings.Contains(sm, "beta.localhost") || strings.Contains(sm, "beta.gov.vn") {
			t.Errorf("gamma's sitemap names an old address:\n%s", sm)
		}
		if r := get(t, w.a, "beta.localhost", "/sitemap.xml"); r.header.Get("Location") != "http://gamma.localhost/sitemap.xml" {
			t.Errorf("beta's sitemap: %d %q", r.status, r.header.Get("Location"))
		}
	})
	t.Run("Nguồn link of a copy", func(t *testing.T) {
		page := get(t, w.a, "snv.localhost", "/bai-viet/"+copyItem.Slug)
		if !strings.Contains(page.body, "/nguon/"+copyItem.Slug) {
			t.Fatalf("the copy lost its source link:\n%s", page.body)
		}
		r := get(t, w.a, "snv.localhost", "/nguon/"+copyItem.Slug)
		if r.status != 302 || r.header.Get("Location") != "http://gamma.localhost/bai-viet/"+itT.Slug {
			t.Errorf("source link: %d %q", r.status, r.header.Get("Location"))
		}
	})
	t.Run("pending sends at the old parent withdrawn with a note, the unit told", func(t *testing.T) {
		var list xpList
		w.must(200, "tbAlpha", "GET", "/tenants/alpha/submissions", nil, &list)
		var states []string
		for _, s := range list.Items {
			if s.ID == subA1 {
				states = append(states, s.State)
			}
		}
		if !cmp.Equal(states, []string{"withdrawn"}) {
			t.Errorf("alpha's pending send: %v", states)
		}
		var note string
		if err := w.bdb.NewRaw("SELECT note FROM submission_events WHERE submission_id = ? AND kind = 'withdrawn'", subA1).Scan(w.ctx, &note); err != nil || !strings.Contains(note, roSyt) {
			t.Errorf("withdrawal note %q (%v)", note, err)
		}
		n, _ := w.bdb.NewSelect().Table("notifications").Where("tenant_id = ? AND kind = 'submissions_withdrawn'", w.tenants["alpha"].ID).Count(w.ctx)
		if n != 1 {
			t.Errorf("alpha told %d times", n)
		}
	})
	t.Run("closed month byte-identical", func(t *testing.T) {
		after, _ := w.report("vpSo", prev.Key, "snv", false)
		if !bytes.Equal(snapBefore, after) {
			t.Errorf("snapshot of %s changed:\n%s\n---\n%s", prev.Key, snapBefore, after)
		}
		_, live := w.report("vpSo", prev.Key, "snv", true)
		if live.Parent.Name != roSo {
			t.Errorf("past month names the department %q, want its name then", live.Parent.Name)
		}
		var names []string
		for _, c := range live.Contributors {
			names = append(names, c.Name)
		}
		if diff := cmp.Diff([]string{roAlpha, roBeta, roGamma, roDelta, roOffice}, names); diff != "" {
			t.Errorf("past month's contributors (-want +got):\n%s", diff)
		}
	})

	// After the move, alpha sends to its new parent.
	w.send("tbAlpha", "alpha", w.item("tbAlpha", "alpha", "An Phú về Sở Y tế", "<p>Về Sở Y tế.</p>", "", false).ID)

	t.Run("live report of this month", func(t *testing.T) {
		// Weeks before this one ended without sends; weeks after it have
		// not begun: open, unless the contributor is no longer here.
		line := func(slug, name string, sent, accepted, pending int, thisWeek roWeek, earlier func(quota.Week) roWeek, later roWeek) roLine {
			l := roLine{Slug: slug, Name: name, Sent: sent, Accepted: accepted, Pending: pending}
			for _, wk := range month.Weeks {
				switch {
				case wk.Before(w0):
					l.Weeks = append(l.Weeks, earlier(wk))
				case wk == w0:
					l.Weeks = append(l.Weeks, thisWeek)
				default:
					l.Weeks = append(l.Weeks, later)
				}
			}
			return l
		}
		missed := func(quota.Week) roWeek { return roWeek{State: quota.StateMissed} }
		open := roWeek{State: quota.StateOpen}
		moved := roWeek{State: quota.StateExempt, Reason: "Đã chuyển sang trực thuộc " + roSyt}
		merged := roWeek{State: quota.StateExempt, Reason: "Đã hợp nhất vào " + roGamma}
		suspended := "Tạm dừng hoạt động: Nâng cấp máy chủ"
		deltaEarlier := func(wk quota.Week) roWeek {
			if wk == w0.Prev() {
				return roWeek{State: quota.StateExempt, Reason: suspended}
			}
			return roWeek{State: quota.StateMissed}
		}
		mergedNow := merged
		mergedNow.Counted = 1
		want := []roLine{
			line("alpha", roAlpha, 0, 0, 0, moved, missed, moved),
			line("beta", roBeta, 1, 0, 1, mergedNow, missed, merged),
			line("gamma", roGamma, 1, 0, 1, roWeek{State: quota.StateMet, Counted: 1}, missed, open),
			line("delta", roDelta, 0, 0, 0, roWeek{State: quota.StateExempt, Reason: suspended}, deltaEarlier, open),
			line("vp", roOffice, 1, 0, 1, roWeek{State: quota.StateMet, Counted: 1}, missed, open),
		}
		_, so := w.report("vpSo", month.Key, "snv", false)
		if so.Parent.Name != roSoNew {
			t.Errorf("this month names the department %q", so.Parent.Name)
		}
		if diff := cmp.Diff(want, lines(so)); diff != "" {
			t.Errorf("Department's report (-want +got):\n%s", diff)
		}
		notYet := func(quota.Week) roWeek {
			return roWeek{State: quota.StateExempt, Reason: "Chưa trực thuộc " + roSyt}
		}
		wantSyt := []roLine{line("alpha", roAlpha, 1, 0, 1, roWeek{State: quota.StateMet, Counted: 1}, notYet, open)}
		_, syt := w.report("vpSyt", month.Key, "syt", false)
		if diff := cmp.Diff(wantSyt, lines(syt)); diff != "" {
			t.Errorf("Health department's report (-want +got):\n%s", diff)
		}
	})
	t.Run("office staff see their organisation only", func(t *testing.T) {
		for _, c := range []struct {
			who, parent string
			want        int
		}{
			{"vpSo", "snv", 200}, {"vpSo", "syt", 404}, {"vpSyt", "syt", 200}, {"vpSyt", "snv", 404},
			{"province", "snv", 200}, {"province", "syt", 200},
		} {
			if s, raw := w.call(c.who, "GET", "/reports/quota?month="+month.Key+"&parent="+c.parent, nil); s != c.want {
				t.Errorf("%s reads %s's report: %d, want %d %s", c.who, c.parent, s, c.want, raw)
			}
		}
		if s, _ := w.call("vpSyt", "GET", "/tenants/alpha/posts", nil); s != 200 {
			t.Errorf("Health office staff cannot read its new unit: %d", s)
		}
		if s, _ := w.call("vpSo", "GET", "/tenants/alpha/posts", nil); s != 404 {
			t.Errorf("the old organisation's office still reads the unit that left: %d", s)
		}
	})
}
