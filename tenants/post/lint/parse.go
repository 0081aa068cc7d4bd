package lint

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text is one part of a document as the rules see it.
type Text struct {
	// Part is PartTitle, PartSummary or PartBody.
	Part string
	// Plain is the part's plain text; offsets count runes in it.
	Plain string
	// Runes is Plain as runes, shared by the rules so that offsets are
	// indexes.
	Runes []rune

	address []bool // lazily: rune i is in a URL, e-mail or host name
}

// inAddress reports whether rune i belongs to a URL, e-mail address or
// host name, where punctuation follows its own rules. The mask is built
// once per text so that rules stay linear on long runs without spaces.
func (t *Text) inAddress(i int) bool {
	if t.address == nil {
		t.address = make([]bool, len(t.Runes))
		rs := t.Runes
		for s := 0; s < len(rs); {
			if unicode.IsSpace(rs[s]) {
				s++
				continue
			}
			e := s
			for e < len(rs) && !unicode.IsSpace(rs[e]) {
				e++
			}
			if looksLikeAddress(rs[s:e]) {
				for k := s; k < e; k++ {
					t.address[k] = true
				}
			}
			s = e
		}
	}
	return t.address[i]
}

func newText(part, s string) Text {
	return Text{Part: part, Plain: s, Runes: []rune(s)}
}

// lines returns the [start, end) rune ranges of the lines of t, the units
// in which quotes and brackets must balance.
func (t *Text) lines() [][2]int {
	var out [][2]int
	start := 0
	for i, r := range t.Runes {
		if r == '\n' {
			out = append(out, [2]int{start, i})
			start = i + 1
		}
	}
	return append(out, [2]int{start, len(t.Runes)})
}

// Image is an <img> of the body.
type Image struct {
	// Offset is where the image sits in the body text.
	Offset int
	Src    string
	Alt    string
	HasAlt bool
	// InFigure reports an enclosing <figure>; Captioned that the figure
	// has a <figcaption> with text.
	InFigure  bool
	Captioned bool
}

// Link is an <a> of the body.
type Link struct {
	// Offset and Length delimit the link's text in the body text.
	Offset, Length int
	Href           string
	HasHref        bool
	// Target reports an <a> with id or name and no href: a bookmark that
	// a link may point at, not a link (Word pastes are full of them).
	Target bool
	// Text is the link's visible text; HasImage reports an image with alt
	// text inside, which is content enough for a link.
	Text     string
	HasImage bool
}

// Parsed is a document prepared for the rules: the plain text of each part
// and the body's images and links.
type Parsed struct {
	Title, Summary, Body Text
	Images               []Image
	Links                []Link
}

// Parts returns the three parts in document order.
func (p *Parsed) Parts() []*Text {
	return []*Text{&p.Title, &p.Summary, &p.Body}
}

// Parse prepares doc for the rules.
func Parse(doc Doc) *Parsed {
	p := &Parsed{
		Title:   newText(PartTitle, doc.Title),
		Summary: newText(PartSummary, doc.Summary),
	}
	var w bodyWriter
	w.walk(parseBody(doc.BodyHTML), nil)
	w.endLine()
	n := len(w.out)
	// An element recorded while a collapsed space was pending sits after
	// that space if the space was written (the line went on), and at the
	// end of the line if it was not.
	skipSpace := func(off int, pending bool) int {
		if pending && off < n && w.out[off] == ' ' {
			off++
		}
		return min(off, n)
	}
	for i := range w.images {
		w.images[i].Offset = skipSpace(w.images[i].Offset, w.imgPending[i])
	}
	for i := range w.links {
		l := &w.links[i]
		start := skipSpace(l.Offset, w.linkPending[i])
		end := max(start, min(l.Offset+l.Length, n))
		l.Offset, l.Length = start, end-start
		l.Text = strings.TrimSpace(string(w.out[start:end]))
	}
	p.Body = Text{Part: PartBody, Plain: string(w.out), Runes: w.out}
	p.Images, p.Links = w.images, w.links
	return p
}

// BodyText returns the plain text of a body in which body offsets are
// counted (see the package documentation).
func BodyText(bodyHTML string) string {
	return Parse(Doc{BodyHTML: bodyHTML}).Body.Plain
}

func parseBody(s string) *html.Node {
	// Invalid UTF-8 is shown as U+FFFD by the browser; doing the same here
	// keeps rune offsets meaningful.
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	root := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	context := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), context)
	if err != nil {
		// Only a failing reader makes ParseFragment fail; a
		// strings.Reader does not.
		return root
	}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root
}

// bodyWriter builds the body text the way a reader sees it, recording
// where images and links fall.
type bodyWriter struct {
	out    []rune // finished lines joined with "\n"
	line   []rune // the line being written
	space  bool   // a collapsed space is pending
	images []Image
	links  []Link
	// whether a space was pending when each image and link was recorded
	imgPending, linkPending []bool
}

func allSpace(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// pos is the offset the next visible rune will have, not counting a
// pending space.
func (w *bodyWriter) pos() int {
	p := len(w.out) + len(w.line)
	if len(w.out) > 0 {
		p++ // the "\n" that will join the current line
	}
	return p
}

func (w *bodyWriter) text(s string) {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\f', '\r':
			w.space = true
			continue
		}
		if w.space && len(w.line) > 0 {
			w.line = append(w.line, ' ')
		}
		w.space = false
		w.line = append(w.line, r)
	}
}

func (w *bodyWriter) endLine() {
	if !allSpace(w.line) {
		if len(w.out) > 0 {
			w.out = append(w.out, '\n')
		}
		w.out = append(w.out, w.line...)
	}
	w.line = w.line[:0]
	w.space = false
}

// walk writes n's text. fig is the enclosing <figure>'s image indexes
// collector, nil outside a figure.
func (w *bodyWriter) walk(n *html.Node, fig *figure) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c, fig)
	}
}

type figure struct {
	images    []int
	captioned bool
}

func (w *bodyWriter) node(n *html.Node, fig *figure) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	if n.Namespace == "" && isDropped(n.Data) {
		return
	}
	switch n.Data {
	case "br":
		w.endLine()
		return
	case "img":
		alt, hasAlt := attr(n, "alt")
		src, _ := attr(n, "src")
		w.images = append(w.images, Image{Offset: w.pos(), Src: src, Alt: alt, HasAlt: hasAlt, InFigure: fig != nil})
		w.imgPending = append(w.imgPending, w.space && len(w.line) > 0)
		if fig != nil {
			fig.images = append(fig.images, len(w.images)-1)
		}
		return
	case "figure":
		f := &figure{}
		w.block(n, f)
		for _, i := range f.images {
			w.images[i].Captioned = f.captioned
		}
		return
	case "figcaption":
		if fig != nil && strings.TrimSpace(textContent(n)) != "" {
			fig.captioned = true
		}
	case "a":
		href, hasHref := attr(n, "href")
		_, hasID := attr(n, "id")
		_, hasName := attr(n, "name")
		i := len(w.links)
		w.links = append(w.links, Link{
			Offset: w.pos(), Href: href, HasHref: hasHref,
			Target: !hasHref && (hasID || hasName), HasImage: hasAltImage(n),
		})
		w.linkPending = append(w.linkPending, w.space && len(w.line) > 0)
		w.walk(n, fig)
		w.links[i].Length = max(0, w.pos()-w.links[i].Offset)
		return
	}
	w.block(n, fig)
}

// block writes an element's children, ending a line around it when it is
// a block.
func (w *bodyWriter) block(n *html.Node, fig *figure) {
	isBlock := textBlock(n.Data)
	if isBlock {
		w.endLine()
	}
	w.walk(n, fig)
	if isBlock {
		w.endLine()
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.Namespace == "" && isDropped(n.Data) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func hasAltImage(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "img" {
			if alt, _ := attr(c, "alt"); strings.TrimSpace(alt) != "" {
				return true
			}
		}
		if hasAltImage(c) {
			return true
		}
	}
	return false
}

// isDropped reports elements whose content is not text a reader sees.
func isDropped(tag string) bool {
	switch tag {
	case "script", "style", "noscript", "template", "head", "title", "meta",
		"link", "base", "xml", "iframe", "frame", "frameset", "noframes",
		"object", "embed", "applet", "param", "noembed", "svg", "math",
		"canvas", "audio", "video", "source", "track", "map", "area", "input",
		"textarea", "select", "option", "optgroup", "datalist", "colgroup",
		"col", "rt", "rp":
		return true
	}
	return false
}

// textBlock reports elements that start and end a line of text.
func textBlock(tag string) bool {
	switch tag {
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
		"blockquote", "table", "caption", "thead", "tbody", "tfoot", "tr",
		"td", "th", "figure", "figcaption", "hr", "pre", "div", "section",
		"article", "header", "footer", "main", "aside", "nav", "address",
		"dl", "dt", "dd", "center", "details", "summary", "form",
		"fieldset", "legend":
		return true
	}
	return false
}
