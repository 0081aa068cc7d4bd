package e2e_test

import (
	"net/url"
	"strings"
	"testing"
)

// rolePeople are one demo person per role the console knows (the
// Department's and a unit's editor-in-chief both, their menus differ).
// extra are pages a role reaches outside its tenant menu; phone says its
// pages are also checked on a 390 px wide phone.
var rolePeople = []struct {
	role, email string
	extra       []string
	phone       bool
}{
	{"platform admin", "admin@trangtin.local", []string{"/he-thong/nhat-ky", "/bao-cao/chi-tieu", "/bao-cao/thang"}, false},
	{"office staff", "vanphong@trangtin.local", []string{"/bao-cao/chi-tieu", "/bao-cao/thang", "/bao-cao/chi-tieu/cai-dat"}, true},
	{"site admin", "quantri.so@trangtin.local", nil, false},
	{"Department editor-in-chief", "truongban.so@trangtin.local", nil, false},
	{"deputy editor", "phoban.so@trangtin.local", nil, false},
	{"secretary", "thuky.so@trangtin.local", nil, false},
	{"unit editor-in-chief", "truongban.ttdvvl@trangtin.local", nil, false},
	{"unit editor", "bientap.ttdvvl@trangtin.local", nil, false},
	{"unit contributor", "ctv.ttdvvl@trangtin.local", []string{"/t/trung-tam-dich-vu-viec-lam/bai-viet/moi"}, true},
	{"office contributor", "ctv.nguoicocong@trangtin.local", nil, false},
}

// TestEveryMenuPage signs in as each demo role and opens every page of
// its menu in its first tenant (the Department for the platform roles),
// its account page, its dashboard and the pages it reaches outside the
// menu (the Office's reports): each opens, shows no raw value, its
// pictures load and axe finds no WCAG 2.1 A/AA violation. For the roles
// most often on a phone, each page also fits a 390 px wide screen.
func TestEveryMenuPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// A page's template is checked by axe once, by the first role that
	// opens it (roles see the same templates with other buttons); every
	// role still opens each page of its menu.
	checked := map[string]bool{}
	for _, rp := range rolePeople {
		t.Run(rp.role, func(t *testing.T) {
			w := w.in(t)
			p := w.as(rp.email)
			p.imagesLoaded()
			p.axe()
			var tenants []string
			// Several tenants are a list to switch in; one is named, linked.
			p.eval(`(() => { const o = Array.from(document.querySelectorAll('#tenant-switch option')).map(o => o.value); if (o.length) return o;
			  const a = document.querySelector('.switcher a'); return a ? [a.getAttribute('href').split('/')[2]] : [] })()`, &tenants)
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
			p.notSees("Trạng thái: active", "trực thuộc so-ldtbxh", "Tài khoản đã xóa")
			for _, href := range append(append(menu, "/tai-khoan"), rp.extra...) {
				u, err := url.Parse(href)
				if err != nil || u.Host != "" || !strings.HasPrefix(href, "/") {
					t.Errorf("menu link %q is not a console path", href)
					continue
				}
				p.open(w.console(href))
				p.notSees("Không tìm thấy", "Lỗi máy chủ", "Không có quyền", "Tài khoản đã xóa")
				p.imagesLoaded()
				if !checked[href] {
					checked[href] = true
					p.axe()
				}
				if rp.phone {
					p.viewport(390, 844)
					p.fitsWidth()
					p.axe()
					p.viewport(1280, 900)
				}
			}
		})
	}
}
