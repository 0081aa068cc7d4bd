package site_test

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/templates"
	"github.com/trangtin/trangtin/tenants/site"
)

// oldNav is the menu's {{range}} in the site layout before a section's
// <li> moved to tenancy.Nav.Links.
const oldNav = `      {{range .Data.Nav}}<li><a href="{{if eq .Slug "gioi-thieu"}}/gioi-thieu{{else if eq .Slug "lien-he"}}/lien-he{{else}}/chuyen-muc/{{.Slug}}{{end}}">{{.Name}}</a></li>{{end}}`

// oldGrid and oldUnits are the home's {{range}}s over its sections and
// its units (and the organisation page's over its units) before their
// <li> moved to site.Sections.Grid and site.SiteLinks.Links.
const (
	oldGrid  = `  {{range .Data.Sections}}<li><a href="{{if eq .Slug "gioi-thieu"}}/gioi-thieu{{else if eq .Slug "lien-he"}}/lien-he{{else}}/chuyen-muc/{{.Slug}}{{end}}">{{.Name}}</a>{{if .Description}}<p>{{.Description}}</p>{{end}}</li>{{end}}`
	oldUnits = `  {{range .Data.Units}}<li><a href="{{.URL}}">{{.Name}}</a></li>{{end}}`
)

// templatePart is the text of file between the lines that end with after
// and start with before, exclusive: the part of today's template that
// replaced an old snippet, rendered with the same data as the snippet.
func templatePart(t testing.TB, file, after, before string) string {
	t.Helper()
	b, err := templates.FS.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, after+"\n")
	if i < 0 {
		t.Fatalf("%s: no line ending with %q", file, after)
	}
	s = s[i+len(after)+1:]
	j := strings.Index(s, "\n"+before)
	if j < 0 {
		t.Fatalf("%s: no line starting with %q after %q", file, before, after)
	}
	return s[:j]
}

// execute renders text on data with html/template.
func execute(t testing.TB, text string, data any) string {
	t.Helper()
	tpl, err := template.New("").Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tpl.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// hostileSlugs are slugs html/template normalises in an href, and the
// ones the link rule picks out, exactly and nearly.
var hostileSlugs = []string{
	"tin-tuc-su-kien", "gioi-thieu", "lien-he", "Gioi-thieu", "gioi-thieu ", "lien-he/", "/gioi-thieu",
	"", "chuyên mục", "a+b&c=d?e#f", "100%-ok%41%zz%4", `a'b"c<d>e`, "nul\x00", "\xff\xfe", "javascript:alert(1)",
}

func hostileSections() tenancy.Nav {
	var ss tenancy.Nav
	for i, slug := range hostileSlugs {
		ss = append(ss, tenancy.Section{Slug: slug, Name: hostile[i%len(hostile)], Description: hostile[(i+1)%len(hostile)]})
	}
	for i, s := range hostile {
		ss = append(ss, tenancy.Section{Slug: hostileSlugs[i%len(hostileSlugs)], Name: s, Description: s})
	}
	return ss
}

type navData struct{ Data struct{ Nav tenancy.Nav } }

// TestNavAsTemplate holds the menu (the layout of today calling
// tenancy.Nav.Links) to the byte-identical output of the template it
// replaced.
func TestNavAsTemplate(t *testing.T) {
	text := templatePart(t, "layouts/site.html", `{{t .L "site.questions"}}</a></li>`, `    </ul>`)
	for name, nav := range map[string]tenancy.Nav{"hostile": hostileSections(), "one": hostileSections()[:1], "empty": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			var d navData
			d.Data.Nav = nav
			want, got := execute(t, oldNav, d), execute(t, text, d)
			if got != want {
				t.Errorf("menu differs from the old template\n got: %q\nwant: %q", got, want)
			}
		})
	}
}

// hostileSiteURLs are unit addresses: a string in an href is filtered
// (a scheme but http, https and mailto) before it is normalised.
func hostileSiteURLs() []string {
	us := []string{"http://phong-ldtbxh.localhost:18410/", "https://tt-dvvl.gov.vn/", "javascript:alert(1)", "JAVASCRIPT:x",
		" javascript:x", "httpſ://x", "MAILTO:a@b", "data:text/html,<b>", "//evil.example/", "/x:y", "?a:b"}
	for _, u := range hostileURLs {
		us = append(us, string(u))
	}
	return us
}

func hostileUnits() site.SiteLinks {
	var ls site.SiteLinks
	for i, u := range hostileSiteURLs() {
		ls = append(ls, site.SiteLink{URL: u, Name: hostile[i%len(hostile)]})
	}
	return ls
}

type homeData struct {
	Data struct {
		Sections site.Sections
		Units    site.SiteLinks
	}
}

// TestSectionGridAsTemplate holds the home's section grid (the home of
// today calling site.Sections.Grid) to the byte-identical output of the
// template it replaced.
func TestSectionGridAsTemplate(t *testing.T) {
	text := templatePart(t, "site/home.html", `<ul class="section-grid">`, `  </ul>`)
	for name, ss := range map[string]site.Sections{"hostile": site.Sections(hostileSections()), "one": {{Slug: "lien-he", Name: "Liên hệ"}}, "empty": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			var d homeData
			d.Data.Sections = ss
			want, got := execute(t, oldGrid, d), execute(t, text, d)
			if got != want {
				t.Errorf("grid differs from the old template\n got: %q\nwant: %q", got, want)
			}
		})
	}
}

// TestSiteLinksAsTemplate holds the unit links of the home and of the
// organisation page (both calling site.SiteLinks.Links) to the
// byte-identical output of the template they replaced.
func TestSiteLinksAsTemplate(t *testing.T) {
	for _, file := range []string{"site/home.html", "site/organisation.html"} {
		text := templatePart(t, file, `<ul class="unit-links">`, `  </ul>`)
		for name, ls := range map[string]site.SiteLinks{"hostile": hostileUnits(), "one": hostileUnits()[:1], "empty": {}, "nil": nil} {
			t.Run(file+"/"+name, func(t *testing.T) {
				var d homeData
				d.Data.Units = ls
				want, got := execute(t, oldUnits, d), execute(t, text, d)
				if got != want {
					t.Errorf("unit links differ from the old template\n got: %q\nwant: %q", got, want)
				}
			})
		}
	}
}

// FuzzLinks compares a menu, a section grid, unit links and a block of
// arbitrary values with the old templates'.
func FuzzLinks(f *testing.F) {
	urls := hostileSiteURLs()
	for i, s := range hostileSlugs {
		f.Add(s, hostile[i%len(hostile)], urls[i%len(urls)])
	}
	f.Fuzz(func(t *testing.T, slug, text, url string) {
		var nav navData
		nav.Data.Nav = tenancy.Nav{{Slug: slug, Name: text}, {Slug: "gioi-thieu", Name: slug}}
		var home homeData
		home.Data.Sections = site.Sections{{Slug: slug, Name: text, Description: text}, {Slug: "lien-he", Name: url, Description: ""}}
		home.Data.Units = site.SiteLinks{{URL: url, Name: text}, {URL: slug, Name: url}}
		var blocks blocksData
		blocks.Data.Blocks = site.Blocks{{Section: tenancy.Section{Slug: slug, Name: text}, Items: site.Teasers{{Title: text, Summary: url, URL: template.URL(url)},
			{Title: url, URL: template.URL(text), ISODate: slug, Date: text, Expired: true}}}}
		if want, got := executeWithPartials(t, blocksTemplate, blocks), executeWithPartials(t, "{{.Data.Blocks.HTML}}", blocks); got != want {
			t.Errorf("blocks differ from their template\n got: %q\nwant: %q", got, want)
		}
		for _, c := range []struct {
			name, old, got string
			data           any
		}{
			{"menu", oldNav, "      " + string(nav.Data.Nav.Links()), nav},
			{"grid", oldGrid, "  " + string(home.Data.Sections.Grid()), home},
			{"units", oldUnits, "  " + string(home.Data.Units.Links()), home},
		} {
			if want := execute(t, c.old, c.data); c.got != want {
				t.Errorf("%s differs from the old template\n got: %q\nwant: %q", c.name, c.got, want)
			}
		}
	})
}

// blocksTemplate is the markup site.Blocks.HTML writes, in html/template:
// the reference its escaping is held to. The lead card comes from the
// "teasers" partial, which it is rendered with here.
const blocksTemplate = `{{with .Data.Blocks}}<div class="blocks">{{range .}}
<section aria-labelledby="s-{{.Section.Slug}}">
  <h2 id="s-{{.Section.Slug}}"><a href="/chuyen-muc/{{.Section.Slug}}">{{.Section.Name}}</a></h2>
  {{template "teasers" .Lead}}
  {{with .More}}<ul class="headlines">{{range .}}
  <li><a href="{{.URL}}">{{.Title}}</a>{{if .Expired}} <span class="expired">Hết hiệu lực</span>{{end}} <time datetime="{{.ISODate}}">{{.Date}}</time></li>{{end}}
  </ul>{{end}}
</section>{{end}}
</div>{{end}}`

type blocksData struct{ Data struct{ Blocks site.Blocks } }

// executeWithPartials renders text on data with html/template, the
// layouts' partials (the "teasers" list among them) defined.
func executeWithPartials(t testing.TB, text string, data any) string {
	t.Helper()
	partials, err := templates.FS.ReadFile("layouts/partials.html")
	if err != nil {
		t.Fatal(err)
	}
	return execute(t, string(partials)+text, data)
}

func hostileBlocks() site.Blocks {
	ss, ts := hostileSections(), hostileTeasers()
	var bs site.Blocks
	for i, s := range ss {
		bs = append(bs, site.Block{Section: s, Items: ts[i%len(ts) : i%len(ts)+i%3]})
	}
	return bs
}

// TestBlocksAsTemplate holds the home's blocks (the home of today calling
// site.Blocks.HTML) to the byte-identical output of the template it
// replaced.
func TestBlocksAsTemplate(t *testing.T) {
	text := templatePart(t, "site/home.html", `  {{template "teasers" .Data.FromUnits}}`, `{{if .Data.Units}}`)
	text = text[strings.Index(text, "{{end}}\n")+len("{{end}}\n"):] // from the line after the units' block
	for name, bs := range map[string]site.Blocks{"hostile": hostileBlocks(), "one": hostileBlocks()[1:2], "empty": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			var d blocksData
			d.Data.Blocks = bs
			want, got := executeWithPartials(t, blocksTemplate, d), executeWithPartials(t, text, d)
			if got != want {
				t.Errorf("blocks differ from their template\n got: %q\nwant: %q", got, want)
			}
		})
	}
}
