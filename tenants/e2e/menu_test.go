package e2e_test

import (
	"net/url"
	"strings"
	"testing"
)

// rolePeople are one demo person per role the console knows (the
// Department's and a unit's editor-in-chief both, their menus differ).
var rolePeople = []struct{ role, email string }{
	{"platform admin", "admin@trangtin.local"},
	{"office staff", "vanphong@trangtin.local"},
	{"site admin", "quantri.so@trangtin.local"},
	{"Department editor-in-chief", "truongban.so@trangtin.local"},
	{"deputy editor", "phoban.so@trangtin.local"},
	{"secretary", "thuky.so@trangtin.local"},
	{"unit editor-in-chief", "truongban.ttdvvl@trangtin.local"},
	{"unit editor", "bientap.ttdvvl@trangtin.local"},
	{"unit contributor", "ctv.ttdvvl@trangtin.local"},
	{"office contributor", "ctv.nguoicocong@trangtin.local"},
}

// TestEveryMenuPage signs in as each demo role and opens every page of
// its menu in its first tenant (the Department for the platform roles),
// its account page and its dashboard: each opens, its pictures load and
// axe finds no WCAG 2.1 A/AA violation.
func TestEveryMenuPage(t *testing.T) {
	w := newWorld(t)
	for _, rp := range rolePeople {
		t.Run(rp.role, func(t *testing.T) {
			w := w.in(t)
			p := w.as(rp.email)
			p.imagesLoaded()
			p.axe()
			var tenants []string
			p.eval(`Array.from(document.querySelectorAll('#tenant-switch option')).map(o => o.value)`, &tenants)
			if len(tenants) == 0 {
				t.Fatalf("%s has no tenant to switch to", rp.email)
			}
			slug := tenants[0]
			for _, s := range tenants {
				if s == "so-ldtbxh" {
					slug = s
				}
			}
			p.open(w.console("/t/" + slug))
			var menu []string
			p.eval(`Array.from(document.querySelectorAll('nav.menu a')).map(a => a.getAttribute('href'))`, &menu)
			if len(menu) < 2 {
				t.Fatalf("menu of %s in %s: %q", rp.email, slug, menu)
			}
			for _, href := range append(menu, "/tai-khoan") {
				u, err := url.Parse(href)
				if err != nil || u.Host != "" || !strings.HasPrefix(href, "/") {
					t.Errorf("menu link %q is not a console path", href)
					continue
				}
				p.open(w.console(href))
				p.notSees("Không tìm thấy", "Lỗi máy chủ", "Không có quyền")
				p.imagesLoaded()
				p.axe()
			}
		})
	}
}
