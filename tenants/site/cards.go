package site

import (
	"html/template"
	"strings"

	"github.com/trangtin/trangtin/platform/escape"
)

// Teasers is a list of cards: the home page's latest items, blocks and
// units' items, a section page, search results.
type Teasers []Teaser

// Cards is the list's <li class="card"> elements, byte for byte what the
// {{range}} of the "teasers" partial (templates/layouts/partials.html)
// printed before the markup moved here. It moved for speed: there each
// card cost about fifteen actions, each a reflect call into an escaper,
// which made html/template about a third of an uncached home page (issue
// 13); here a list is one action. The partial keeps the list around the
// cards; a change to a card's markup is made here, and TestCardsAsTemplate
// holds it to the template it replaced.
//
// Every value is escaped as html/template escapes it in the same place:
// text and quoted attribute values with escape.HTML, the address with
// escape.URL, TitleHTML, SummaryHTML and ImageAttrs as they are (already
// safe, typed so html/template also left them alone).
func (ts Teasers) Cards() template.HTML {
	if len(ts) == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(ts.size())
	ts.write(&b)
	return template.HTML(b.String()) // #nosec G203 -- every value escaped by write as html/template would
}

// write writes the cards' markup to b (Cards).
func (ts Teasers) write(b *strings.Builder) {
	for _, t := range ts {
		b.WriteString("<li class=\"card\">\n  ")
		if t.Image != nil {
			b.WriteString(`<img class="thumb" `)
			b.WriteString(string(t.ImageAttrs))
			b.WriteString(` alt="`)
			escape.HTML(b, t.Image.Alt)
			b.WriteString(`" loading="lazy" decoding="async">`)
		}
		b.WriteString("\n  <a href=\"")
		escape.URL(b, t.URL)
		b.WriteString(`">`)
		if t.TitleHTML != "" {
			b.WriteString(string(t.TitleHTML))
		} else {
			escape.HTML(b, t.Title)
		}
		b.WriteString("</a>\n  ")
		if t.Withdrawn {
			b.WriteString(`<p class="notice-inline">Đã gỡ bỏ</p>`)
		}
		b.WriteString("\n  ")
		if t.Expired {
			b.WriteString(`<p class="expired">Hết hiệu lực</p>`)
		}
		b.WriteString("\n  ")
		if t.SummaryHTML != "" {
			b.WriteString("<p>")
			b.WriteString(string(t.SummaryHTML))
			b.WriteString("</p>")
		} else if t.Summary != "" {
			b.WriteString("<p>")
			escape.HTML(b, t.Summary)
			b.WriteString("</p>")
		}
		b.WriteString("\n  <p class=\"meta\">")
		if t.From != "" {
			b.WriteString(`<span class="from">`)
			escape.HTML(b, t.From)
			b.WriteString("</span> · ")
		}
		if t.Section != "" {
			escape.HTML(b, t.Section)
			b.WriteString(" · ")
		}
		b.WriteString(`<time datetime="`)
		escape.HTML(b, t.ISODate)
		b.WriteString(`">`)
		escape.HTML(b, t.Date)
		b.WriteString("</time></p>\n</li>")
	}
}

// cardMarkup is the markup of the usual card, with a picture, a summary
// and a section (101 bytes bare, 284 with every optional element): a list
// of unusual cards grows the builder once more at worst.
const cardMarkup = 180

// size is the list's length before escaping, plus a little for the
// escapes, so the builder is usually allocated once.
func (ts Teasers) size() int {
	n := 0
	for i := range ts {
		t := &ts[i]
		n += cardMarkup + len(t.URL) + len(t.From) + len(t.Section) + len(t.ISODate) + len(t.Date)
		if t.TitleHTML != "" {
			n += len(t.TitleHTML)
		} else {
			n += len(t.Title)
		}
		if t.SummaryHTML != "" {
			n += len(t.SummaryHTML)
		} else {
			n += len(t.Summary)
		}
		if t.Image != nil {
			n += len(t.ImageAttrs) + len(t.Image.Alt)
		}
	}
	return n + n/16
}
