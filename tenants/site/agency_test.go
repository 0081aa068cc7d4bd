package site_test

// The agency's own pages and what Decree 42/2022 asks every page to carry,
// the home page with pictures, search that people can use, and error pages
// that keep the site around them — as a visitor sees them.

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
	"github.com/trangtin/trangtin/tenants/site"
)

func str(s string) *string { return &s }

// profile fills alpha's Decree 42 profile and English name.
func (f *fixture) profile() {
	f.t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	prov := app.NewProvisioner(cfg, f.a.DB)
	_, err = prov.UpdateProfile(f.ctx, f.alpha.ID, "boss", "127.0.0.1", provision.ProfilePatch{
		NameEN: str("Alpha Employment Centre"),
		Profile: &provision.ProfileInput{
			GoverningBody: str("Sở Lao động Thử nghiệm"), ResponsiblePerson: str("Nguyễn Văn Trách"),
			ResponsibleTitle: str("Giám đốc"), Licence: str("42/GP-TTĐT"), LicenceDate: str("05/04/2019"),
			Address: str("12 Đường Hạc Thành, phường Điện Biên"), Phone: str("0237 385 1234"),
			Email: str("alpha@thanhhoa.gov.vn"), Hotline: str("1900 1234"),
			AddressEN: str("12 Hac Thanh Street, Dien Bien Ward"), AboutEN: str("Finds jobs for workers.\nRuns job fairs."),
		},
	})
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.a.Registry.Refresh(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) get301(host, path string) string {
	f.t.Helper()
	pg := f.get(host, path)
	if pg.status != http.StatusMovedPermanently {
		f.t.Fatalf("GET %s%s: %d, want 301", host, path, pg.status)
	}
	return pg.header.Get("Location")
}

func TestProfileOnEveryPage(t *testing.T) {
	f := newFixture(t)
	f.profile()
	it := f.publish(f.alpha, input("Hội chợ việc làm tháng Ba", "tin-tuc-su-kien"))
	want := []string{"Nguyễn Văn Trách", "42/GP-TTĐT", "05/04/2019", "12 Đường Hạc Thành, phường Điện Biên",
		"0237 385 1234", "alpha@thanhhoa.gov.vn", "1900 1234", "Sở Lao động Thử nghiệm"}
	for _, path := range []string{"/", "/bai-viet/" + it.Slug, "/chuyen-muc/tin-tuc-su-kien", "/search?q=viec", "/gioi-thieu", "/lien-he", "/ban-bien-tap"} {
		footer := between(f.alphaPage(path).body, `<footer class="footer">`, "</footer>")
		for _, w := range want {
			if !strings.Contains(footer, w) {
				t.Errorf("footer of %s lacks %q", path, w)
			}
		}
	}
	t.Run("print view: agency, its address, the item's address and the print date", func(t *testing.T) {
		body := f.alphaPage("/bai-viet/" + it.Slug + "?in=1").body
		head := between(body, `<div class="print-head shown">`, "</div>")
		for _, w := range []string{"Trung tâm Alpha Hà Tĩnh", "12 Đường Hạc Thành", "http://alpha.localhost/bai-viet/" + it.Slug, "Ngày in:"} {
			if !strings.Contains(head, w) {
				t.Errorf("print view lacks %q: %s", w, head)
			}
		}
	})
	t.Run("feed channel", func(t *testing.T) {
		var rss struct {
			Channel struct {
				Description    string `xml:"description"`
				ManagingEditor string `xml:"managingEditor"`
				Copyright      string `xml:"copyright"`
			} `xml:"channel"`
		}
		if err := xml.Unmarshal([]byte(f.alphaPage("/feed.xml").body), &rss); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rss.Channel.Description, "12 Đường Hạc Thành") || rss.Channel.ManagingEditor != "alpha@thanhhoa.gov.vn (Nguyễn Văn Trách)" ||
			!strings.Contains(rss.Channel.Copyright, "42/GP-TTĐT") {
			t.Errorf("channel: %+v", rss.Channel)
		}
	})
	t.Run("contact page", func(t *testing.T) {
		main := between(f.alphaPage("/lien-he").body, `<main`, "</main>")
		for _, w := range []string{"Nguyễn Văn Trách", "12 Đường Hạc Thành, phường Điện Biên", "0237 385 1234", "alpha@thanhhoa.gov.vn", "1900 1234"} {
			if !strings.Contains(main, w) {
				t.Errorf("contact page lacks %q", w)
			}
		}
	})
	t.Run("beta has no profile: its footer shows none of alpha's", func(t *testing.T) {
		if body := f.get("beta.localhost", "/").body; strings.Contains(body, "Nguyễn Văn Trách") || strings.Contains(body, "42/GP-TTĐT") {
			t.Error("beta shows alpha's profile")
		}
	})
}

func TestAgencyPages(t *testing.T) {
	f := newFixture(t)
	f.profile()
	ag := &site.Agency{DB: f.a.DB}
	about := "Tư vấn, giới thiệu việc làm cho người lao động.\nTổ chức phiên giao dịch việc làm."
	if _, err := ag.SaveSettings(f.ctx, f.alpha.ID, "boss", "", site.SettingsInput{About: &about}); err != nil {
		t.Fatal(err)
	}
	for i, l := range []site.LeaderInput{
		{Name: "Lê Thị Giám", Title: "Giám đốc", TitleEN: "Director", Phone: "0912 345 678", Email: "giam@thanhhoa.gov.vn"},
		{Name: "Trần Văn Phó", Title: "Phó Giám đốc", TitleEN: "Deputy Director", Position: 1},
	} {
		if _, err := ag.AddLeader(f.ctx, f.alpha.ID, "boss", "", l); err != nil {
			t.Fatalf("leader %d: %v", i, err)
		}
	}
	t.Run("old sections answer 301", func(t *testing.T) {
		if loc := f.get301("alpha.localhost", "/chuyen-muc/gioi-thieu"); loc != "/gioi-thieu" {
			t.Errorf("Location %q", loc)
		}
		if loc := f.get301("alpha.localhost", "/chuyen-muc/lien-he"); loc != "/lien-he" {
			t.Errorf("Location %q", loc)
		}
	})
	t.Run("about: functions and duties", func(t *testing.T) {
		main := between(f.alphaPage("/gioi-thieu").body, `<main`, "</main>")
		if !strings.Contains(main, "<p>Tư vấn, giới thiệu việc làm cho người lao động.</p>") || !strings.Contains(main, "<p>Tổ chức phiên giao dịch việc làm.</p>") {
			t.Errorf("about page: %s", main)
		}
	})
	t.Run("organisation: leaders in order, with phone and e-mail", func(t *testing.T) {
		main := between(f.alphaPage("/co-cau-to-chuc").body, `<main`, "</main>")
		pos := order(main, "Lê Thị Giám", "Trần Văn Phó")
		if pos[0] < 0 || pos[1] < pos[0] {
			t.Errorf("leaders %v", pos)
		}
		if !strings.Contains(main, `href="tel:0912345678"`) || !strings.Contains(main, "mailto:giam@thanhhoa.gov.vn") {
			t.Error("leader's phone or e-mail missing")
		}
	})
	t.Run("English page", func(t *testing.T) {
		body := f.alphaPage("/en").body
		if !strings.Contains(body, `<html lang="en">`) {
			t.Error(`/en lacks <html lang="en">`)
		}
		main := between(body, `<main`, "</main>")
		for _, w := range []string{"Alpha Employment Centre", "<p>Finds jobs for workers.</p>", "Director", "Deputy Director",
			"12 Hac Thanh Street, Dien Bien Ward", "alpha@thanhhoa.gov.vn", "Functions and duties", "Leaders", "Contact"} {
			if !strings.Contains(main, w) {
				t.Errorf("/en lacks %q", w)
			}
		}
		if footer := between(body, `<footer`, "</footer>"); !strings.Contains(footer, "Responsible for content") || !strings.Contains(footer, "12 Hac Thanh Street") {
			t.Errorf("/en footer is not in English: %s", footer)
		}
		if !strings.Contains(f.alphaPage("/").body, `<html lang="vi">`) {
			t.Error("the Vietnamese pages lost their lang")
		}
	})
	t.Run("unit and Department link both ways", func(t *testing.T) {
		org := between(f.get("so.localhost", "/co-cau-to-chuc").body, `<main`, "</main>")
		for _, w := range []string{`<a href="http://alpha.gov.vn/">Trung tâm Alpha Hà Tĩnh</a>`, `<a href="http://beta.localhost/">Trường Beta Nghệ An</a>`} {
			if !strings.Contains(org, w) {
				t.Errorf("the Department's organisation page lacks %s", w)
			}
		}
		if home := f.get("so.localhost", "/").body; !strings.Contains(home, `href="http://alpha.gov.vn/"`) {
			t.Error("the Department's home does not link to alpha's site")
		}
		if up := f.alphaPage("/co-cau-to-chuc").body; !strings.Contains(up, `<a href="http://so.localhost/">Sở Lao động Thử nghiệm</a>`) {
			t.Error("alpha's organisation page does not link up to the Department")
		}
		if home := f.alphaPage("/").body; !strings.Contains(home, `href="http://so.localhost/"`) {
			t.Error("alpha's home does not link up to the Department")
		}
		if !strings.Contains(f.alphaPage("/lien-he").body, `href="/co-quan-chu-quan"`) {
			t.Error("alpha's footer does not link up")
		}
		pg := f.get("alpha.localhost", "/co-quan-chu-quan")
		if pg.status != http.StatusFound || pg.header.Get("Location") != "http://so.localhost/" {
			t.Errorf("/co-quan-chu-quan: %d %q", pg.status, pg.header.Get("Location"))
		}
		if pg := f.get("so.localhost", "/co-quan-chu-quan"); pg.status != http.StatusNotFound {
			t.Errorf("the Department has no parent, got %d", pg.status)
		}
	})
	t.Run("leader input is checked", func(t *testing.T) {
		if _, err := ag.AddLeader(f.ctx, f.alpha.ID, "boss", "", site.LeaderInput{Name: " "}); err == nil {
			t.Error("a leader without a name was added")
		}
		if _, err := ag.AddLeader(f.ctx, f.alpha.ID, "boss", "", site.LeaderInput{Name: "A", Email: "not an address"}); err == nil {
			t.Error("a bad e-mail was accepted")
		}
		if _, err := ag.AddLeader(f.ctx, f.beta.ID, "boss", "", site.LeaderInput{Name: "B"}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(f.alphaPage("/co-cau-to-chuc").body, "<h3>B</h3>") {
			t.Error("alpha shows beta's leader")
		}
	})
}

func TestWithdrawnLeavesListings(t *testing.T) {
	f := newFixture(t)
	w := f.publish(f.alpha, input("Tin sẽ bị gỡ khỏi trang", "tin-tuc-su-kien", "lao-dong-viec-lam"))
	f.publish(f.alpha, input("Tin còn đăng", "tin-tuc-su-kien", "lao-dong-viec-lam"))
	f.move(f.alpha, w, post.TransitionInput{To: post.StatusWithdrawn, Note: "Thông tin chưa chính xác"})
	for _, path := range []string{"/", "/chuyen-muc/tin-tuc-su-kien", "/chuyen-muc/lao-dong-viec-lam", "/search?q=tin", "/feed.xml", "/sitemap.xml"} {
		body := f.alphaPage(path).body
		if n := strings.Count(body, w.Title); n != 0 {
			t.Errorf("%s lists the withdrawn item %d times", path, n)
		}
		if strings.Contains(body, "/bai-viet/"+w.Slug) {
			t.Errorf("%s links to the withdrawn item", path)
		}
	}
	if !strings.Contains(f.alphaPage("/").body, "Tin còn đăng") {
		t.Error("home lost the published item")
	}
	page := f.alphaPage("/bai-viet/" + w.Slug).body
	if !strings.Contains(page, "Thông báo gỡ bài") || !strings.Contains(page, "Thông tin chưa chính xác") {
		t.Error("the withdrawn item's own page lacks its notice")
	}
}

func TestSearchCountPagingMarks(t *testing.T) {
	f := newFixture(t)
	f.setClock(time.Date(2025, 6, 1, 3, 0, 0, 0, time.UTC))
	oldIn := input("Việc làm cho thanh niên năm ngoái", "chinh-sach-phap-luat")
	oldIn.Type = post.TypeArticle
	old := f.publish(f.alpha, oldIn)
	f.setClock(time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC))
	var items []*post.Post
	for i := 1; i <= 24; i++ {
		items = append(items, f.publish(f.alpha, input(fmt.Sprintf("Sàn giao dịch việc làm phiên %02d", i), "tin-tuc-su-kien")))
	}
	f.publish(f.alpha, input("Tin không liên quan", "tin-tuc-su-kien"))
	f.publish(f.beta, input("Việc làm ở trường Beta", "tin-tuc-su-kien"))

	p1 := f.alphaPage("/search?q=viec+lam").body
	if !strings.Contains(p1, "Tìm thấy <strong>25</strong> kết quả") {
		t.Errorf("no count of 25: %s", between(p1, `<p class="result-count"`, "</p>"))
	}
	if n := strings.Count(p1, `<li class="card">`); n != site.PageSize {
		t.Errorf("page 1 has %d results", n)
	}
	if !strings.Contains(p1, `href="/search?q=viec%20lam&amp;trang=2"`) {
		t.Errorf("no link to page 2: %s", between(p1, `<nav class="pager"`, "</nav>"))
	}
	if !strings.Contains(p1, "Sàn giao dịch <mark>việc làm</mark> phiên 24") {
		t.Error("the words are not marked")
	}
	p2 := f.alphaPage("/search?q=viec+lam&trang=2").body
	if n := strings.Count(p2, `<li class="card">`); n != 5 {
		t.Errorf("page 2 has %d results, want 5", n)
	}
	unmarked := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(p2)
	if !strings.Contains(unmarked, items[0].Title) || !strings.Contains(unmarked, old.Title) || strings.Contains(unmarked, items[23].Title) {
		t.Error("page 2 does not hold the oldest results")
	}
	if strings.Contains(p1+p2, "Beta") || strings.Contains(p1+p2, "Tin không liên quan") {
		t.Error("search shows another tenant's or an unrelated item")
	}
	byYear := f.alphaPage("/search?q=viec+lam&nam=2025").body
	if !strings.Contains(byYear, "Tìm thấy <strong>1</strong> kết quả") {
		t.Error("the year filter does not narrow to 2025")
	}
	bySection := f.alphaPage("/search?q=viec+lam&chuyen-muc=chinh-sach-phap-luat").body
	if !strings.Contains(bySection, "Tìm thấy <strong>1</strong> kết quả") || !strings.Contains(bySection, `<option value="chinh-sach-phap-luat" selected>`) {
		t.Error("the section filter does not narrow")
	}
	byType := f.alphaPage("/search?q=viec+lam&loai=article").body
	if !strings.Contains(byType, "Tìm thấy <strong>1</strong> kết quả") || !strings.Contains(byType, `<option value="article" selected>`) {
		t.Error("the type filter does not narrow to articles")
	}
}

func TestHighlight(t *testing.T) {
	for _, tt := range []struct{ text, q, want string }{
		{"Đào tạo nghề <mới>", "dao tao", "<mark>Đào tạo</mark> nghề &lt;mới&gt;"},
		{"Việc làm và việc nhà", "việc", "<mark>Việc</mark> làm và <mark>việc</mark> nhà"},
		{"Hội nghị sơ kết", "nghi ket", "Hội <mark>nghị</mark> sơ <mark>kết</mark>"},
		{"Không khớp", "xyz", "Không khớp"},
		// Typed with its diacritics, a word marks only itself; typed
		// without, every word that folds alike.
		{"Giáo dục nghề và phiên giao dịch", "giáo dục", "<mark>Giáo dục</mark> nghề và phiên giao dịch"},
		{"Giáo dục nghề và phiên giao dịch", "giao duc", "<mark>Giáo dục</mark> nghề và phiên <mark>giao</mark> dịch"},
		{"Đào tạo, Đảo Mê", "đào", "<mark>Đào</mark> tạo, Đảo Mê"},
	} {
		if got := string(site.Highlight(tt.text, tt.q)); got != tt.want {
			t.Errorf("Highlight(%q, %q) = %q, want %q", tt.text, tt.q, got, tt.want)
		}
	}
}

func TestErrorPagesKeepTheSite(t *testing.T) {
	f := newFixture(t)
	pg := f.get("alpha.localhost", "/khong-co-trang-nay")
	if pg.status != http.StatusNotFound {
		t.Fatalf("status %d", pg.status)
	}
	for _, w := range []string{`<header class="masthead"`, "Trung tâm Alpha Hà Tĩnh", `action="/search"`, `<a href="/">Về trang chủ</a>`, `<footer class="footer">`, `<html lang="vi">`} {
		if !strings.Contains(pg.body, w) {
			t.Errorf("404 page lacks %q", w)
		}
	}
	if pg := f.get("alpha.localhost", "/bai-viet/khong-co"); pg.status != http.StatusNotFound || !strings.Contains(pg.body, `<header class="masthead"`) {
		t.Errorf("missing item: %d, with header %v", pg.status, strings.Contains(pg.body, "masthead"))
	}
	if pg := f.get("khong-co.localhost", "/"); strings.Contains(pg.body, "masthead") {
		t.Error("an unknown host's error page shows a site header")
	}
}

// homeQueryCounter counts the queries a bun.DB runs (before they run).
type homeQueryCounter struct{ n int }

func (q *homeQueryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n++
	return ctx
}
func (q *homeQueryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

// picture stores an image row with two renditions (the objects are not
// needed to render a page).
func (f *fixture) picture(tn *tenancy.Tenant, id string) {
	f.t.Helper()
	now := time.Now().UTC()
	m := &media.Media{TenantID: tn.ID, ID: id, Kind: media.KindImage, ContentType: "image/jpeg", Size: 1000, SHA256: id,
		ObjectKey: tn.ID + "/" + id + ".jpg", Name: "anh.jpg", Width: 1600, Height: 1000, Alt: "Ảnh " + id, CreatedAt: now, UpdatedAt: now}
	if _, err := f.a.DB.NewInsert().Model(m).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	for _, w := range []int{320, 800} {
		r := &media.Rendition{TenantID: tn.ID, MediaID: id, Width: w, Height: w * 10 / 16, Format: "jpg", ObjectKey: fmt.Sprintf("%s/%s-%d.jpg", tn.ID, id, w), Size: 100, CreatedAt: now}
		if _, err := f.a.DB.NewInsert().Model(r).Exec(f.ctx); err != nil {
			f.t.Fatal(err)
		}
	}
}

func TestDepartmentHome(t *testing.T) {
	f := newFixture(t)
	so, _ := f.a.Registry.BySlug("so")
	bdb := f.a.DB
	// Pictures: a featured one on the Department's own item, one in the
	// body of a unit's item (copied with it). A block shows a picture for
	// its newest item only, so the pictured item is the newest of its
	// section.
	f.picture(so, "anh-so-1")
	f.picture(f.alpha, "anh-alpha-1")
	own := f.draft(so, input("Sở tổ chức hội nghị tổng kết", "chien-luoc-ke-hoach"))
	if _, err := f.a.DB.NewUpdate().Table("posts").Set("featured_media_id = ?", "anh-so-1").Where("tenant_id = ? AND id = ?", so.ID, own.ID).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.move(so, own, post.TransitionInput{To: post.StatusSubmitted})
	f.move(so, own, post.TransitionInput{To: post.StatusApproved})
	f.move(so, own, post.TransitionInput{To: post.StatusPublished})
	in := input("Alpha khai giảng lớp nghề may", "tin-tuc-su-kien")
	in.Body = `<p>Lớp học.</p><figure><img src="/media/anh-alpha-1/anh.jpg" alt="Lớp may" width="1600" height="1000"></figure>`
	unitItem := f.publish(f.alpha, in)
	betaItem := f.publish(f.beta, input("Beta đón học sinh mới", "tin-tuc-su-kien"))
	for _, p := range []struct {
		from *tenancy.Tenant
		id   string
	}{{f.alpha, unitItem.ID}, {f.beta, betaItem.ID}} {
		if _, _, err := f.a.Crosspost.Pull(f.ctx, so, f.boss, crosspost.PullInput{Tenant: p.from.Slug, Post: p.id, Publish: true}); err != nil {
			t.Fatalf("pull: %v", err)
		}
	}
	for i := 0; i < 12; i++ {
		f.publish(so, input(fmt.Sprintf("Tin của Sở số %02d", i), "chinh-sach-phap-luat", "nguoi-co-cong"))
	}
	// The newest item of all is a copy: it belongs to the units' block
	// only, however new.
	lateItem := f.publish(f.alpha, input("Alpha gửi tin mới nhất", "tin-tuc-su-kien"))
	if _, _, err := f.a.Crosspost.Pull(f.ctx, so, f.boss, crosspost.PullInput{Tenant: f.alpha.Slug, Post: lateItem.ID, Publish: true}); err != nil {
		t.Fatalf("pull: %v", err)
	}

	// The writes above make the content generations reload once (the page
	// cache's lookup would do it first on an anonymous request): done here
	// so the count is the render's.
	if _, err := f.a.Generations.Of(f.ctx, so.ID); err != nil {
		t.Fatal(err)
	}
	counter := &homeQueryCounter{}
	f.a.Prepared.AddQueryHook(counter)
	// A signed-in request is never served from the page cache: this
	// counts the render.
	home := f.do(http.MethodGet, "so.localhost", "/", map[string]string{"Authorization": "Bearer x"})
	queries := counter.n
	if home.status != http.StatusOK {
		t.Fatalf("status %d", home.status)
	}
	t.Run("the units' latest accepted items", func(t *testing.T) {
		block := between(home.body, `<section aria-labelledby="from-units">`, "</section>")
		for _, w := range []string{unitItem.Title, betaItem.Title, lateItem.Title, "Trung tâm Alpha Hà Tĩnh", "Trường Beta Nghệ An"} {
			if !strings.Contains(block, w) {
				t.Errorf("the units' block lacks %q", w)
			}
		}
		if strings.Contains(block, "Tin của Sở") {
			t.Error("the units' block shows the Department's own items")
		}
		// Newest first, in both lists.
		if i, j, k := strings.Index(block, lateItem.Title), strings.Index(block, betaItem.Title), strings.Index(block, unitItem.Title); i > j || j > k {
			t.Errorf("the units' block is not newest first: %q at %d, %q at %d, %q at %d", lateItem.Title, i, betaItem.Title, j, unitItem.Title, k)
		}
		latest := between(home.body, `<section aria-labelledby="latest">`, "</section>")
		if i, j := strings.Index(latest, "Tin của Sở số 10"), strings.Index(latest, "Tin của Sở số 09"); i < 0 || j < i {
			t.Errorf("the latest news is not newest first: số 10 at %d, số 09 at %d", i, j)
		}
		if latest := between(home.body, `<section aria-labelledby="latest">`, "</section>"); strings.Contains(latest, unitItem.Title) || strings.Contains(latest, lateItem.Title) {
			t.Error("a unit's item shows in the Department's own latest news as well as in the units' block")
		}
		if !strings.Contains(between(home.body, `<article class="lead-item">`, "</article>"), "Tin của Sở số 11") {
			t.Error("the Department's own newest item does not lead")
		}
	})
	t.Run("pictures with srcset", func(t *testing.T) {
		if !strings.Contains(home.body, `srcset="/media/anh-so-1/r/320.jpg 320w, /media/anh-so-1/r/800.jpg 800w, /media/anh-so-1/anh.jpg 1600w"`) {
			t.Error("the featured picture has no srcset")
		}
		if !strings.Contains(home.body, `alt="Ảnh anh-so-1"`) {
			t.Error("the picture has no alt text")
		}
		// An item without a featured picture shows the first of its body.
		if !strings.Contains(f.alphaPage("/").body, `src="/media/anh-alpha-1/anh.jpg" srcset="/media/anh-alpha-1/r/320.jpg 320w`) {
			t.Error("alpha's home lacks the body's picture as the cover")
		}
		// A row written before body_picture existed (NULL) still finds its
		// cover in the body.
		if _, err := bdb.NewUpdate().Table("posts").Set("body_picture = NULL").Where("tenant_id = ? AND id = ?", f.alpha.ID, unitItem.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(f.alphaPage("/").body, `src="/media/anh-alpha-1/anh.jpg" srcset="/media/anh-alpha-1/r/320.jpg 320w`) {
			t.Error("an item without a derived body picture lost its cover")
		}
	})
	t.Run("the blocks follow the order the Department chose", func(t *testing.T) {
		ag := &site.Agency{DB: f.a.DB}
		firstBlocks := func() (string, string) {
			body := f.do(http.MethodGet, "so.localhost", "/", map[string]string{"Authorization": "Bearer x"}).body
			law, people := strings.Index(body, `aria-labelledby="s-chinh-sach-phap-luat"`), strings.Index(body, `aria-labelledby="s-nguoi-co-cong"`)
			if law < 0 || people < 0 {
				t.Fatalf("the home lacks a block: law %d, people %d", law, people)
			}
			if law < people {
				return "chinh-sach-phap-luat", "nguoi-co-cong"
			}
			return "nguoi-co-cong", "chinh-sach-phap-luat"
		}
		first, second := firstBlocks()
		if _, err := ag.SaveSettings(f.ctx, so.ID, "boss", "", site.SettingsInput{BlockOrder: []string{second, first}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := firstBlocks(); got != second {
			t.Errorf("block %q still comes first after the order put %q first", got, second)
		}
	})
	t.Run("query count is bounded", func(t *testing.T) {
		if queries > site.HomeQueries {
			t.Errorf("the home page made %d queries, want at most %d", queries, site.HomeQueries)
		}
		t.Logf("Department home: %d queries", queries)
	})
}

func TestLogoAndFavicon(t *testing.T) {
	f := newFixture(t)
	if pg := f.get("alpha.localhost", "/favicon.ico"); pg.status != http.StatusFound || !strings.HasPrefix(pg.header.Get("Location"), "/static/favicon.svg") {
		t.Errorf("favicon without a logo: %d %q", pg.status, pg.header.Get("Location"))
	}
	f.picture(f.alpha, "logo-alpha")
	f.picture(f.beta, "logo-beta")
	ag := &site.Agency{DB: f.a.DB}
	if err := ag.SetLogo(f.ctx, f.alpha.ID, "boss", "", "logo-beta"); err == nil {
		t.Error("alpha took beta's picture as its logo")
	}
	if err := ag.SetLogo(f.ctx, f.alpha.ID, "boss", "", "logo-alpha"); err != nil {
		t.Fatal(err)
	}
	if err := f.a.Registry.Refresh(f.ctx); err != nil {
		t.Fatal(err)
	}
	body := f.alphaPage("/").body
	if !strings.Contains(body, `<img src="/media/logo-alpha/anh.jpg" alt="" width="56" height="56">`) || !strings.Contains(body, `<link rel="icon" href="/media/logo-alpha/anh.jpg">`) {
		t.Error("the masthead or the icon lacks the logo")
	}
	if pg := f.get("alpha.localhost", "/favicon.ico"); pg.header.Get("Location") != "/media/logo-alpha/anh.jpg" {
		t.Errorf("favicon: %q", pg.header.Get("Location"))
	}
	if strings.Contains(f.get("beta.localhost", "/").body, "logo-alpha") {
		t.Error("beta shows alpha's logo")
	}
}

// TestManyUnitsBoundTheHome gives the Department more units than a page
// links by name: its home links UnitLinks of them and the organisation
// page, where that link leads, lists them all.
func TestManyUnitsBoundTheHome(t *testing.T) {
	f := newFixture(t)
	prov := app.NewProvisioner(f.a.Config, f.a.DB)
	extra := site.UnitLinks + 3
	for i := range extra {
		if _, err := prov.Create(f.ctx, provision.Input{Slug: fmt.Sprintf("don-vi-%02d", i), Name: fmt.Sprintf("Đơn vị số %02d", i),
			Kind: tenancy.KindUnit, Parent: "so"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.a.Registry.Refresh(f.ctx); err != nil {
		t.Fatal(err)
	}
	total := extra + 2 // alpha and beta
	home := f.get("so.localhost", "/")
	if home.status != http.StatusOK {
		t.Fatalf("home: %d", home.status)
	}
	_, units, _ := strings.Cut(home.body, `<ul class="unit-links">`)
	units, _, _ = strings.Cut(units, "</ul>")
	if n := strings.Count(units, "<li>"); n != site.UnitLinks {
		t.Errorf("the home links %d units by name, want %d", n, site.UnitLinks)
	}
	if want := fmt.Sprintf(`href="/co-cau-to-chuc#units">Tất cả đơn vị trực thuộc (%d)</a>`, total); !strings.Contains(home.body, want) {
		t.Errorf("the home has no link to all %d units (%s)", total, want)
	}
	org := f.get("so.localhost", "/co-cau-to-chuc")
	_, units, _ = strings.Cut(org.body, `<ul class="unit-links">`)
	units, _, _ = strings.Cut(units, "</ul>")
	if n := strings.Count(units, "<li>"); n != total {
		t.Errorf("the organisation page lists %d units, want all %d", n, total)
	}
	if !strings.Contains(units, "Đơn vị số 42") || !strings.Contains(units, "Trường Beta Nghệ An") {
		t.Error("the organisation page misses a unit")
	}

	// A suspended unit serves no site: neither linked nor counted.
	if _, err := prov.Suspend(f.ctx, f.beta.ID, provisionChange()); err != nil {
		t.Fatal(err)
	}
	if err := f.a.Registry.Refresh(f.ctx); err != nil {
		t.Fatal(err)
	}
	home = f.get("so.localhost", "/")
	if want := fmt.Sprintf(`href="/co-cau-to-chuc#units">Tất cả đơn vị trực thuộc (%d)</a>`, total-1); !strings.Contains(home.body, want) {
		t.Errorf("with beta suspended the home does not count %d units (%s)", total-1, want)
	}
	org = f.get("so.localhost", "/co-cau-to-chuc")
	_, units, _ = strings.Cut(org.body, `<ul class="unit-links">`)
	units, _, _ = strings.Cut(units, "</ul>")
	if n := strings.Count(units, "<li>"); n != total-1 || strings.Contains(units, "Trường Beta Nghệ An") {
		t.Errorf("with beta suspended the organisation page lists %d units (beta among them: %v), want %d",
			n, strings.Contains(units, "Trường Beta Nghệ An"), total-1)
	}
}
