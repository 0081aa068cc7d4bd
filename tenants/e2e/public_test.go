package e2e_test

import (
	"testing"
)

// TestPublicPages opens each template of the public sites as a reader
// would, following the site's own links — home, a section, an item (with
// its picture and its print view), the search, the editorial board, the
// agency's pages of Decree 42/2022 (about, organisation, contact,
// English), the documents and a document, the citizens' questions and
// the not-found page —
// on the Department's site and a unit's, on a desktop and on a phone: each
// shows its content, its pictures load, it fits the screen and axe finds
// no WCAG 2.1 A/AA violation.
func TestPublicPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, site := range []struct{ slug, name string }{
		{"so-ldtbxh", "Sở Lao động – Thương binh và Xã hội tỉnh Thanh Hóa"},
		{unitSlug, unitName},
	} {
		t.Run(site.slug, func(t *testing.T) {
			w := w.in(t)
			r := w.visitor("reader")
			r.visit(w.site(site.slug, "/"), site.name)
			var links struct{ Section, Item string }
			r.eval(`({Section: (document.querySelector('a[href^="/chuyen-muc/"]') || {}).href || '',
			  Item: (document.querySelector('a[href^="/bai-viet/"]') || {}).href || ''})`, &links)
			if links.Section == "" || links.Item == "" {
				t.Fatalf("the home page links to no section or no item: %+v", links)
			}
			r.visit(links.Section)
			r.visit(links.Item)
			r.visit(links.Item+"?in=1", "Quay lại bài viết", "Ngày in")
			// The print view is the print-out: no menu, search or footer.
			var shown []string
			r.eval(`['.sections', '.search', '.footer', '.tools'].filter(s => { const e = document.querySelector(s); return e && e.offsetParent !== null })`, &shown)
			if len(shown) > 0 {
				t.Errorf("the print view shows %v", shown)
			}
			r.visit(w.site(site.slug, "/search?q=lao+%C4%91%E1%BB%99ng"))
			r.visit(w.site(site.slug, "/ban-bien-tap"))
			pages := []string{w.site(site.slug, "/gioi-thieu"), w.site(site.slug, "/co-cau-to-chuc"),
				w.site(site.slug, "/lien-he"), w.site(site.slug, "/en"), w.site(site.slug, "/van-ban"), w.site(site.slug, "/hoi-dap")}
			for _, u := range pages {
				r.visit(u)
			}
			r.visit(w.site(site.slug, "/en"), "English")
			r.visit(w.site(site.slug, "/van-ban"))
			var doc string
			r.eval(`(document.querySelector('a[href^="/van-ban/"]') || {}).href || ''`, &doc)
			if doc != "" {
				r.visit(doc)
				pages = append(pages, doc)
			} else if site.slug == "so-ldtbxh" {
				t.Error("the Department's /van-ban lists no document")
			}
			r.visit(w.site(site.slug, "/bai-viet/khong-co-bai-nay"))
			r.sees("Không tìm thấy")

			phone := w.visitor("phone reader")
			phone.viewport(390, 844)
			for _, u := range append([]string{w.site(site.slug, "/"), links.Section, links.Item}, pages...) {
				phone.visit(u)
				phone.fitsWidth()
			}
			// The news starts in the phone's first screen, below one row of
			// menu (wrapped, the menu filled half of it).
			phone.visit(w.site(site.slug, "/"))
			var mainTop float64
			phone.eval(`document.querySelector('main').getBoundingClientRect().top`, &mainTop)
			if mainTop > 300 {
				t.Errorf("on a phone the home's content starts %.0f px down", mainTop)
			}
			// The documents and the questions are in sight in the phone's
			// menu, without scrolling it sideways.
			var docsRight float64
			phone.eval(`document.querySelector('nav.sections a[href="/van-ban"]').getBoundingClientRect().right`, &docsRight)
			if docsRight <= 0 || docsRight > 390 {
				t.Errorf("on a phone the menu's link to the documents ends %.0f px from the left (the screen is 390 px)", docsRight)
			}
			// A card on a phone is a row: its picture beside the headline,
			// at most two fifths of the card's width, so that a reader sees
			// several headlines per screen.
			var card struct{ Width, Height, Thumb float64 }
			phone.eval(`(() => { const c = document.querySelector('.cards .card:has(> .thumb)'); if (!c) return {};
				const r = c.getBoundingClientRect(); return {Width: r.width, Height: r.height, Thumb: c.querySelector('.thumb').getBoundingClientRect().width}; })()`, &card)
			if card.Width == 0 || card.Thumb > card.Width*2/5 || card.Height > 844/3 {
				t.Errorf("on a phone a card with a picture is %+v (px): want a row, its picture at most two fifths of its width", card)
			}
		})
	}
}
