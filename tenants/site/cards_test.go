package site_test

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/templates"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/site"
)

// oldTeasers is the "teasers" partial as it was before a card's markup
// moved to Teasers.Cards: the reference the Go code must match byte for
// byte.
const oldTeasers = `{{define "teasers"}}
<ul class="cards">
{{range .}}<li class="card">
  {{if .Image}}<img class="thumb" {{.ImageAttrs}} alt="{{.Image.Alt}}" loading="lazy" decoding="async">{{end}}
  <a href="{{.URL}}">{{if .TitleHTML}}{{.TitleHTML}}{{else}}{{.Title}}{{end}}</a>
  {{if .Withdrawn}}<p class="notice-inline">Đã gỡ bỏ</p>{{end}}
  {{if .Expired}}<p class="expired">Hết hiệu lực</p>{{end}}
  {{if .SummaryHTML}}<p>{{.SummaryHTML}}</p>{{else if .Summary}}<p>{{.Summary}}</p>{{end}}
  <p class="meta">{{with .From}}<span class="from">{{.}}</span> · {{end}}{{if .Section}}{{.Section}} · {{end}}<time datetime="{{.ISODate}}">{{.Date}}</time></p>
</li>{{end}}
</ul>
{{end}}`

// hostile are values that exercise every escape of html/template's
// tables and URL normaliser, and the bytes it lets through.
var hostile = []string{
	"",
	"Lao động – việc làm: Sở LĐTBXH tỉnh Đắk Lắk",
	"Ngày hội \"việc làm\" & 'tuyển sinh' <2025> 1+1",
	`<script>alert("x")</script>`,
	"nul\x00byte",
	"bad utf-8 \xff\xfe\xc3",
	"noncharacters \ufdd0 \uffff \ufffd",
	"&amp; &#34; already escaped",
	"tab\tnewline\ncr\r",
	"combining: Tie\u0302\u0301ng Vie\u0323t",
}

// hostileURLs are addresses html/template normalises in an href.
var hostileURLs = []template.URL{
	"/bai-viet/le-ra-quan-2025",
	"",
	"/bai-viet/tìm kiếm?q=a+b&c=d#x",
	"/bai-viet/100%-ok/%41%4a%zz%4",
	"/a'b\"c<d>e(f)g{h}|i\\j^k`l",
	"/nul\x00/\xff/\x7f",
	"javascript:alert(1)",
	"https://user@example.com:8080/p;x=1,2/*[]!$@~._-?%",
	"/ends-with-escape%4",
	"/ends-with-escape%41",
}

func hostileTeasers() []site.Teaser {
	var ts []site.Teaser
	for i, s := range hostile {
		t := site.Teaser{
			Title: s, Summary: hostile[(i+1)%len(hostile)], Section: hostile[(i+2)%len(hostile)],
			URL: hostileURLs[i%len(hostileURLs)], Date: hostile[(i+3)%len(hostile)], ISODate: hostile[(i+4)%len(hostile)],
			From: hostile[(i+5)%len(hostile)], Withdrawn: i%2 == 0, Expired: i%3 == 0,
		}
		if i%4 != 1 {
			t.Image = &media.Image{Alt: hostile[(i+6)%len(hostile)]}
			t.ImageAttrs = template.HTMLAttr(`src="/media/1/a.jpg" srcset="/media/1/r/320.jpg 320w" sizes="` + s + `" width="320" height="180"`)
		}
		if i%5 == 2 {
			t.TitleHTML = template.HTML("<mark>" + template.HTMLEscapeString(s) + "</mark> \x00" + s)
			t.SummaryHTML = template.HTML(s + " & <b>x</b>")
		}
		ts = append(ts, t)
	}
	for _, u := range hostileURLs {
		ts = append(ts, site.Teaser{URL: u})
	}
	return append(ts,
		site.Teaser{Title: "Đã gỡ", Withdrawn: true, Expired: true, Image: &media.Image{}},
		site.Teaser{SummaryHTML: "<mark>chỉ</mark> tóm tắt", Summary: "bỏ qua"},
		site.Teaser{Summary: "không có tiêu đề", From: "Phòng Người có công"},
	)
}

// render executes the "teasers" template of the given text on data.
func render(t testing.TB, text string, data any) string {
	t.Helper()
	tpl, err := template.New("").Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tpl.ExecuteTemplate(&b, "teasers", data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCardsAsTemplate holds the teaser list (the partial of today calling
// Teasers.Cards) to the byte-identical output of the template it replaced.
func TestCardsAsTemplate(t *testing.T) {
	partials, err := templates.FS.ReadFile("layouts/partials.html")
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string][]site.Teaser{
		"hostile": hostileTeasers(),
		"one":     hostileTeasers()[:1],
		"empty":   {},
		"nil":     nil,
	}
	for name, ts := range lists {
		t.Run(name, func(t *testing.T) {
			want := render(t, oldTeasers, ts)
			got := render(t, string(partials), site.Teasers(ts))
			if got != want {
				t.Errorf("cards differ from the old template\n got: %q\nwant: %q", got, want)
			}
		})
	}
}

// FuzzCards compares one card built from arbitrary values with the old
// template's.
func FuzzCards(f *testing.F) {
	for i, s := range hostile {
		f.Add(s, hostile[(i+1)%len(hostile)], string(hostileURLs[i%len(hostileURLs)]), uint8(i))
	}
	f.Fuzz(func(t *testing.T, text, html, url string, flags uint8) {
		c := site.Teaser{Title: text, Summary: text, Section: text, URL: template.URL(url), Date: text, ISODate: text,
			Withdrawn: flags&1 != 0, Expired: flags&2 != 0}
		if flags&4 != 0 {
			c.From = text
		}
		if flags&8 != 0 {
			c.Image, c.ImageAttrs = &media.Image{Alt: text}, template.HTMLAttr(html)
		}
		if flags&16 != 0 {
			c.TitleHTML, c.SummaryHTML = template.HTML(html), template.HTML(html)
		}
		want := render(t, oldTeasers, []site.Teaser{c})
		got := strings.Join([]string{"\n<ul class=\"cards\">\n", string(site.Teasers{c}.Cards()), "\n</ul>\n"}, "")
		if got != want {
			t.Errorf("card differs from the old template\n got: %q\nwant: %q", got, want)
		}
	})
}

// BenchmarkCards renders a section page's list (PageSize cards with
// pictures) by the old partial and by the one calling Teasers.Cards: the
// share of an uncached page this change is about, apart from the queries.
func BenchmarkCards(b *testing.B) {
	partials, err := templates.FS.ReadFile("layouts/partials.html")
	if err != nil {
		b.Fatal(err)
	}
	ts := make([]site.Teaser, site.PageSize)
	for i := range ts {
		im := &media.Image{Src: "/media/0190a1b2/anh-hoi-nghi.jpg", SrcSet: "/media/0190a1b2/r/320.jpg 320w, /media/0190a1b2/r/640.jpg 640w, /media/0190a1b2/anh-hoi-nghi.jpg 1600w",
			Width: 1600, Height: 900, Alt: "Quang cảnh hội nghị tổng kết công tác lao động"}
		ts[i] = site.Teaser{
			Title:   "Hội nghị tổng kết công tác lao động, người có công và xã hội năm 2025",
			Summary: "Sáng nay, Sở Lao động – Thương binh và Xã hội tổ chức hội nghị tổng kết công tác năm 2025 và triển khai nhiệm vụ năm 2026, với sự tham dự của lãnh đạo các đơn vị trực thuộc.",
			Section: "Tin tức – Sự kiện", URL: "/bai-viet/hoi-nghi-tong-ket-cong-tac-lao-dong-nguoi-co-cong-va-xa-hoi-nam-2025",
			Date: "04/12/2025", ISODate: "2025-12-04T08:30:00+07:00", Image: im, ImageAttrs: im.Attrs("(max-width: 640px) 100vw, 320px"),
		}
	}
	for _, c := range []struct {
		name, text string
		data       any
	}{{"template", oldTeasers, ts}, {"go", string(partials), site.Teasers(ts)}} {
		tpl, err := template.New("").Parse(c.text)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var buf bytes.Buffer
			for range b.N {
				buf.Reset()
				if err := tpl.ExecuteTemplate(&buf, "teasers", c.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
