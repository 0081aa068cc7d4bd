package site_test

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/templates"
)

// oldNav is the menu's {{range}} in the site layout before a section's
// <li> moved to tenancy.Nav.Links.
const oldNav = `      {{range .Data.Nav}}<li><a href="{{if eq .Slug "gioi-thieu"}}/gioi-thieu{{else if eq .Slug "lien-he"}}/lien-he{{else}}/chuyen-muc/{{.Slug}}{{end}}">{{.Name}}</a></li>{{end}}`

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
	text := templatePart(t, "layouts/site.html", `{{.L.T "site.home"}}</a></li>`, `      <li><a href="/van-ban">`)
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

// FuzzNav compares a menu of arbitrary sections with the old template's.
func FuzzNav(f *testing.F) {
	for i, s := range hostileSlugs {
		f.Add(s, hostile[i%len(hostile)])
	}
	f.Fuzz(func(t *testing.T, slug, name string) {
		var d navData
		d.Data.Nav = tenancy.Nav{{Slug: slug, Name: name}, {Slug: "gioi-thieu", Name: slug}}
		want := execute(t, oldNav, d)
		got := "      " + string(d.Data.Nav.Links())
		if got != want {
			t.Errorf("menu differs from the old template\n got: %q\nwant: %q", got, want)
		}
	})
}
