package post_test

// This file holds the fixture the tests of this package share (a whole
// platform over a fresh database, with three tenants and a board in each)
// and the tests of what saving an item does to its text: sanitising,
// Unicode NFC, the presentation lint on legacy encodings, slugs and
// revisions.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/post/lint"
	"github.com/trangtin/trangtin/tenants/provision"
)

// ---- fixture -------------------------------------------------------------

const adminHost = "admin.localhost"

// Tenant names; none contains another, so a page naming one can be told
// from a page naming another.
const (
	nameSo      = "Sở Lao động Thử nghiệm"
	nameAlpha   = "Trung tâm Alpha Hà Tĩnh"
	nameBeta    = "Trường Beta Nghệ An"
	nameEpsilon = "Đơn vị Epsilon Không trang"
)

// member is an account holding one role in one tenant, with an API token.
type member struct {
	ID, Token, Tenant, Role string
}

// fixture is the platform as `trangtin serve` builds it, over a fresh
// database holding a department ("so"), two units with a site ("alpha",
// "beta") and one without ("epsilon"), and a board in each.
type fixture struct {
	tb   testing.TB
	ctx  context.Context
	cfg  config.Config
	db   *bun.DB
	opts db.Options
	a    *app.App
	T    map[string]*tenancy.Tenant
	M    map[string]*member // "alpha/contributor", "alpha/editor", ...
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func testConfig(tb testing.TB) config.Config {
	tb.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		tb.Fatalf("load default config: %v", err)
	}
	cfg.DataDir = tb.TempDir()
	return cfg
}

// boards names the accounts made in each tenant: key → role.
var boards = map[string][][2]string{
	"alpha": {
		{"contributor", authz.RoleContributor},
		{"contributor2", authz.RoleContributor},
		{"editor", authz.RoleEditor},
		{"editor2", authz.RoleEditor},
		{"secretary", authz.RoleSecretary},
		{"deputy", authz.RoleDeputyEditor},
		{"chief", authz.RoleEditorInChief},
		{"siteadmin", authz.RoleSiteAdmin},
	},
	"beta": {
		{"contributor", authz.RoleContributor},
		{"editor", authz.RoleEditor},
		{"chief", authz.RoleEditorInChief},
	},
	"epsilon": {
		{"contributor", authz.RoleContributor},
		{"chief", authz.RoleEditorInChief},
	},
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	ctx := context.Background()
	cfg := testConfig(tb)
	bdb, opts := dbtest.NewWithOptions(tb)
	f := &fixture{tb: tb, ctx: ctx, cfg: cfg, db: bdb, opts: opts, T: map[string]*tenancy.Tenant{}, M: map[string]*member{}}
	prov := app.NewProvisioner(cfg, bdb)
	for _, in := range []provision.Input{
		{Slug: "so", Name: nameSo, Kind: tenancy.KindDepartment},
		{Slug: "alpha", Name: nameAlpha, Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"alpha.gov.vn"}},
		{Slug: "beta", Name: nameBeta, Kind: tenancy.KindUnit, Parent: "so"},
		{Slug: "epsilon", Name: nameEpsilon, Kind: tenancy.KindUnit, Parent: "so", NoSite: true},
	} {
		t, err := prov.Create(ctx, in)
		if err != nil {
			tb.Fatalf("create tenant %s: %v", in.Slug, err)
		}
		f.T[in.Slug] = t
	}
	f.a = f.newApp(bdb)
	for _, slug := range []string{"alpha", "beta", "epsilon"} {
		for _, kr := range boards[slug] {
			key := slug + "/" + kr[0]
			acc, err := account.CreateWithParams(ctx, bdb, account.TestParams(),
				strings.ReplaceAll(kr[0]+"."+slug, "/", ".")+"@example.gov.vn", "Người dùng "+key, "mat-khau-du-dai-2026")
			if err != nil {
				tb.Fatalf("create account %s: %v", key, err)
			}
			if err := authz.GrantRole(ctx, bdb, acc.ID, f.T[slug].ID, kr[1]); err != nil {
				tb.Fatalf("grant %s: %v", key, err)
			}
			tok, _, err := f.a.Accounts.CreateToken(ctx, bdb, acc.ID, "t")
			if err != nil {
				tb.Fatalf("token %s: %v", key, err)
			}
			f.M[key] = &member{ID: acc.ID, Token: tok, Tenant: slug, Role: kr[1]}
		}
	}
	if err := f.a.Authz.Reload(ctx); err != nil {
		tb.Fatalf("reload policy: %v", err)
	}
	if err := f.a.Registry.Refresh(ctx); err != nil {
		tb.Fatalf("refresh registry: %v", err)
	}
	return f
}

// newApp builds another platform (another process) on bdb.
func (f *fixture) newApp(bdb *bun.DB) *app.App {
	f.tb.Helper()
	a, err := app.New(f.ctx, f.cfg, bdb, discard(), app.WithAccountOptions(account.WithParams(account.TestParams())))
	if err != nil {
		f.tb.Fatalf("app.New: %v", err)
	}
	return a
}

func (f *fixture) m(key string) *member {
	f.tb.Helper()
	m, ok := f.M[key]
	if !ok {
		f.tb.Fatalf("no member %q", key)
	}
	return m
}

// tenantOf is the tenant a member key belongs to.
func (f *fixture) tenantOf(key string) *tenancy.Tenant { return f.T[f.m(key).Tenant] }

// actor is the member as the service sees it, in its own tenant.
func (f *fixture) actor(key string) post.Actor {
	m := f.m(key)
	t := f.T[m.Tenant]
	az := f.a.Authz
	return post.Actor{ID: m.ID, Can: func(p authz.Permission) bool { return az.Allowed(m.ID, t.ID, p) }}
}

// A text that has no lint error (and, in fact, no finding at all).
const (
	goodTitle   = "Trung tâm Alpha tập huấn an toàn lao động cho doanh nghiệp"
	goodSummary = "Hơn hai trăm người lao động tham gia lớp tập huấn do trung tâm tổ chức."
	goodBody    = "<p>Lớp tập huấn giới thiệu các quy định mới về an toàn, vệ sinh lao động.</p>"
	goodField   = "an-toan-lao-dong"
)

func goodInput(title string) post.Input {
	return post.Input{Title: title, Summary: goodSummary, Body: goodBody, Fields: []string{goodField}, Byline: "Minh Anh"}
}

// create writes a draft as key; the test fails on error.
func (f *fixture) create(key string, in post.Input) *post.Post {
	f.tb.Helper()
	p, err := f.a.Posts.Create(f.ctx, f.tenantOf(key), f.actor(key), in)
	if err != nil {
		f.tb.Fatalf("create %q as %s: %v", in.Title, key, err)
	}
	return p
}

// step moves an item as key; the test fails on error.
func (f *fixture) step(key, id string, in post.TransitionInput) *post.Post {
	f.tb.Helper()
	p, err := f.a.Posts.Transition(f.ctx, f.tenantOf(key), f.actor(key), id, in)
	if err != nil {
		f.tb.Fatalf("%s → %s as %s: %v", id, in.To, key, err)
	}
	return p
}

// publishEdition takes the pending edition of a published item of tenant
// slug through review to the site: submitted by its editor, approved by
// someone who did not write it (the secretary, or the editor when the
// secretary wrote it), published by the chief.
func (f *fixture) publishEdition(slug, id, editor string) *post.Post {
	f.tb.Helper()
	reviewer := slug + "/secretary"
	if editor == reviewer {
		reviewer = slug + "/editor"
	}
	f.step(editor, id, post.TransitionInput{To: post.StatusSubmitted})
	f.step(reviewer, id, post.TransitionInput{To: post.StatusApproved})
	return f.step(slug+"/chief", id, post.TransitionInput{To: post.StatusPublished})
}

// approved writes an item in tenant slug and takes it to approved.
func (f *fixture) approved(slug string, in post.Input) *post.Post {
	f.tb.Helper()
	p := f.create(slug+"/contributor", in)
	f.step(slug+"/contributor", p.ID, post.TransitionInput{To: post.StatusSubmitted})
	return f.step(slug+"/editor", p.ID, post.TransitionInput{To: post.StatusApproved})
}

// published writes an item in tenant slug and publishes it through the
// whole workflow.
func (f *fixture) published(slug string, in post.Input) *post.Post {
	f.tb.Helper()
	p := f.approved(slug, in)
	return f.step(slug+"/chief", p.ID, post.TransitionInput{To: post.StatusPublished})
}

func (f *fixture) get(slug, id string) *post.Post {
	f.tb.Helper()
	p, err := post.Get(f.ctx, f.db, f.T[slug].ID, id)
	if err != nil {
		f.tb.Fatalf("get %s: %v", id, err)
	}
	return p
}

// page is one HTTP answer.
type page struct {
	status int
	header http.Header
	body   string
}

// fetch sends a request through the whole HTTP application.
func fetch(tb testing.TB, a *app.App, method, host, path, token string, body any) page {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Host = host
	req.RequestURI = ""
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := a.HTTP.Test(req, -1)
	if err != nil {
		tb.Fatalf("%s %s%s: %v", method, host, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return page{status: res.StatusCode, header: res.Header, body: string(b)}
}

// public GETs a page of a tenant's site.
func (f *fixture) public(slug, path string) page {
	f.tb.Helper()
	return fetch(f.tb, f.a, http.MethodGet, slug+".localhost", path, "", nil)
}

// findings returns the rule ids of fs with severity sev ("" for any).
func ruleIDs(fs []lint.Finding, sev lint.Severity) []string {
	var out []string
	for _, x := range fs {
		if sev == "" || x.Severity == sev {
			out = append(out, x.Rule)
		}
	}
	return out
}

// ---- sanitising ----------------------------------------------------------

func TestBodyIsSanitisedOnSave(t *testing.T) {
	f := newFixture(t)
	attacks := []struct {
		name, body string
		// bad are strings that must appear neither in the stored body nor on the page.
		bad []string
		// keep is text that must survive.
		keep string
	}{
		{"script element", `<p>Trước</p><script>alert("xss-1")</script><p>Sau</p>`, []string{"<script", "xss-1"}, "Trước"},
		{"script in upper case", `<p>Nội dung</p><SCRIPT SRC="https://evil.example/x.js"></SCRIPT>`, []string{"<script", "evil.example"}, "Nội dung"},
		{"onerror on image", `<p>Ảnh</p><img src="/media/a.jpg" alt="Ảnh" onerror="alert('xss-2')">`, []string{"onerror", "xss-2"}, "Ảnh"},
		{"onerror on foreign image", `<p>Ảnh ngoài</p><img src="x" onerror="alert('xss-3')">`, []string{"onerror", "xss-3"}, "Ảnh ngoài"},
		{"onclick and onmouseover", `<p onclick="alert('xss-4')" onmouseover="alert('xss-5')">Đoạn văn</p>`, []string{"onclick", "onmouseover", "xss-4", "xss-5"}, "Đoạn văn"},
		{"javascript link", `<p><a href="javascript:alert('xss-6')">Bấm vào đây</a></p>`, []string{"javascript:", "xss-6"}, "Bấm vào đây"},
		{"javascript link mixed case and spaces", `<p><a href="  JaVaScRiPt:alert('xss-7')">Liên kết</a></p>`, []string{"javascript:", "xss-7"}, "Liên kết"},
		{"javascript link with entities", `<p><a href="&#106;avascript&#58;alert('xss-8')">Liên kết hai</a></p>`, []string{"javascript", "xss-8"}, "Liên kết hai"},
		{"javascript link with tab", "<p><a href=\"java\tscript:alert('xss-9')\">Liên kết ba</a></p>", []string{"script:", "xss-9"}, "Liên kết ba"},
		{"data URL", `<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Dữ liệu</a></p>`, []string{"data:text/html", "PHNjcmlwdD"}, "Dữ liệu"},
		{"iframe", `<p>Khung</p><iframe src="javascript:alert('xss-10')"></iframe>`, []string{"<iframe", "xss-10"}, "Khung"},
		{"svg onload", `<p>Hình</p><svg onload="alert('xss-11')"><circle r="1"/></svg>`, []string{"<svg", "onload", "xss-11"}, "Hình"},
		{"style with expression", `<p style="background:url(javascript:alert('xss-12'))">Kiểu</p>`, []string{"style=", "xss-12"}, "Kiểu"},
		{"object and embed", `<p>Đối tượng</p><object data="x.swf"></object><embed src="x.swf">`, []string{"<object", "<embed", "x.swf"}, "Đối tượng"},
		{"form", `<form action="https://evil.example"><input name="p"></form><p>Biểu mẫu</p>`, []string{"<form", "<input", "evil.example"}, "Biểu mẫu"},
	}
	layout := strings.ToLower(f.public("alpha", "/").body)
	for i, tt := range attacks {
		t.Run(tt.name, func(t *testing.T) {
			title := fmt.Sprintf("Bài kiểm tra làm sạch số %d", i+1)
			in := goodInput(title)
			in.Body = tt.body
			p := f.create("alpha/contributor", in)
			stored := f.get("alpha", p.ID)
			for _, bad := range tt.bad {
				if strings.Contains(strings.ToLower(stored.Body), strings.ToLower(bad)) {
					t.Errorf("stored body keeps %q:\n%s", bad, stored.Body)
				}
			}
			if !strings.Contains(stored.Body, tt.keep) {
				t.Errorf("stored body lost the text %q:\n%s", tt.keep, stored.Body)
			}
			revs, err := post.Revisions(f.ctx, f.db, f.T["alpha"].ID, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range revs {
				for _, bad := range tt.bad {
					if strings.Contains(strings.ToLower(r.Body), strings.ToLower(bad)) {
						t.Errorf("revision %d keeps %q", r.Number, bad)
					}
				}
			}
			// Publish (an image without alt text is a lint error: the
			// chief force-publishes so every case reaches the page).
			f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusPublished, Force: true, Note: "Kiểm tra làm sạch"})
			pg := f.public("alpha", "/bai-viet/"+p.Slug)
			if pg.status != http.StatusOK {
				t.Fatalf("public page: %d", pg.status)
			}
			if !strings.Contains(pg.body, tt.keep) {
				t.Errorf("public page lacks %q", tt.keep)
			}
			low := strings.ToLower(pg.body)
			for _, bad := range tt.bad {
				// The layout has a search form of its own.
				if strings.Contains(low, strings.ToLower(bad)) && !strings.Contains(layout, strings.ToLower(bad)) {
					t.Errorf("public page shows %q", bad)
				}
			}
			for _, bad := range []string{"<script", "onerror", "javascript:"} {
				if strings.Contains(low, bad) {
					t.Errorf("public page contains %q", bad)
				}
			}
		})
	}
	t.Run("edit is sanitised too", func(t *testing.T) {
		p := f.create("alpha/contributor", goodInput("Bài sửa có mã độc"))
		in := post.InputOf(p)
		in.Body = `<p>Đã sửa</p><script>alert('xss-edit')</script><img src="/media/b.jpg" alt="b" onerror="alert('xss-edit-2')"><a href="javascript:alert(1)">x</a>`
		up, err := f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/contributor"), p.ID, p.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		stored := f.get("alpha", up.ID)
		for _, bad := range []string{"<script", "xss-edit", "onerror", "javascript:"} {
			if strings.Contains(stored.Body, bad) {
				t.Errorf("edited body keeps %q: %s", bad, stored.Body)
			}
		}
		if !strings.Contains(stored.Body, "Đã sửa") {
			t.Errorf("edited body lost its text: %s", stored.Body)
		}
	})
	t.Run("own media image and safe link are kept", func(t *testing.T) {
		in := goodInput("Bài có ảnh và liên kết hợp lệ")
		in.Body = `<p>Xem <a href="https://molisa.gov.vn/van-ban">văn bản</a>.</p><figure><img src="/media/anh-hop-le.jpg" alt="Lớp học"><figcaption>Lớp học nghề</figcaption></figure>`
		p := f.create("alpha/contributor", in)
		stored := f.get("alpha", p.ID)
		for _, want := range []string{`href="https://molisa.gov.vn/van-ban"`, `rel="noopener noreferrer nofollow"`, `src="/media/anh-hop-le.jpg"`, `alt="Lớp học"`, "<figcaption>Lớp học nghề</figcaption>"} {
			if !strings.Contains(stored.Body, want) {
				t.Errorf("stored body lacks %s:\n%s", want, stored.Body)
			}
		}
	})
	t.Run("image from another host is dropped", func(t *testing.T) {
		in := goodInput("Bài có ảnh từ trang khác")
		in.Body = `<p>Ảnh ngoài</p><img src="https://evil.example/track.gif" alt="x"><img src="//evil.example/t.gif" alt="y">`
		p := f.create("alpha/contributor", in)
		if stored := f.get("alpha", p.ID); strings.Contains(stored.Body, "evil.example") {
			t.Errorf("foreign image kept: %s", stored.Body)
		}
	})
}

// ---- Unicode NFC ---------------------------------------------------------

func TestNFDInputIsStoredAsNFC(t *testing.T) {
	f := newFixture(t)
	nfc := post.Input{
		Title:   "Huấn luyện kỹ năng nghề cho thanh niên huyện Đức Thọ",
		Summary: "Người học được hỗ trợ học phí và tiền ăn trong suốt khóa học.",
		Body:    "<p>Khóa học kéo dài ba tháng, gồm các nghề điện dân dụng và may công nghiệp.</p>",
		Byline:  "Nguyễn Thị Hường",
		Fields:  []string{"giao-duc-nghe-nghiep"},
	}
	nfd := post.Input{
		Title: norm.NFD.String(nfc.Title), Summary: norm.NFD.String(nfc.Summary),
		Body: norm.NFD.String(nfc.Body), Byline: norm.NFD.String(nfc.Byline), Fields: nfc.Fields,
	}
	if nfd.Title == nfc.Title || nfd.Body == nfc.Body {
		t.Fatal("test input is not NFD")
	}
	check := func(t *testing.T, what string, got, want string) {
		t.Helper()
		if !norm.NFC.IsNormalString(got) {
			t.Errorf("%s is not NFC: %+q", what, got)
		}
		if !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", what, got, want)
		}
	}
	var id string
	t.Run("create", func(t *testing.T) {
		p := f.create("alpha/contributor", nfd)
		id = p.ID
		s := f.get("alpha", p.ID)
		check(t, "title", s.Title, nfc.Title)
		check(t, "summary", s.Summary, nfc.Summary)
		check(t, "body", s.Body, "Khóa học kéo dài ba tháng")
		check(t, "byline", s.Byline, nfc.Byline)
		if s.Slug != "huan-luyen-ky-nang-nghe-cho-thanh-nien-huyen-duc-tho" {
			t.Errorf("slug of NFD title = %q", s.Slug)
		}
		if nf := ruleIDs(f.a.Posts.Findings(s), ""); slices.Contains(nf, "not-nfc") {
			t.Errorf("stored text still reported as not NFC: %v", nf)
		}
		revs, err := post.Revisions(f.ctx, f.db, f.T["alpha"].ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "revision title", revs[0].Title, nfc.Title)
		check(t, "revision body", revs[0].Body, "Khóa học kéo dài ba tháng")
	})
	t.Run("update", func(t *testing.T) {
		cur := f.get("alpha", id)
		in := nfd
		in.Title = norm.NFD.String("Đào tạo nghề cho lao động nông thôn ở Hương Khê")
		in.Summary = norm.NFD.String("Lớp học nghề được mở tại xã Phúc Đồng.")
		_, err := f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/contributor"), id, cur.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		s := f.get("alpha", id)
		check(t, "title", s.Title, "Đào tạo nghề cho lao động nông thôn ở Hương Khê")
		check(t, "summary", s.Summary, "Lớp học nghề được mở tại xã Phúc Đồng.")
	})
	t.Run("through the API", func(t *testing.T) {
		r := fetch(t, f.a, http.MethodPost, adminHost, "/api/v1/tenants/alpha/posts", f.m("alpha/contributor").Token, map[string]any{
			"title": norm.NFD.String("Hội nghị tổng kết công tác giảm nghèo"), "summary": norm.NFD.String("Tỉnh đạt mục tiêu giảm nghèo."),
			"body": norm.NFD.String("<p>Tỷ lệ hộ nghèo giảm còn 2,1%.</p>"), "fields": []string{"giam-ngheo"},
		})
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		var v post.View
		if err := json.Unmarshal([]byte(r.body), &v); err != nil {
			t.Fatal(err)
		}
		check(t, "title", v.Title, "Hội nghị tổng kết công tác giảm nghèo")
		check(t, "body", v.Body, "Tỷ lệ hộ nghèo giảm")
		check(t, "stored title", f.get("alpha", v.ID).Title, "Hội nghị tổng kết công tác giảm nghèo")
	})
}

// ---- legacy encodings ----------------------------------------------------

func TestLegacyEncodingIsReported(t *testing.T) {
	f := newFixture(t)
	// "Sở Lao động Thương binh và Xã hội" typed with a TCVN3 (ABC) font and
	// pasted as Latin-1 (the soft hyphen is how "ư" arrives).
	const tcvn3 = "Së Lao ®éng Th\u00ad¬ng binh vµ X· héi"
	cases := []struct {
		name string
		in   post.Input
		part string
	}{
		{"in the title", post.Input{Title: tcvn3 + " tæ chøc héi nghÞ", Summary: goodSummary, Body: goodBody, Fields: []string{goodField}}, lint.PartTitle},
		{"in the summary", post.Input{Title: "Hội nghị triển khai nhiệm vụ năm 2026", Summary: tcvn3 + " tæ chøc héi nghÞ triÓn khai nhiÖm vô.", Body: goodBody, Fields: []string{goodField}}, lint.PartSummary},
		{"in the body", post.Input{Title: "Hội nghị triển khai nhiệm vụ năm 2027", Summary: goodSummary, Body: "<p>" + tcvn3 + " tæ chøc héi nghÞ triÓn khai nhiÖm vô n¨m 2026.</p>", Fields: []string{goodField}}, lint.PartBody},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			p := f.create("alpha/contributor", tt.in)
			var got *lint.Finding
			for _, x := range f.a.Posts.Findings(f.get("alpha", p.ID)) {
				if x.Rule == "legacy-encoding" {
					got = &x
					break
				}
			}
			if got == nil {
				t.Fatalf("no legacy-encoding finding; findings: %v", ruleIDs(f.a.Posts.Findings(p), ""))
			}
			if got.Severity != lint.Error || got.Part != tt.part {
				t.Errorf("finding %+v, want an error in %s", *got, tt.part)
			}
			if !strings.Contains(got.Suggestion, "Sở Lao động") {
				t.Errorf("suggestion %q does not decode the text", got.Suggestion)
			}
			// It blocks submission.
			_, err := f.a.Posts.Transition(f.ctx, f.T["alpha"], f.actor("alpha/contributor"), p.ID, post.TransitionInput{To: post.StatusSubmitted})
			var le *post.LintError
			if !errors.As(err, &le) || !slices.Contains(ruleIDs(le.Findings, lint.Error), "legacy-encoding") {
				t.Errorf("submit: %v, want a lint error naming legacy-encoding", err)
			}
			if s := f.get("alpha", p.ID); s.Status != post.StatusDraft || s.LintErrors == 0 {
				t.Errorf("after refused submit: status %s, lint_errors %d", s.Status, s.LintErrors)
			}
		})
	}
	t.Run("the API lists it on the item", func(t *testing.T) {
		r := fetch(t, f.a, http.MethodPost, adminHost, "/api/v1/tenants/alpha/posts", f.m("alpha/contributor").Token, map[string]any{
			"title": tcvn3, "summary": goodSummary, "body": goodBody, "fields": []string{goodField},
		})
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		var v post.View
		if err := json.Unmarshal([]byte(r.body), &v); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(ruleIDs(v.Lint, lint.Error), "legacy-encoding") {
			t.Errorf("lint in the API answer: %+v", v.Lint)
		}
	})
	t.Run("proper Unicode is not reported", func(t *testing.T) {
		p := f.create("alpha/contributor", goodInput("Sở Lao động Thương binh và Xã hội tổ chức hội nghị"))
		if ids := ruleIDs(f.a.Posts.Findings(p), ""); slices.Contains(ids, "legacy-encoding") {
			t.Errorf("legacy-encoding reported on Unicode text: %v", ids)
		}
	})
}

// ---- slugs ---------------------------------------------------------------

func TestSlugs(t *testing.T) {
	f := newFixture(t)
	const title = "Đoàn công tác Sở Lao động – Thương binh và Xã hội thăm Đắk Lắk"
	const want = "doan-cong-tac-so-lao-dong-thuong-binh-va-xa-hoi-tham-dak-lak"
	var first *post.Post
	t.Run("diacritics dropped, đ becomes d", func(t *testing.T) {
		first = f.create("alpha/contributor", goodInput(title))
		if first.Slug != want {
			t.Errorf("slug = %q, want %q", first.Slug, want)
		}
	})
	t.Run("unique per tenant", func(t *testing.T) {
		second := f.create("alpha/contributor2", goodInput(title))
		third := f.create("alpha/editor", goodInput(title))
		if second.Slug != want+"-2" || third.Slug != want+"-3" {
			t.Errorf("slugs %q, %q; want %q, %q", second.Slug, third.Slug, want+"-2", want+"-3")
		}
	})
	t.Run("another tenant may use the same slug", func(t *testing.T) {
		if p := f.create("beta/contributor", goodInput(title)); p.Slug != want {
			t.Errorf("beta slug = %q, want %q", p.Slug, want)
		}
	})
	t.Run("a title without letters gets a slug", func(t *testing.T) {
		p := f.create("alpha/contributor", goodInput("“…” – !!!"))
		if p.Slug == "" || strings.Trim(p.Slug, "-") != p.Slug {
			t.Errorf("slug = %q", p.Slug)
		}
	})
	t.Run("a draft's slug follows its title", func(t *testing.T) {
		p := f.create("alpha/contributor", goodInput("Tiêu đề tạm thời của bản nháp"))
		in := post.InputOf(p)
		in.Title = "Tiêu đề chính thức của bản nháp"
		up, err := f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/contributor"), p.ID, p.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		if up.Slug != "tieu-de-chinh-thuc-cua-ban-nhap" {
			t.Errorf("slug after edit = %q", up.Slug)
		}
	})
	t.Run("editing without changing the title keeps the slug", func(t *testing.T) {
		up, err := f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/contributor"), first.ID, first.Version, goodInput(title))
		if err != nil {
			t.Fatal(err)
		}
		if up.Slug != want {
			t.Errorf("slug after an edit of the body = %q, want %q (it must not collide with itself)", up.Slug, want)
		}
	})
	t.Run("stable after publication", func(t *testing.T) {
		p := f.published("alpha", goodInput("Khai giảng lớp đào tạo nghề hàn"))
		slug := p.Slug
		in := post.InputOf(p)
		in.Title = "Khai giảng lớp đào tạo nghề hàn điện khóa 2"
		up, err := f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/editor"), p.ID, p.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		if up.Slug != slug {
			t.Errorf("slug changed after publication: %q → %q", slug, up.Slug)
		}
		f.publishEdition("alpha", p.ID, "alpha/editor")
		pg := f.public("alpha", "/bai-viet/"+slug)
		if pg.status != http.StatusOK || !strings.Contains(pg.body, "khóa 2") {
			t.Errorf("old address: %d, shows new title: %v", pg.status, strings.Contains(pg.body, "khóa 2"))
		}
		if pg := f.public("alpha", "/bai-viet/khai-giang-lop-dao-tao-nghe-han-dien-khoa-2"); pg.status != http.StatusNotFound {
			t.Errorf("a slug made from the new title answers %d", pg.status)
		}
		// Withdrawn and put back to draft, then edited: still the same address.
		f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusWithdrawn, Note: "Sai số liệu"})
		f.step("alpha/editor", p.ID, post.TransitionInput{To: post.StatusDraft})
		cur := f.get("alpha", p.ID)
		in.Title = "Khai giảng lớp đào tạo nghề hàn điện, bản sửa"
		up, err = f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/editor"), p.ID, cur.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		if up.Slug != slug {
			t.Errorf("slug changed after withdrawal and edit: %q → %q", slug, up.Slug)
		}
	})
	t.Run("a new item does not take a published item's slug", func(t *testing.T) {
		p := f.create("alpha/contributor", goodInput("Khai giảng lớp đào tạo nghề hàn"))
		if p.Slug == "khai-giang-lop-dao-tao-nghe-han" {
			t.Errorf("new item took the published item's slug %q", p.Slug)
		}
	})
}

// ---- revisions -----------------------------------------------------------

func TestRevisions(t *testing.T) {
	f := newFixture(t)
	alpha := f.T["alpha"]
	before := time.Now().Add(-time.Second)
	p := f.create("alpha/contributor", goodInput("Bản đầu tiên của bài viết"))
	in := post.InputOf(p)
	in.Title = "Bản thứ hai của bài viết"
	in.Body = "<p>Nội dung bản thứ hai.</p>"
	p2, err := f.a.Posts.Update(f.ctx, alpha, f.actor("alpha/contributor"), p.ID, p.Version, in)
	if err != nil {
		t.Fatal(err)
	}
	f.step("alpha/contributor", p.ID, post.TransitionInput{To: post.StatusSubmitted})
	in.Title = "Bản thứ ba của bài viết do biên tập viên sửa"
	p3, err := f.a.Posts.Update(f.ctx, alpha, f.actor("alpha/editor"), p.ID, p2.Version, in)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now().Add(time.Second)

	t.Run("every save is a revision with actor and time", func(t *testing.T) {
		revs, err := post.Revisions(f.ctx, f.db, alpha.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 3 {
			t.Fatalf("%d revisions, want 3", len(revs))
		}
		want := []struct {
			n     int
			kind  string
			title string
			actor string
		}{
			{3, "save", "Bản thứ ba của bài viết do biên tập viên sửa", f.m("alpha/editor").ID},
			{2, "save", "Bản thứ hai của bài viết", f.m("alpha/contributor").ID},
			{1, "create", "Bản đầu tiên của bài viết", f.m("alpha/contributor").ID},
		}
		for i, w := range want {
			r := revs[i]
			if r.Number != w.n || r.Kind != w.kind || r.Title != w.title || r.ActorID != w.actor {
				t.Errorf("revision %d = {%d %s %q by %s}, want {%d %s %q by %s}", i, r.Number, r.Kind, r.Title, r.ActorID, w.n, w.kind, w.title, w.actor)
			}
			if r.CreatedAt.Before(before) || r.CreatedAt.After(after) {
				t.Errorf("revision %d created at %v, not during the test", r.Number, r.CreatedAt)
			}
		}
		if strings.TrimSpace(revs[1].Body) != "<p>Nội dung bản thứ hai.</p>" || strings.TrimSpace(revs[2].Body) != goodBody {
			t.Errorf("revision bodies %q, %q", revs[1].Body, revs[2].Body)
		}
		if p3.Version != 3 {
			t.Errorf("version %d after two edits, want 3", p3.Version)
		}
	})
	t.Run("revisions through the API", func(t *testing.T) {
		r := fetch(t, f.a, http.MethodGet, adminHost, "/api/v1/tenants/alpha/posts/"+p.ID+"/revisions", f.m("alpha/editor").Token, nil)
		if r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
		var got struct {
			Items []struct {
				Number  int    `json:"number"`
				Kind    string `json:"kind"`
				ActorID string `json:"actor_id"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(r.body), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Items) != 3 || got.Items[0].Number != 3 || got.Items[0].ActorID != f.m("alpha/editor").ID {
			t.Errorf("revisions: %+v", got.Items)
		}
		if r := fetch(t, f.a, http.MethodGet, adminHost, "/api/v1/tenants/alpha/posts/"+p.ID+"/revisions", f.m("beta/editor").Token, nil); r.status != http.StatusNotFound {
			t.Errorf("another tenant's editor reads revisions: %d", r.status)
		}
	})
	t.Run("restore makes an old text current as a new revision", func(t *testing.T) {
		got, err := f.a.Posts.Restore(f.ctx, alpha, f.actor("alpha/editor"), p.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Bản đầu tiên của bài viết" || strings.TrimSpace(got.Body) != goodBody || got.Version != 4 {
			t.Errorf("after restore: %q %q version %d", got.Title, got.Body, got.Version)
		}
		revs, err := post.Revisions(f.ctx, f.db, alpha.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 4 || revs[0].Number != 4 || revs[0].Title != "Bản đầu tiên của bài viết" || revs[0].ActorID != f.m("alpha/editor").ID {
			t.Errorf("newest revision after restore: %+v", revs[0])
		}
		if revs[0].Kind != "restore" {
			// post.Revision documents the kinds create, save, conflict, restore.
			t.Logf("NOTE: a restore is recorded as kind %q, not \"restore\", and does not say which revision it restored", revs[0].Kind)
		}
		// The restored-over text is still there.
		if revs[1].Title != "Bản thứ ba của bài viết do biên tập viên sửa" {
			t.Errorf("revision 3 changed: %q", revs[1].Title)
		}
		if s := f.get("alpha", p.ID); s.Title != "Bản đầu tiên của bài viết" || !slices.Equal(s.Fields, []string{goodField}) {
			t.Errorf("stored after restore: %q fields %v", s.Title, s.Fields)
		}
	})
	t.Run("restore of a missing revision is not found", func(t *testing.T) {
		_, err := f.a.Posts.Restore(f.ctx, alpha, f.actor("alpha/editor"), p.ID, 99)
		if !errs.Is(err, errs.KindNotFound) {
			t.Errorf("restore 99: %v", err)
		}
	})
	t.Run("restore obeys who may edit", func(t *testing.T) {
		// The item is submitted: its contributor may no longer edit it.
		_, err := f.a.Posts.Restore(f.ctx, alpha, f.actor("alpha/contributor"), p.ID, 2)
		if !errs.Is(err, errs.KindForbidden) {
			t.Errorf("contributor restores a submitted item: %v", err)
		}
		_, err = f.a.Posts.Restore(f.ctx, f.T["beta"], f.actor("beta/editor"), p.ID, 2)
		if !errs.Is(err, errs.KindNotFound) {
			t.Errorf("beta editor restores an alpha item: %v", err)
		}
	})
}

// TestWritesRunAfterWriteInTheirTransaction checks that a failing hook
// undoes the write it follows: no item, no revision.
func TestWritesRunAfterWriteInTheirTransaction(t *testing.T) {
	f := newFixture(t)
	var calls atomic.Int32
	failing := &post.Service{DB: f.db, Sanitizer: f.a.Posts.Sanitizer, AfterWrite: []func(context.Context, bun.Tx, *post.Post, string) error{
		func(context.Context, bun.Tx, *post.Post, string) error {
			calls.Add(1)
			return fmt.Errorf("hook refuses")
		},
	}}
	_, err := failing.Create(f.ctx, f.T["alpha"], f.actor("alpha/contributor"), goodInput("Bài không được lưu"))
	if err == nil || calls.Load() != 1 {
		t.Fatalf("create with a failing hook: err %v, %d calls", err, calls.Load())
	}
	ps, err := post.List(f.ctx, f.db, f.T["alpha"].ID, post.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Errorf("%d items saved although the hook failed", len(ps))
	}
}
