package site_test

// The page cache in front of the public site: what a reader gets after
// each kind of change, and who is never served from it.

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
)

func (f *fixture) do(method, host, path string, header map[string]string) page {
	f.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.Host = host
	req.RequestURI = ""
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := f.a.HTTP.Test(req, -1)
	if err != nil {
		f.t.Fatalf("%s %s%s: %v", method, host, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Header, string(b)}
}

// cached gets a page twice and checks the second answer came from the
// cache with the same bytes.
func (f *fixture) cached(host, path string) page {
	f.t.Helper()
	first := f.get(host, path)
	second := f.get(host, path)
	if second.header.Get("X-Cache") != "HIT" || second.body != first.body {
		f.t.Fatalf("GET %s%s twice: X-Cache %q then %q, same body %v", host, path,
			first.header.Get("X-Cache"), second.header.Get("X-Cache"), second.body == first.body)
	}
	return second
}

func TestPageCacheNeverStale(t *testing.T) {
	f := newFixture(t)
	p := f.publish(f.alpha, input("Bài đầu tiên trên trang", "tin-tuc-su-kien"))
	if h := f.get("alpha.localhost", "/").header.Get("X-Cache"); h != "MISS" {
		t.Fatalf("first GET: X-Cache %q, want MISS", h)
	}
	f.cached("alpha.localhost", "/")
	f.cached("alpha.localhost", "/bai-viet/"+p.Slug)

	t.Run("publish shows on the next request", func(t *testing.T) {
		q := f.publish(f.alpha, input("Bài vừa xuất bản", "tin-tuc-su-kien"))
		if !strings.Contains(f.get("alpha.localhost", "/").body, "Bài vừa xuất bản") {
			t.Error("home page does not show the item just published")
		}
		if !strings.Contains(f.cached("alpha.localhost", "/").body, q.Title) {
			t.Error("cached home lost the new item")
		}
	})
	t.Run("edit of a published item", func(t *testing.T) {
		if _, err := f.a.DB.NewRaw(`UPDATE posts SET title = 'Tiêu đề đã sửa' WHERE tenant_id = ? AND id = ?`, f.alpha.ID, p.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(f.get("alpha.localhost", "/bai-viet/"+p.Slug).body, "Tiêu đề đã sửa") {
			t.Error("item page shows the old title")
		}
	})
	t.Run("withdraw", func(t *testing.T) {
		f.move(f.alpha, p, post.TransitionInput{To: post.StatusWithdrawn, Note: "Sai số liệu"})
		if !strings.Contains(f.get("alpha.localhost", "/bai-viet/"+p.Slug).body, "Sai số liệu") {
			t.Error("item page does not show the withdrawal notice")
		}
	})
	t.Run("sections", func(t *testing.T) {
		f.cached("alpha.localhost", "/chuyen-muc/tin-tuc-su-kien")
		if _, err := f.a.DB.NewRaw(`UPDATE sections SET name = 'Tin mới đổi tên' WHERE tenant_id = ? AND slug = 'tin-tuc-su-kien'`, f.alpha.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(f.get("alpha.localhost", "/chuyen-muc/tin-tuc-su-kien").body, "Tin mới đổi tên") {
			t.Error("section page shows the old name")
		}
		// A page never cached (signed-in) reads the sections once per
		// generation too: its navigation shows the new name at once.
		f.do(http.MethodGet, "alpha.localhost", "/", map[string]string{"Authorization": "Bearer x"})
		if _, err := f.a.DB.NewRaw(`UPDATE sections SET name = 'Tin đổi lần hai' WHERE tenant_id = ? AND slug = 'tin-tuc-su-kien'`, f.alpha.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if pg := f.do(http.MethodGet, "alpha.localhost", "/", map[string]string{"Authorization": "Bearer x"}); !strings.Contains(pg.body, "Tin đổi lần hai") {
			t.Error("an uncached page shows the section's old name")
		}
	})
	t.Run("a draft never reaches the cache", func(t *testing.T) {
		d := f.draft(f.alpha, input("Bản nháp bí mật", "tin-tuc-su-kien"))
		for range 2 {
			pg := f.get("alpha.localhost", "/bai-viet/"+d.Slug)
			if pg.status != http.StatusNotFound || pg.header.Get("X-Cache") == "HIT" {
				t.Fatalf("draft: %d X-Cache %q", pg.status, pg.header.Get("X-Cache"))
			}
		}
		if strings.Contains(f.cached("alpha.localhost", "/").body, "Bản nháp bí mật") {
			t.Error("a draft is on the cached home page")
		}
	})
	t.Run("suspend, then resume", func(t *testing.T) {
		f.cached("alpha.localhost", "/")
		prov := app.NewProvisioner(f.a.Config, f.a.DB)
		if _, err := prov.Suspend(f.ctx, f.alpha.ID, provisionChange()); err != nil {
			t.Fatal(err)
		}
		if err := f.a.Registry.Refresh(f.ctx); err != nil {
			t.Fatal(err)
		}
		if pg := f.get("alpha.localhost", "/"); pg.status != http.StatusServiceUnavailable {
			t.Errorf("suspended site answers %d (X-Cache %q), want 503", pg.status, pg.header.Get("X-Cache"))
		}
		if _, err := prov.Resume(f.ctx, f.alpha.ID, provisionChange()); err != nil {
			t.Fatal(err)
		}
		if err := f.a.Registry.Refresh(f.ctx); err != nil {
			t.Fatal(err)
		}
		if pg := f.get("alpha.localhost", "/"); pg.status != http.StatusOK {
			t.Errorf("resumed site answers %d", pg.status)
		}
	})
	t.Run("another replica sees a change after its poll", func(t *testing.T) {
		// A change committed by another process: nothing marks this one
		// dirty, so only the poll (Refresh) reveals it.
		f.cached("alpha.localhost", "/")
		other, err := f.a.DB.DB.ExecContext(f.ctx, `UPDATE sections SET name = 'Đổi từ bản sao khác' WHERE tenant_id = '`+f.alpha.ID+`' AND slug = 'tin-tuc-su-kien'`)
		if err != nil || other == nil {
			t.Fatal(err)
		}
		if err := f.a.Generations.Refresh(f.ctx); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(f.get("alpha.localhost", "/").body, "Đổi từ bản sao khác") {
			t.Error("after the poll the home page still shows the old section name")
		}
	})
}

func provisionChange() provision.Change { return provision.Change{Via: "test", Reason: "kiểm thử"} }

func TestPageCacheKeysAndBypass(t *testing.T) {
	f := newFixture(t)
	f.publish(f.alpha, input("Tin riêng của Alpha", "tin-tuc-su-kien"))
	f.publish(f.beta, input("Tin riêng của Beta", "tin-tuc-su-kien"))
	f.cached("alpha.localhost", "/")

	t.Run("hosts never share an entry", func(t *testing.T) {
		for _, host := range []string{"beta.localhost", "BETA.LOCALHOST", "beta.localhost:8080", "Beta.Localhost:8080"} {
			pg := f.get(host, "/")
			if !strings.Contains(pg.body, "Tin riêng của Beta") || strings.Contains(pg.body, "Tin riêng của Alpha") {
				t.Errorf("Host %s got another tenant's home (X-Cache %q)", host, pg.header.Get("X-Cache"))
			}
		}
		if pg := f.get("alpha.localhost:8080", "/"); pg.header.Get("X-Cache") != "MISS" {
			t.Errorf("alpha with a port: X-Cache %q, want its own entry (MISS): pages carry absolute links", pg.header.Get("X-Cache"))
		}
	})
	t.Run("a signed-in request is neither served nor stored", func(t *testing.T) {
		for _, h := range []map[string]string{{"Cookie": account.CookieName + "=abc"}, {"Authorization": "Bearer x"}} {
			pg := f.do(http.MethodGet, "alpha.localhost", "/chuyen-muc/chinh-sach-phap-luat", h)
			if pg.header.Get("X-Cache") != "" {
				t.Errorf("%v: X-Cache %q", h, pg.header.Get("X-Cache"))
			}
		}
		if h := f.get("alpha.localhost", "/chuyen-muc/chinh-sach-phap-luat").header.Get("X-Cache"); h != "MISS" {
			t.Errorf("anonymous after signed-in: X-Cache %q, want MISS", h)
		}
	})
	t.Run("304 for a matching If-None-Match", func(t *testing.T) {
		pg := f.cached("alpha.localhost", "/")
		etag := pg.header.Get("ETag")
		if etag == "" || pg.header.Get("Last-Modified") == "" {
			t.Fatalf("no ETag/Last-Modified: %v", pg.header)
		}
		if nm := f.do(http.MethodGet, "alpha.localhost", "/", map[string]string{"If-None-Match": etag}); nm.status != http.StatusNotModified || nm.body != "" {
			t.Errorf("If-None-Match %s: %d with %d bytes", etag, nm.status, len(nm.body))
		}
		if nm := f.do(http.MethodGet, "alpha.localhost", "/", map[string]string{"If-None-Match": `"other"`}); nm.status != http.StatusOK {
			t.Errorf("other ETag: %d", nm.status)
		}
	})
	t.Run("gzip variant kept once", func(t *testing.T) {
		plain := f.cached("alpha.localhost", "/")
		gz := f.do(http.MethodGet, "alpha.localhost", "/", map[string]string{"Accept-Encoding": "gzip, br"})
		if gz.header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q", gz.header.Get("Content-Encoding"))
		}
		r, err := gzip.NewReader(bytes.NewReader([]byte(gz.body)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		if string(b) != plain.body {
			t.Error("gzip variant differs from the page")
		}
		if !strings.Contains(gz.header.Get("Vary"), "Accept-Encoding") {
			t.Error("no Vary: Accept-Encoding")
		}
	})
	// A hit replays the headers the page was rendered with (the security
	// headers among them): only the request id, the date and X-Cache
	// may differ, and no header is sent twice.
	t.Run("a hit answers with the render's headers", func(t *testing.T) {
		path := "/chuyen-muc/tin-tuc-su-kien"
		miss, hit := f.get("alpha.localhost", path), f.get("alpha.localhost", path)
		if miss.header.Get("X-Cache") != "MISS" || hit.header.Get("X-Cache") != "HIT" {
			t.Fatalf("X-Cache %q then %q", miss.header.Get("X-Cache"), hit.header.Get("X-Cache"))
		}
		for _, name := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Content-Type", "Etag"} {
			if len(hit.header.Values(name)) != 1 {
				t.Errorf("hit: %s sent %d times", name, len(hit.header.Values(name)))
			}
		}
		if id := hit.header.Values("X-Request-Id"); len(id) != 1 || id[0] == miss.header.Get("X-Request-Id") {
			t.Errorf("hit's X-Request-Id %q, the render's %q: want one of its own", id, miss.header.Get("X-Request-Id"))
		}
		for name, values := range miss.header {
			switch name {
			case "X-Request-Id", "Date", "X-Cache":
				continue
			}
			if got := hit.header.Values(name); strings.Join(got, "\n") != strings.Join(values, "\n") {
				t.Errorf("%s: the render sent %q, the hit %q", name, values, got)
			}
		}
		for name := range hit.header {
			if _, ok := miss.header[name]; !ok {
				t.Errorf("the hit sends %s, the render did not", name)
			}
		}
	})
	t.Run("HEAD from the cache", func(t *testing.T) {
		f.cached("alpha.localhost", "/")
		pg := f.do(http.MethodHead, "alpha.localhost", "/", nil)
		if pg.status != http.StatusOK || pg.header.Get("X-Cache") != "HIT" || pg.body != "" {
			t.Errorf("HEAD: %d X-Cache %q body %d bytes", pg.status, pg.header.Get("X-Cache"), len(pg.body))
		}
	})
	t.Run("query strings", func(t *testing.T) {
		f.cached("alpha.localhost", "/chuyen-muc/tin-tuc-su-kien?trang=1")
		if h := f.get("alpha.localhost", "/chuyen-muc/tin-tuc-su-kien?utm_source=zalo&trang=1&fbclid=x").header.Get("X-Cache"); h != "HIT" {
			t.Errorf("tracking parameters: X-Cache %q, want the same entry (HIT)", h)
		}
		for _, path := range []string{"/?x=1", "/?trang=1&zz=2", "/?q=" + strings.Repeat("a", 2000)} {
			for range 2 {
				if h := f.get("alpha.localhost", path).header.Get("X-Cache"); h != "" {
					t.Errorf("%.40s: X-Cache %q, want no caching", path, h)
				}
			}
		}
	})
	t.Run("errors are not cached", func(t *testing.T) {
		for range 2 {
			pg := f.get("alpha.localhost", "/bai-viet/khong-co-bai-nay")
			if pg.status != http.StatusNotFound || pg.header.Get("X-Cache") == "HIT" {
				t.Errorf("404: %d X-Cache %q", pg.status, pg.header.Get("X-Cache"))
			}
		}
		if st := f.a.Pages.Stats(); st.Entries > 20 {
			t.Errorf("%d entries after a handful of pages", st.Entries)
		}
	})
	t.Run("admin host is never cached", func(t *testing.T) {
		for range 2 {
			if h := f.get(f.a.Config.AdminHost, "/login").header.Get("X-Cache"); h != "" {
				t.Errorf("admin host: X-Cache %q", h)
			}
		}
	})
}
