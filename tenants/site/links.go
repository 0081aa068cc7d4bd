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

// HTML is the home's blocks, byte for byte what the {{range}} in
// templates/site/home.html printed (with the "teasers" partial inside)
// before the markup moved here, for the reason the grid moved: one action
// for every block rather than five per block, a template call among them.
// TestBlocksAsTemplate holds it to the template it replaced.
//
// The slug is escaped as an attribute value in the ids and as
// html/template escapes a slug after a literal start of an href; the
// name as text; the cards are Teasers.Cards.
func (bs Blocks) HTML() template.HTML {
	if len(bs) == 0 {
		return ""
	}
	var b strings.Builder
	size := 0
	for i := range bs {
		size += 160 + 3*len(bs[i].Section.Slug) + len(bs[i].Section.Name) + bs[i].Items.size()
	}
	b.Grow(size)
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
		bs[i].Items.write(&b)
		b.WriteString("\n</ul>\n\n</section>\n")
	}
	return template.HTML(b.String()) // #nosec G203 -- every value escaped above as html/template would
}
