package site_test

// The public pages of a tenant's site, through the whole HTTP application:
// what a reader sees, and what must never appear.

import (
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
	"github.com/trangtin/trangtin/tenants/site"
)

type fixture struct {
	t     testing.TB
	ctx   context.Context
	a     *app.App
	alpha *tenancy.Tenant
	beta  *tenancy.Tenant
	// boss may do everything in every tenant (setup only).
	boss post.Actor
	// clock is the service's clock: each write moves it on by a minute
	// unless a test sets it.
	mu    sync.Mutex
	clock time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(func(string) string { return "" }, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	bdb := dbtest.New(t)
	prov := app.NewProvisioner(cfg, bdb)
	f := &fixture{t: t, ctx: ctx, clock: time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC)}
	for _, in := range []provision.Input{
		{Slug: "so", Name: "Sở Lao động Thử nghiệm", Kind: tenancy.KindDepartment},
		{Slug: "alpha", Name: "Trung tâm Alpha Hà Tĩnh", Kind: tenancy.KindUnit, Parent: "so", Domains: []string{"alpha.gov.vn"}},
		{Slug: "beta", Name: "Trường Beta Nghệ An", Kind: tenancy.KindUnit, Parent: "so"},
	} {
		tn, err := prov.Create(ctx, in)
		if err != nil {
			t.Fatalf("create %s: %v", in.Slug, err)
		}
		switch in.Slug {
		case "alpha":
			f.alpha = tn
		case "beta":
			f.beta = tn
		}
	}
	f.a, err = app.New(ctx, cfg, bdb, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithAccountOptions(account.WithParams(account.TestParams())))
	if err != nil {
		t.Fatal(err)
	}
	f.a.Posts.Now = f.tick
	f.boss = post.Actor{ID: "boss", Can: func(authz.Permission) bool { return true }}
	return f
}

func (f *fixture) tick() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = f.clock.Add(time.Minute)
	return f.clock
}

func (f *fixture) setClock(t time.Time) {
	f.mu.Lock()
	f.clock = t.Add(-time.Minute)
	f.mu.Unlock()
}

func input(title, section string, fields ...string) post.Input {
	if len(fields) == 0 {
		fields = []string{"lao-dong-viec-lam"}
	}
	return post.Input{
		Title: title, Summary: "Tóm tắt của bài “" + title + "”.", Section: section, Fields: fields,
		Body: "<p>Nội dung bài " + title + ".</p>", Byline: "Phóng viên Alpha",
	}
}

func (f *fixture) draft(tn *tenancy.Tenant, in post.Input) *post.Post {
	f.t.Helper()
	p, err := f.a.Posts.Create(f.ctx, tn, f.boss, in)
	if err != nil {
		f.t.Fatalf("create %q: %v", in.Title, err)
	}
	return p
}

func (f *fixture) move(tn *tenancy.Tenant, p *post.Post, in post.TransitionInput) *post.Post {
	f.t.Helper()
	p, err := f.a.Posts.Transition(f.ctx, tn, f.boss, p.ID, in)
	if err != nil {
		f.t.Fatalf("%s → %s: %v", p.Title, in.To, err)
	}
	return p
}

// publish writes and publishes an item through the workflow.
func (f *fixture) publish(tn *tenancy.Tenant, in post.Input) *post.Post {
	f.t.Helper()
	p := f.draft(tn, in)
	f.move(tn, p, post.TransitionInput{To: post.StatusSubmitted})
	f.move(tn, p, post.TransitionInput{To: post.StatusApproved})
	return f.move(tn, p, post.TransitionInput{To: post.StatusPublished})
}

type page struct {
	status int
	header http.Header
	body   string
}

func (f *fixture) get(host, path string) page {
	f.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	req.RequestURI = ""
	res, err := f.a.HTTP.Test(req, -1)
	if err != nil {
		f.t.Fatalf("GET %s%s: %v", host, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Header, string(b)}
}

func (f *fixture) alphaPage(path string) page {
	f.t.Helper()
	pg := f.get("alpha.localhost", path)
	if pg.status != http.StatusOK {
		f.t.Fatalf("GET %s: %d", path, pg.status)
	}
	return pg
}

// between returns the text of s from the first start to the next end after it.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

// order returns the positions of each title in s (-1 when absent).
func order(s string, titles ...string) []int {
	out := make([]int, len(titles))
	for i, t := range titles {
		out[i] = strings.Index(s, t)
	}
	return out
}

func TestHome(t *testing.T) {
	f := newFixture(t)
	var news, policy []*post.Post
	for i := 1; i <= 6; i++ {
		news = append(news, f.publish(f.alpha, input(fmt.Sprintf("Tin hoạt động số %02d", i), "tin-tuc-su-kien")))
		policy = append(policy, f.publish(f.alpha, input(fmt.Sprintf("Chính sách mới số %02d", i), "chinh-sach-phap-luat")))
	}
	f.draft(f.alpha, input("Bản nháp không lên trang chủ", "tin-tuc-su-kien"))
	betaItem := f.publish(f.beta, input("Tin của trường Beta", "tin-tuc-su-kien"))
	home := f.alphaPage("/")

	t.Run("latest items, newest first: a lead and eight cards", func(t *testing.T) {
		latest := between(home.body, `<section aria-labelledby="latest">`, "</section>")
		if latest == "" {
			t.Fatal("no latest block")
		}
		if lead := between(latest, `<article class="lead-item">`, "</article>"); !strings.Contains(lead, policy[5].Title) {
			t.Errorf("the lead is not the newest item: %q", lead)
		}
		if n := strings.Count(latest, `<li class="card">`); n != 8 {
			t.Errorf("%d cards in the latest block, want 8", n)
		}
		// Published in turn news 1, policy 1, news 2, ... policy 6: the
		// newest nine are policy 6 back to policy 2.
		pos := order(latest, policy[5].Title, news[5].Title, policy[4].Title, news[2].Title, policy[1].Title)
		for i := 1; i < len(pos); i++ {
			if pos[i-1] < 0 || pos[i] < 0 || pos[i-1] > pos[i] {
				t.Errorf("latest block order: positions %v", pos)
				break
			}
		}
		if strings.Contains(latest, news[1].Title) || strings.Contains(latest, policy[0].Title) {
			t.Error("the latest block shows more than the nine newest")
		}
	})
	t.Run("a block per section with its newest items", func(t *testing.T) {
		for _, b := range []struct {
			slug, name string
			items      []*post.Post
		}{{"tin-tuc-su-kien", "Tin tức – Sự kiện", news}, {"chinh-sach-phap-luat", "Chính sách – Pháp luật", policy}} {
			block := between(home.body, `<section aria-labelledby="s-`+b.slug+`">`, "</section>")
			if block == "" {
				t.Errorf("no block for %s", b.slug)
				continue
			}
			if !strings.Contains(block, b.name) || !strings.Contains(block, `href="/chuyen-muc/`+b.slug+`"`) {
				t.Errorf("block %s lacks its heading link", b.slug)
			}
			// The newest is a card, the next three are headlines.
			if n := strings.Count(block, `<li class="card">`); n != 1 {
				t.Errorf("block %s has %d cards, want 1", b.slug, n)
			}
			if n := strings.Count(between(block, `<ul class="headlines">`, "</ul>"), "<li>"); n != 3 {
				t.Errorf("block %s has %d headlines, want 3", b.slug, n)
			}
			if !strings.Contains(block, b.items[5].Title) || strings.Contains(block, b.items[0].Title) {
				t.Errorf("block %s does not hold the newest four", b.slug)
			}
			// Newest first: the items published last come first.
			var pos []int
			for i := 5; i >= 2; i-- {
				pos = append(pos, strings.Index(block, ">"+b.items[i].Title+"</a>"))
			}
			if !slices.IsSorted(pos) || pos[0] < 0 {
				t.Errorf("block %s order: positions %v of the newest four, newest first", b.slug, pos)
			}
			other := news
			if b.slug == "tin-tuc-su-kien" {
				other = policy
			}
			for _, o := range other {
				if strings.Contains(block, o.Title) {
					t.Errorf("block %s shows %q of another section", b.slug, o.Title)
				}
			}
		}
		if strings.Contains(home.body, `aria-labelledby="s-gioi-thieu"`) {
			t.Error("a section without items has a block")
		}
	})
	t.Run("teasers link to the item with its date", func(t *testing.T) {
		p := policy[5]
		if !strings.Contains(home.body, `href="/bai-viet/`+p.Slug+`"`) {
			t.Error("no link to the item")
		}
		if !strings.Contains(home.body, p.PublishedAt.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006")) {
			t.Error("no dd/mm/yyyy date")
		}
	})
	t.Run("nothing else", func(t *testing.T) {
		for _, bad := range []string{"Bản nháp không lên trang chủ", betaItem.Title, "Trường Beta Nghệ An"} {
			if strings.Contains(home.body, bad) {
				t.Errorf("home shows %q", bad)
			}
		}
	})
	t.Run("beta's home shows only beta", func(t *testing.T) {
		pg := f.get("beta.localhost", "/")
		if !strings.Contains(pg.body, betaItem.Title) {
			t.Error("beta's item missing")
		}
		for _, p := range append(news, policy...) {
			if strings.Contains(pg.body, p.Title) {
				t.Errorf("beta's home shows alpha's %q", p.Title)
			}
		}
	})
	t.Run("an empty site says so", func(t *testing.T) {
		pg := f.get("so.localhost", "/")
		if pg.status != http.StatusOK || strings.Contains(pg.body, `<li class="card">`) {
			t.Errorf("empty home: %d", pg.status)
		}
	})
}

func TestSectionPagination(t *testing.T) {
	f := newFixture(t)
	const total = 45
	var items []*post.Post
	for i := 1; i <= total; i++ {
		items = append(items, f.publish(f.alpha, input(fmt.Sprintf("Văn bản hướng dẫn số %03d", i), "van-ban-phap-luat")))
	}
	f.publish(f.alpha, input("Tin ở chuyên mục khác", "tin-tuc-su-kien"))
	f.draft(f.alpha, input("Bản nháp trong chuyên mục văn bản", "van-ban-phap-luat"))
	// Newest first: page 1 holds 045..026, page 2 025..006, page 3 005..001.
	pages := []struct {
		query      string
		first, end int // item numbers shown, inclusive, descending
		label      string
		prev, next string
	}{
		{"", 45, 26, "Trang 1/3", "", "/chuyen-muc/van-ban-phap-luat?trang=2"},
		{"?trang=2", 25, 6, "Trang 2/3", "/chuyen-muc/van-ban-phap-luat?trang=1", "/chuyen-muc/van-ban-phap-luat?trang=3"},
		{"?trang=3", 5, 1, "Trang 3/3", "/chuyen-muc/van-ban-phap-luat?trang=2", ""},
	}
	for _, pgw := range pages {
		t.Run("page "+pgw.label, func(t *testing.T) {
			pg := f.alphaPage("/chuyen-muc/van-ban-phap-luat" + pgw.query)
			if n := strings.Count(pg.body, `<li class="card">`); n != pgw.first-pgw.end+1 {
				t.Errorf("%d items, want %d", n, pgw.first-pgw.end+1)
			}
			for i := 1; i <= total; i++ {
				shown := strings.Contains(pg.body, items[i-1].Title)
				if want := i <= pgw.first && i >= pgw.end; shown != want {
					t.Errorf("item %03d shown %v, want %v", i, shown, want)
				}
			}
			if !strings.Contains(pg.body, pgw.label) {
				t.Errorf("no %q", pgw.label)
			}
			if pgw.prev != "" && !strings.Contains(pg.body, `rel="prev" href="`+pgw.prev+`"`) {
				t.Errorf("no prev link to %s", pgw.prev)
			}
			if pgw.prev == "" && strings.Contains(pg.body, `rel="prev"`) {
				t.Error("a prev link on the first page")
			}
			if pgw.next != "" && !strings.Contains(pg.body, `rel="next" href="`+pgw.next+`"`) {
				t.Errorf("no next link to %s", pgw.next)
			}
			if pgw.next == "" && strings.Contains(pg.body, `rel="next"`) {
				t.Error("a next link on the last page")
			}
			for _, bad := range []string{"Tin ở chuyên mục khác", "Bản nháp trong chuyên mục văn bản"} {
				if strings.Contains(pg.body, bad) {
					t.Errorf("shows %q", bad)
				}
			}
			if !strings.Contains(pg.body, "<h1>Văn bản pháp luật</h1>") {
				t.Error("no section heading")
			}
		})
	}
	t.Run("a page beyond the last is empty, not an error", func(t *testing.T) {
		pg := f.alphaPage("/chuyen-muc/van-ban-phap-luat?trang=9")
		if strings.Contains(pg.body, `<li class="card">`) {
			t.Error("items on page 9")
		}
	})
	t.Run("a bad page number is page 1", func(t *testing.T) {
		for _, q := range []string{"?trang=abc", "?trang=0", "?trang=-3"} {
			pg := f.alphaPage("/chuyen-muc/van-ban-phap-luat" + q)
			if !strings.Contains(pg.body, items[44].Title) || !strings.Contains(pg.body, "Trang 1/3") {
				t.Errorf("%s is not page 1", q)
			}
		}
	})
	t.Run("an unknown section is 404", func(t *testing.T) {
		if pg := f.get("alpha.localhost", "/chuyen-muc/khong-co"); pg.status != http.StatusNotFound {
			t.Errorf("%d", pg.status)
		}
	})
	t.Run("another tenant's section of the same slug lists nothing of alpha", func(t *testing.T) {
		pg := f.get("beta.localhost", "/chuyen-muc/van-ban-phap-luat")
		if pg.status != http.StatusOK || strings.Contains(pg.body, "Văn bản hướng dẫn số") {
			t.Errorf("%d, shows alpha's items: %v", pg.status, strings.Contains(pg.body, "Văn bản hướng dẫn số"))
		}
	})
}

// TestFieldSectionPagination: a field's section (/chuyen-muc/<field>)
// lists the published items of the field, whatever their section, newest
// first, a page at a time, with the count the pages are numbered from;
// not other fields' items, drafts or withdrawn items, nor another
// tenant's.
func TestFieldSectionPagination(t *testing.T) {
	f := newFixture(t)
	const total = 25
	var items []*post.Post
	sections := []string{"tin-tuc-su-kien", "van-ban-phap-luat"}
	for i := 1; i <= total; i++ {
		items = append(items, f.publish(f.alpha, input(fmt.Sprintf("Chăm sóc trẻ em, bài %03d", i), sections[i%2], "tre-em")))
		if i%5 == 0 {
			f.publish(f.alpha, input(fmt.Sprintf("Tin lĩnh vực khác %03d", i), sections[i%2], "giam-ngheo"))
		}
	}
	gone := f.publish(f.alpha, input("Tin trẻ em đã gỡ", "tin-tuc-su-kien", "tre-em"))
	f.move(f.alpha, gone, post.TransitionInput{To: post.StatusWithdrawn, Note: "Trùng lặp"})
	f.draft(f.alpha, input("Bản nháp về trẻ em", "tin-tuc-su-kien", "tre-em"))
	// Newest first: page 1 holds 025..006, page 2 005..001.
	for _, pgw := range []struct {
		query      string
		first, end int
		label      string
	}{
		{"", 25, 6, "Trang 1/2"},
		{"?trang=2", 5, 1, "Trang 2/2"},
	} {
		t.Run("page "+pgw.label, func(t *testing.T) {
			pg := f.alphaPage("/chuyen-muc/tre-em" + pgw.query)
			if n := strings.Count(pg.body, `<li class="card">`); n != pgw.first-pgw.end+1 {
				t.Errorf("%d items, want %d", n, pgw.first-pgw.end+1)
			}
			var shown []string
			for i := pgw.first; i >= pgw.end; i-- {
				shown = append(shown, items[i-1].Title)
			}
			for i, at := range order(pg.body, shown...) {
				if at < 0 || (i > 0 && at < order(pg.body, shown[i-1])[0]) {
					t.Errorf("%q missing or out of order", shown[i])
				}
			}
			for i := 1; i <= total; i++ {
				if i > pgw.first || i < pgw.end {
					if strings.Contains(pg.body, items[i-1].Title) {
						t.Errorf("item %03d shown on %s", i, pgw.label)
					}
				}
			}
			if !strings.Contains(pg.body, pgw.label) {
				t.Errorf("no %q", pgw.label)
			}
			for _, bad := range []string{"Tin lĩnh vực khác", "Tin trẻ em đã gỡ", "Bản nháp về trẻ em"} {
				if strings.Contains(pg.body, bad) {
					t.Errorf("shows %q", bad)
				}
			}
		})
	}
	t.Run("another tenant's field section lists nothing of alpha", func(t *testing.T) {
		pg := f.get("beta.localhost", "/chuyen-muc/tre-em")
		if pg.status != http.StatusOK || strings.Contains(pg.body, "Chăm sóc trẻ em") {
			t.Errorf("%d, shows alpha's items: %v", pg.status, strings.Contains(pg.body, "Chăm sóc trẻ em"))
		}
	})
}

func TestItemPage(t *testing.T) {
	f := newFixture(t)
	const title = "Trung tâm Alpha trao 120 suất học bổng cho trẻ em khó khăn"
	const summary = "Các suất học bổng trị giá 2 triệu đồng được trao tận tay học sinh."
	ev, err := time.ParseInLocation("02/01/2006", "05/03/2026", time.FixedZone("ICT", 7*3600))
	if err != nil {
		t.Fatal(err)
	}
	in := post.Input{
		Title: title, Summary: summary, Section: "tin-tuc-su-kien",
		Body:      `<h2>Hoàn cảnh các em</h2><p>Nhiều em mồ côi cha mẹ.</p><figure><img src="/media/hoc-bong.jpg" alt="Trao học bổng"><figcaption>Lễ trao học bổng</figcaption></figure>`,
		Fields:    []string{"tre-em", "giam-ngheo"},
		EventDate: &ev, Byline: "Lê Thu Hà", Type: post.TypeArticle,
	}
	// Published at 18:30 UTC on 10/03: 01:30 on 11/03 in Vietnam.
	p := f.draft(f.alpha, in)
	f.move(f.alpha, p, post.TransitionInput{To: post.StatusSubmitted})
	f.move(f.alpha, p, post.TransitionInput{To: post.StatusApproved})
	f.setClock(time.Date(2026, 3, 10, 18, 30, 0, 0, time.UTC))
	p = f.move(f.alpha, p, post.TransitionInput{To: post.StatusPublished})
	if !p.PublishedAt.Equal(time.Date(2026, 3, 10, 18, 30, 0, 0, time.UTC)) {
		t.Fatalf("published at %v", p.PublishedAt)
	}
	pg := f.alphaPage("/bai-viet/" + p.Slug)

	t.Run("title, summary, body, byline", func(t *testing.T) {
		for _, want := range []string{
			"<h1>" + title + "</h1>", summary, "<h2>Hoàn cảnh các em</h2>", "<p>Nhiều em mồ côi cha mẹ.</p>",
			`src="/media/hoc-bong.jpg"`, "<figcaption>Lễ trao học bổng</figcaption>", `<p class="byline">Lê Thu Hà</p>`,
			"<title>" + title + " – Trung tâm Alpha Hà Tĩnh</title>", "Bài",
		} {
			if !strings.Contains(pg.body, want) {
				t.Errorf("page lacks %s", want)
			}
		}
	})
	t.Run("dates in dd/mm/yyyy, Vietnam time", func(t *testing.T) {
		body := html.UnescapeString(pg.body) // html/template writes + as &#43; in attributes
		for _, want := range []string{"01:30 11/03/2026", `datetime="2026-03-11T01:30:00+07:00"`, "Sự kiện ngày 05/03/2026"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %s", want)
			}
		}
		for _, bad := range []string{"10/03/2026", "2026-03-10", "18:30"} {
			if strings.Contains(pg.body, bad) {
				t.Errorf("page shows the UTC date or time %s", bad)
			}
		}
	})
	t.Run("fields with their names and links", func(t *testing.T) {
		fields := between(pg.body, `<p class="fields">`, "</p>")
		for _, want := range []string{`<a href="/chuyen-muc/tre-em">Trẻ em</a>`, `<a href="/chuyen-muc/giam-ngheo">Giảm nghèo</a>`} {
			if !strings.Contains(fields, want) {
				t.Errorf("fields %q lack %s", fields, want)
			}
		}
	})
	t.Run("section breadcrumb", func(t *testing.T) {
		if !strings.Contains(pg.body, `<a href="/chuyen-muc/tin-tuc-su-kien">Tin tức – Sự kiện</a>`) {
			t.Error("no breadcrumb to the section")
		}
	})
	t.Run("Open Graph tags", func(t *testing.T) {
		for _, want := range []string{
			`<meta property="og:title" content="` + title + `">`,
			`<meta property="og:description" content="` + summary + `">`,
			`<meta property="og:type" content="article">`,
			`<meta property="article:published_time" content="2026-03-11T01:30:00+07:00">`,
			`<meta name="description" content="` + summary + `">`,
		} {
			if !strings.Contains(html.UnescapeString(pg.body), want) {
				t.Errorf("page lacks %s", want)
			}
		}
		m := regexp.MustCompile(`<meta property="og:url" content="([^"]*)">`).FindStringSubmatch(pg.body)
		if m == nil {
			t.Fatal("no og:url")
		}
		if !strings.HasSuffix(m[1], "/bai-viet/"+p.Slug) {
			t.Errorf("og:url %q", m[1])
		}
		if !strings.HasPrefix(m[1], "http://alpha.localhost/") && !strings.HasPrefix(m[1], "https://") {
			t.Errorf("BUG: og:url %q is not an absolute URL (Open Graph needs one)", m[1])
		}
	})
	t.Run("print view", func(t *testing.T) {
		pr := f.alphaPage("/bai-viet/" + p.Slug + "?in=1")
		if !strings.Contains(pr.body, `class="item print"`) || !strings.Contains(pr.body, `<meta name="robots" content="noindex">`) {
			t.Error("print view lacks its class or noindex")
		}
		if !strings.Contains(pr.body, title) || !strings.Contains(pr.body, "Nhiều em mồ côi cha mẹ.") {
			t.Error("print view lacks the text")
		}
		if strings.Contains(pg.body, `class="item print"`) || strings.Contains(pg.body, `content="noindex"`) {
			t.Error("the normal view is the print view")
		}
		if !strings.Contains(pg.body, `/bai-viet/`+p.Slug+`?in=1" rel="nofollow">`) {
			t.Error("no link to the print view")
		}
	})
	t.Run("text is escaped", func(t *testing.T) {
		q := f.publish(f.alpha, post.Input{Title: `Tiêu đề có <b>thẻ</b> và "ngoặc"`, Summary: `Sa-pô có <script>alert(1)</script>`, Body: "<p>Nội dung.</p>", Fields: []string{"tre-em"}})
		pg := f.alphaPage("/bai-viet/" + q.Slug)
		if strings.Contains(pg.body, "<b>thẻ</b>") || strings.Contains(pg.body, "<script>alert(1)") {
			t.Error("title or summary rendered as HTML")
		}
		if !strings.Contains(pg.body, "&lt;b&gt;thẻ&lt;/b&gt;") {
			t.Error("escaped title missing")
		}
	})
	t.Run("withdrawn: notice and reason", func(t *testing.T) {
		q := f.publish(f.alpha, input("Tin bị gỡ có thông báo", "tin-tuc-su-kien"))
		f.move(f.alpha, q, post.TransitionInput{To: post.StatusWithdrawn, Note: "Thông tin chưa chính xác"})
		pg := f.alphaPage("/bai-viet/" + q.Slug)
		notice := between(pg.body, `<div class="notice" role="note">`, "</div>")
		if !strings.Contains(notice, "Thông tin chưa chính xác") || !strings.Contains(notice, "Thông báo gỡ bài") {
			t.Errorf("notice %q", notice)
		}
		if !strings.Contains(pg.body, "Tin bị gỡ có thông báo") {
			t.Error("withdrawn item lost its title")
		}
		if strings.Contains(f.alphaPage("/bai-viet/"+p.Slug).body, `class="notice"`) {
			t.Error("a published item shows a withdrawal notice")
		}
	})
	t.Run("the field's section lists the item", func(t *testing.T) {
		// The item page links each field to /chuyen-muc/<field code>.
		sec := f.alphaPage("/chuyen-muc/tre-em")
		if !strings.Contains(sec.body, title) {
			t.Error("BUG: /chuyen-muc/tre-em, linked from the item's fields, does not list an item of the field tre-em")
		}
	})
	t.Run("404 for unknown and other tenants' slugs", func(t *testing.T) {
		for _, c := range []struct{ host, path string }{
			{"alpha.localhost", "/bai-viet/khong-co-bai-nay"},
			{"beta.localhost", "/bai-viet/" + p.Slug},
			{"so.localhost", "/bai-viet/" + p.Slug},
		} {
			pg := f.get(c.host, c.path)
			if pg.status != http.StatusNotFound || strings.Contains(pg.body, title) {
				t.Errorf("%s%s: %d", c.host, c.path, pg.status)
			}
		}
	})
}

func TestSearch(t *testing.T) {
	f := newFixture(t)
	a := f.publish(f.alpha, input("Đào tạo nghề cho lao động nông thôn huyện Hương Sơn", "tin-tuc-su-kien"))
	b := f.publish(f.alpha, post.Input{Title: "Hội nghị sơ kết sáu tháng", Summary: "Chi trả trợ cấp ưu đãi người có công đúng hạn.", Body: "<p>Nội dung.</p>", Fields: []string{"nguoi-co-cong"}})
	d := f.draft(f.alpha, input("Bản nháp về đào tạo nghề chưa được đăng", "tin-tuc-su-kien"))
	sub := f.draft(f.alpha, input("Bài chờ duyệt về đào tạo nghề", "tin-tuc-su-kien"))
	f.move(f.alpha, sub, post.TransitionInput{To: post.StatusSubmitted})
	betaItem := f.publish(f.beta, input("Trường Beta đào tạo nghề may", "tin-tuc-su-kien"))
	un := f.publish(f.alpha, input("Tin đào tạo nghề đã ngừng đăng", "tin-tuc-su-kien"))
	f.move(f.alpha, un, post.TransitionInput{To: post.StatusUnpublished, Note: "Trùng"})

	search := func(t *testing.T, q string) string {
		t.Helper()
		// The matched words are marked: compare the text without marks.
		body := f.alphaPage("/search?q=" + strings.ReplaceAll(q, " ", "+")).body
		return strings.NewReplacer("<mark>", "", "</mark>", "").Replace(body)
	}
	cases := []struct {
		name, q string
		want    []*post.Post
	}{
		{"words with diacritics as in the title", "đào tạo nghề", []*post.Post{a}},
		{"words exactly as in the title, capital first", "Đào tạo nghề", []*post.Post{a}},
		{"a place name", "Hương Sơn", []*post.Post{a}},
		{"words of the summary", "người có công", []*post.Post{b}},
		{"lower case of a capitalised word", "hội nghị", []*post.Post{b}},
		{"upper case ASCII", "NGHỀ", []*post.Post{a}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			body := search(t, tt.q)
			for _, p := range tt.want {
				if !strings.Contains(body, p.Title) {
					t.Errorf("%q does not find %q", tt.q, p.Title)
				}
			}
			for _, bad := range []string{d.Title, sub.Title, betaItem.Title, un.Title} {
				if strings.Contains(body, bad) {
					t.Errorf("%q finds %q", tt.q, bad)
				}
			}
		})
	}
	t.Run("no match says so", func(t *testing.T) {
		if body := search(t, "xyzzy"); !strings.Contains(body, "Không tìm thấy bài viết nào") {
			t.Error("no 'not found' message")
		}
	})
	t.Run("drafts are never found, even by their exact title", func(t *testing.T) {
		for _, p := range []*post.Post{d, sub, un} {
			if body := search(t, p.Title); strings.Contains(body, `href="/bai-viet/`+p.Slug+`"`) {
				t.Errorf("found %q", p.Title)
			}
		}
	})
	t.Run("the query is escaped", func(t *testing.T) {
		body := f.alphaPage(`/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E`).body
		if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;") {
			t.Error("query not escaped")
		}
	})
	t.Run("LIKE wildcards are literal", func(t *testing.T) {
		if body := search(t, "%"); strings.Contains(body, a.Title) {
			t.Error("% matches everything")
		}
		if body := search(t, "_"); strings.Contains(body, a.Title) {
			t.Error("_ matches any character")
		}
	})
	t.Run("without diacritics (not implemented)", func(t *testing.T) {
		if body := search(t, "dao tao nghe"); !strings.Contains(body, a.Title) {
			t.Log("NOTE: search without diacritics does not find the item (accent-insensitive search is not implemented)")
		}
	})
}

func TestFeedAndSitemap(t *testing.T) {
	f := newFixture(t)
	p1 := f.publish(f.alpha, input("Tin thứ nhất & có ký tự <đặc biệt>", "tin-tuc-su-kien"))
	p2 := f.publish(f.alpha, input("Tin thứ hai", "chinh-sach-phap-luat"))
	w := f.publish(f.alpha, input("Tin bị gỡ trong nguồn tin", "tin-tuc-su-kien"))
	f.move(f.alpha, w, post.TransitionInput{To: post.StatusWithdrawn, Note: "Sai"})
	d := f.draft(f.alpha, input("Bản nháp không vào nguồn tin", "tin-tuc-su-kien"))
	f.publish(f.beta, input("Tin của Beta không vào nguồn tin Alpha", "tin-tuc-su-kien"))

	t.Run("feed", func(t *testing.T) {
		pg := f.alphaPage("/feed.xml")
		if ct := pg.header.Get("Content-Type"); !strings.Contains(ct, "rss+xml") {
			t.Errorf("Content-Type %q", ct)
		}
		var rss struct {
			Channel struct {
				Title string `xml:"title"`
				Items []struct {
					Title       string `xml:"title"`
					Link        string `xml:"link"`
					PubDate     string `xml:"pubDate"`
					Description string `xml:"description"`
				} `xml:"item"`
			} `xml:"channel"`
		}
		if err := xml.Unmarshal([]byte(pg.body), &rss); err != nil {
			t.Fatalf("feed is not XML: %v", err)
		}
		if rss.Channel.Title != "Trung tâm Alpha Hà Tĩnh" {
			t.Errorf("channel %q", rss.Channel.Title)
		}
		var titles []string
		for _, it := range rss.Channel.Items {
			titles = append(titles, it.Title)
			if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
				t.Errorf("pubDate %q: %v", it.PubDate, err)
			}
		}
		if len(titles) != 2 || titles[0] != p2.Title || titles[1] != p1.Title {
			t.Errorf("feed items %q, want [%q %q]", titles, p2.Title, p1.Title)
		}
		if rss.Channel.Items[0].Link != "http://alpha.localhost/bai-viet/"+p2.Slug {
			t.Errorf("link %q", rss.Channel.Items[0].Link)
		}
		// A reader renders the description as HTML: the summary's "<đặc
		// biệt>" must reach it as text, not as a tag.
		if d := rss.Channel.Items[1].Description; strings.ContainsAny(d, "<>") || html.UnescapeString(d) != p1.Summary {
			t.Errorf("description %q: as HTML it does not read %q", d, p1.Summary)
		}
		if strings.Contains(pg.body, d.Title) || strings.Contains(pg.body, "Beta") {
			t.Error("feed shows a draft or beta's item")
		}
	})
	t.Run("sitemap", func(t *testing.T) {
		pg := f.alphaPage("/sitemap.xml")
		var sm struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal([]byte(pg.body), &sm); err != nil {
			t.Fatalf("sitemap is not XML: %v", err)
		}
		locs := map[string]bool{}
		for _, u := range sm.URLs {
			locs[u.Loc] = true
		}
		for _, p := range []*post.Post{p1, p2} {
			if !locs["http://alpha.localhost/bai-viet/"+p.Slug] {
				t.Errorf("sitemap lacks %s", p.Slug)
			}
		}
		// A withdrawn item keeps its page (with its notice) but nothing
		// lists it.
		if locs["http://alpha.localhost/bai-viet/"+w.Slug] {
			t.Error("sitemap lists a withdrawn item")
		}
		for _, path := range []string{"/gioi-thieu", "/co-cau-to-chuc", "/lien-he", "/en"} {
			if !locs["http://alpha.localhost"+path] {
				t.Errorf("sitemap lacks %s", path)
			}
		}
		if !locs["http://alpha.localhost/chuyen-muc/tin-tuc-su-kien"] || !locs["http://alpha.localhost/"] {
			t.Error("sitemap lacks the home or a section")
		}
		if strings.Contains(pg.body, d.Slug) || strings.Contains(pg.body, "beta") {
			t.Error("sitemap lists a draft or beta")
		}
	})
	t.Run("on the tenant's own domain the addresses use it", func(t *testing.T) {
		pg := f.get("alpha.gov.vn", "/sitemap.xml")
		if !strings.Contains(pg.body, "<loc>http://alpha.gov.vn/bai-viet/"+p1.Slug+"</loc>") {
			t.Errorf("sitemap on alpha.gov.vn: %s", pg.body)
		}
	})
}

// TestSitePageSize pins the page size the pagination test counts with.
func TestSitePageSize(t *testing.T) {
	if site.PageSize != 20 {
		t.Errorf("PageSize %d: the pagination test assumes 20", site.PageSize)
	}
}
