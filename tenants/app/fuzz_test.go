package app_test

// FuzzForms sends arbitrary text to the public pages and to the console's
// forms, anonymous and signed in: NUL and other control characters, broken
// UTF-8, markup, huge fields. Whatever arrives, the answer is never a 5xx
// (a refusal is a 4xx; PostgreSQL used to answer 500 to a NUL). The seed
// corpus below runs with every `go test`, on both dialects; `go test
// -fuzz FuzzForms ./tenants/app/` explores further.

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/tenants/post"
)

// fuzzRoute is one form or page, filled with two fuzzed values.
type fuzzRoute struct {
	name string
	who  string // "" anonymous, else the isoWorld person signed in
	host string // "" the admin host
	send func(v *visitor, a, b string) isoReply
}

func fuzzRoutes(itemPath, slugA string) []fuzzRoute {
	get := func(path string) func(v *visitor, a, b string) isoReply {
		return func(v *visitor, a, b string) isoReply {
			// A request line over the server's 16 KB read buffer never
			// reaches a handler (fasthttp answers 431 itself).
			a, b = clip(a, 1500), clip(b, 1500)
			return v.do(http.MethodGet, strings.NewReplacer("{a}", url.QueryEscape(a), "{p}", url.PathEscape(a), "{b}", url.QueryEscape(b)).Replace(path), nil)
		}
	}
	form := func(path string, fields func(a, b string) url.Values) func(v *visitor, a, b string) isoReply {
		return func(v *visitor, a, b string) isoReply {
			f := fields(a, b)
			if v.csrfToken != "" {
				f.Set("_csrf", v.csrfToken)
			}
			return v.do(http.MethodPost, path, f)
		}
	}
	tenant := "/t/" + slugA
	return []fuzzRoute{
		{"public search", "", "anhdao.gov.vn", get("/search?q={a}&trang={b}")},
		{"public item", "", "anhdao.gov.vn", get("/bai-viet/{p}?in={b}")},
		{"public section", "", "anhdao.gov.vn", get("/chuyen-muc/{p}?trang={b}")},
		{"login", "", "", form("/login", func(a, b string) url.Values { return url.Values{"email": {a}, "password": {b}} })},
		{"second factor", "", "", form("/login/2fa", func(a, b string) url.Values { return url.Values{"code": {a}} })},
		{"item list filters", "btvA", "", get(tenant + "/bai-viet?q={a}&trang-thai={b}&linh-vuc={b}&trang={b}")},
		{"new item", "btvA", "", form(tenant+"/bai-viet/moi", func(a, b string) url.Values {
			return url.Values{"title": {a}, "summary": {b}, "body": {a}, "type": {b}, "section": {b}, "fields": {a, "lao-dong-viec-lam"}, "event_date": {b}, "byline": {a}}
		})},
		{"live check", "btvA", "", form(tenant+"/bai-viet/kiem-tra", func(a, b string) url.Values {
			return url.Values{"title": {a}, "summary": {b}, "body": {b}}
		})},
		{"edit item", "btvA", "", form(itemPath+"/sua", func(a, b string) url.Values {
			return url.Values{"title": {a}, "body": {b}, "version": {b}, "fields": {"lao-dong-viec-lam"}}
		})},
		{"workflow step", "btvA", "", form(itemPath+"/chuyen", func(a, b string) url.Values {
			return url.Values{"to": {a}, "note": {b}, "at": {a}, "force": {b}}
		})},
		{"send to the department", "btvA", "", form(itemPath+"/gui-so", func(a, b string) url.Values { return url.Values{"note": {a}} })},
		{"new API token", "btvA", "", form("/tai-khoan/token", func(a, b string) url.Values { return url.Values{"name": {a}} })},
		{"change password", "btvA", "", form("/tai-khoan/mat-khau", func(a, b string) url.Values {
			return url.Values{"current": {a}, "new": {b}, "confirm": {b}}
		})},
		{"board member", "qtA", "", form(tenant+"/ban-bien-tap/thanh-vien", func(a, b string) url.Values {
			return url.Values{"name": {a}, "position": {b}, "phone": {a}, "email": {b}}
		})},
		{"grant a role", "qtA", "", form(tenant+"/vai-tro/giao", func(a, b string) url.Values { return url.Values{"email": {a}, "role": {b}} })},
		{"editorial settings", "qtA", "", form(tenant+"/cai-dat", func(a, b string) url.Values {
			return url.Values{"republish_delay_min": {a}, "always_second_reviewer": {b}}
		})},
	}
}

// clip cuts s to at most n bytes (a broken last rune is fuzz, too).
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func FuzzForms(f *testing.F) {
	w := newIsoWorld(f)
	r := w.api("btvA").doJSON(http.MethodPost, "/api/v1/tenants/"+isoSlugA+"/posts", map[string]any{
		"title": "Bài để thử biểu mẫu", "fields": []string{"lao-dong-viec-lam"}})
	var item post.View
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &item) != nil {
		f.Fatalf("create the item: %s", r)
	}
	routes := fuzzRoutes("/t/"+isoSlugA+"/bai-viet/"+item.ID, isoSlugA)
	sessions := map[string]*visitor{}
	for _, rt := range routes {
		if rt.who != "" && sessions[rt.who] == nil {
			s := w.session(rt.who)
			s.csrfToken = s.csrf()
			sessions[rt.who] = s
		}
	}
	huge := strings.Repeat("Sở Lao động ", 100_000) // 1.3 MB: over the body limit
	values := []string{"", "\x00", "a\x00b", "\xff\xfe\xfd", "\xc3\x28", "tab\there", "dòng\r\nmới", "\x1b[31m", "\u202eđảo\u202c",
		"<script>alert(1)</script>", "' OR 1=1 --", "%00%ff", "../../etc/passwd", strings.Repeat("ạ", 5000), "Sở LĐTBXH Thanh Hóa"}
	for i := range routes {
		for _, v := range values {
			f.Add(uint8(i), v, "1")
			f.Add(uint8(i), "Tin", v)
		}
		f.Add(uint8(i), huge, "1")
	}
	f.Fuzz(func(t *testing.T, route uint8, a, b string) {
		rt := routes[int(route)%len(routes)]
		v := newVisitor(t, w.a)
		if rt.host != "" {
			v.host = rt.host
		}
		if s := sessions[rt.who]; s != nil {
			v.jar, v.csrfToken = maps.Clone(s.jar), s.csrfToken
		}
		got := rt.send(v, a, b)
		if got.status >= 500 {
			t.Errorf("%s with %q, %q: %s", rt.name, clip(a, 200), clip(b, 200), got)
		}
	})
}
