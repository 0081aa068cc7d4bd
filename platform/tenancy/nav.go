package tenancy

import (
	"html/template"
	"strings"

	"github.com/trangtin/trangtin/platform/escape"
)

// Path is the public address of the section's page. The sections about
// the agency and its contacts are answered by the site's own pages of the
// same name (its profile, not a list of items); every other one is a list
// under /chuyen-muc. The menu, the home's section grid and anything else
// linking to a section go through here, so the rule is written once.
func (s Section) Path() string {
	switch s.Slug {
	case "gioi-thieu":
		return "/gioi-thieu"
	case "lien-he":
		return "/lien-he"
	}
	return "/chuyen-muc/" + s.Slug
}

// Nav is the sections a public site's menu links to, in display order. It
// is a type of its own so every page's data (the site's, the documents',
// the questions', the board's) offers the layout the same Links.
type Nav []Section

// Links is the menu's <li> elements, byte for byte what the {{range}} of
// the site layout (templates/layouts/site.html) printed before the markup
// moved here. It moved for speed: the menu is on every public page, and
// there each section cost five calls (two eq, three escapers), each by
// reflection (issue 13); here the menu is one action. TestNavAsTemplate in
// tenants/site holds it to the template it replaced.
//
// The name is escaped as html/template escapes text, the address as it
// escapes a slug after a literal start of an href (normalised, not
// filtered: the start is ours).
func (n Nav) Links() template.HTML {
	if len(n) == 0 {
		return ""
	}
	size := 0
	for i := range n {
		size += len(`<li><a href="/chuyen-muc/">`) + len(n[i].Slug) + len(n[i].Name) + len(`</a></li>`)
	}
	var b strings.Builder
	b.Grow(size + size/16)
	for i := range n {
		b.WriteString(`<li><a href="`)
		escape.URL(&b, template.URL(n[i].Path())) // #nosec G203 -- normalised and escaped as html/template would
		b.WriteString(`">`)
		escape.HTML(&b, n[i].Name)
		b.WriteString(`</a></li>`)
	}
	return template.HTML(b.String()) // #nosec G203 -- every value escaped above as html/template would
}
