package site

import (
	"html/template"
	"strings"

	"github.com/trangtin/trangtin/platform/escape"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// Sections are a tenant's sections, in display order.
type Sections []tenancy.Section

// Grid is the home's section grid, its <li> elements byte for byte what
// the {{range}} in templates/site/home.html printed before the markup
// moved here: like the cards (Teasers.Cards) and the menu
// (tenancy.Nav.Links), one action for the list rather than about six
// calls per section, each by reflection (issue 13).
// TestSectionGridAsTemplate holds it to the template it replaced.
//
// The address follows Section.Path, escaped as html/template escapes a
// slug after a literal start of an href; name and description as text.
func (ss Sections) Grid() template.HTML {
	if len(ss) == 0 {
		return ""
	}
	size := 0
	for i := range ss {
		size += len(`<li><a href="/chuyen-muc/"></a><p></p></li>`) + len(ss[i].Slug) + len(ss[i].Name) + len(ss[i].Description)
	}
	var b strings.Builder
	b.Grow(size + size/16)
	for i := range ss {
		s := &ss[i]
		b.WriteString(`<li><a href="`)
		escape.URL(&b, template.URL(s.Path())) // #nosec G203 -- normalised and escaped as html/template would
		b.WriteString(`">`)
		escape.HTML(&b, s.Name)
		b.WriteString(`</a>`)
		if s.Description != "" {
			b.WriteString(`<p>`)
			escape.HTML(&b, s.Description)
			b.WriteString(`</p>`)
		}
		b.WriteString(`</li>`)
	}
	return template.HTML(b.String()) // #nosec G203 -- every value escaped above as html/template would
}

// SiteLinks are links to other tenants' sites: a Department's units.
type SiteLinks []SiteLink

// Links is the list's <li> elements, byte for byte what the {{range}} of
// the home and organisation pages printed before the markup moved here,
// for the reason the cards moved (Teasers.Cards): one action for up to
// UnitLinks units on the home, and for every unit on the organisation
// page, rather than four reflect calls into escapers per unit.
// TestSiteLinksAsTemplate holds it to the template it replaced.
//
// A URL is a plain string, so html/template filtered it before escaping
// (a scheme other than http, https or mailto became "#ZgotmplZ"):
// escape.Href does the same. Addresses are built by siteURL from a host
// name, but the list must not depend on that to match.
func (ls SiteLinks) Links() template.HTML {
	if len(ls) == 0 {
		return ""
	}
	size := 0
	for i := range ls {
		size += len(`<li><a href=""></a></li>`) + len(ls[i].URL) + len(ls[i].Name)
	}
	var b strings.Builder
	b.Grow(size + size/16)
	for i := range ls {
		b.WriteString(`<li><a href="`)
		escape.Href(&b, ls[i].URL)
		b.WriteString(`">`)
		escape.HTML(&b, ls[i].Name)
		b.WriteString(`</a></li>`)
	}
	return template.HTML(b.String()) // #nosec G203 -- every value escaped above as html/template would
}

// Blocks are the home's blocks: a section's newest items each.
type Blocks []Block

// HTML is the home's blocks: each section's newest item as a card (its
// picture, headline and summary) and the next ones as a list of headlines
// with their dates, as Vietnamese portals lay a section out, the blocks
// side by side in columns (site.css). Four cards
// with pictures and summaries in each of some twenty blocks made the
// Department's home 68 KB and twelve screens on a phone; the headlines
// keep the same items in a third of the markup. It is written in Go, one
// action for every block rather than five per block, and
// TestBlocksAsTemplate holds it byte for byte to the template it stands
// for (blocksTemplate in links_test.go), escaping included.
//
// The slug is escaped as an attribute value in the ids and as
// html/template escapes a slug after a literal start of an href; the
// name as text; the lead card is Teasers.Cards.
func (bs Blocks) HTML() template.HTML {
	if len(bs) == 0 {
		return ""
	}
	var b strings.Builder
	size := 0
	for i := range bs {
		size += 200 + 3*len(bs[i].Section.Slug) + len(bs[i].Section.Name) + bs[i].Lead().size() + bs[i].More().size()/2
	}
	b.Grow(size)
	b.WriteString("<div class=\"blocks\">")
	for i := range bs {
		s := &bs[i].Section
		b.WriteString("\n<section aria-labelledby=\"s-")
		escape.HTML(&b, s.Slug)
		b.WriteString("\">\n  <h2 id=\"s-")
		escape.HTML(&b, s.Slug)
		b.WriteString("\"><a href=\"/chuyen-muc/")
		escape.URL(&b, template.URL(s.Slug)) // #nosec G203 -- normalised and escaped as html/template would after a literal path
		b.WriteString("\">")
		escape.HTML(&b, s.Name)
		b.WriteString("</a></h2>\n  \n<ul class=\"cards\">\n")
		bs[i].Lead().write(&b)
		b.WriteString("\n</ul>\n\n  ")
		if more := bs[i].More(); len(more) > 0 {
			b.WriteString("<ul class=\"headlines\">")
			for j := range more {
				t := &more[j]
				b.WriteString("\n  <li><a href=\"")
				escape.URL(&b, t.URL)
				b.WriteString("\">")
				escape.HTML(&b, t.Title)
				b.WriteString("</a>")
				if t.Expired {
					b.WriteString(` <span class="expired">Hết hiệu lực</span>`)
				}
				b.WriteString(` <time datetime="`)
				escape.HTML(&b, t.ISODate)
				b.WriteString(`">`)
				escape.HTML(&b, t.Date)
				b.WriteString("</time></li>")
			}
			b.WriteString("\n  </ul>")
		}
		b.WriteString("\n</section>")
	}
	b.WriteString("\n</div>")
	return template.HTML(b.String()) // #nosec G203 -- every value escaped above as html/template would
}
