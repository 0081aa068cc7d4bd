package sanitize

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

// convert rebuilds the parsed input as a tree of allowed elements only. Each
// input element is mapped to an allowed one, unwrapped (its content is kept)
// or dropped with its content. The result may still be badly nested (a table
// inside a paragraph, a <div> stand-in for a block that is to be dissolved);
// normalizeFlow sorts that out.
func (p *Policy) convert(in *html.Node) *html.Node {
	out := newElement("body")
	p.convertChildren(out, in)
	return out
}

func (p *Policy) convertChildren(dst, src *html.Node) {
	for c := src.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			appendText(dst, cleanText(c.Data))
		case html.ElementNode:
			p.convertElement(dst, c)
		}
		// Comments go: Word's conditional comments hold its settings, VML
		// and styles, never content.
	}
}

// isDropped reports elements removed together with their content: scripts
// and styles, embedded documents and media (images come only from our own
// media), form controls, and the document head that Word puts on the
// clipboard.
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

// isDissolved reports block containers that are not kept but whose content
// is: they become the "div" stand-in, which keeps the paragraph breaks they
// imply (two <div>s of text are two paragraphs, not one).
func isDissolved(tag string) bool {
	switch tag {
	case "div", "section", "article", "header", "footer", "main", "aside",
		"nav", "center", "address", "details", "summary", "dl", "dt", "dd",
		"fieldset", "legend", "hgroup", "form", "dialog", "search", "body",
		"html":
		return true
	}
	return false
}

func (p *Policy) convertElement(dst, n *html.Node) {
	// SVG and MathML content is foreign: nothing in it is kept.
	if n.Namespace != "" || isDropped(n.Data) {
		return
	}
	tag := n.Data
	if prefix, _, ok := strings.Cut(tag, ":"); ok {
		// Office XML elements: VML drawings and equations go, the others
		// (<o:p>, <w:sdt>, <st1:place>...) are wrappers around text.
		if prefix == "v" || prefix == "m" {
			return
		}
		p.convertChildren(dst, n)
		return
	}
	switch tag {
	case "p", "pre", "xmp", "listing", "plaintext":
		if strings.EqualFold(attr(n, "class"), "MsoTitle") {
			p.block(dst, n, "h2")
			return
		}
		p.block(dst, n, "p")
	case "h1", "h2":
		// The page has its own <h1>: body headings start at <h2>.
		p.block(dst, n, "h2")
	case "h3", "h4":
		p.block(dst, n, tag)
	case "h5", "h6":
		p.block(dst, n, "h4")
	case "b", "strong":
		// Google Docs wraps the whole paste in <b style="font-weight:normal">.
		if w := styleValue(attr(n, "style"), "font-weight"); w == "normal" || w == "400" || w == "lighter" {
			p.convertChildren(dst, n)
			return
		}
		p.wrap(dst, n, "strong")
	case "i", "em":
		if styleValue(attr(n, "style"), "font-style") == "normal" {
			p.convertChildren(dst, n)
			return
		}
		p.wrap(dst, n, "em")
	case "u", "ins":
		p.wrap(dst, n, "u")
	case "s", "strike", "del":
		p.wrap(dst, n, "s")
	case "sub", "sup", "blockquote", "ul", "ol", "li", "table", "caption",
		"thead", "tbody", "tfoot", "tr", "figure", "figcaption":
		p.wrap(dst, n, tag)
	case "menu", "dir":
		p.wrap(dst, n, "ul")
	case "td", "th":
		el := newElement(tag)
		for _, key := range []string{"colspan", "rowspan"} {
			if v, err := strconv.Atoi(strings.TrimSpace(attr(n, key))); err == nil && v > 1 && v < 1000 {
				setAttr(el, key, strconv.Itoa(v))
			}
		}
		if c := alignClass(n); c != "" {
			setAttr(el, "class", c)
		}
		dst.AppendChild(el)
		p.convertChildren(el, n)
	case "br", "hr":
		dst.AppendChild(newElement(tag))
	case "img":
		p.convertImg(dst, n)
	case "a":
		p.convertLink(dst, n)
	default:
		if isDissolved(tag) {
			p.wrap(dst, n, "div")
			return
		}
		// <span>, <font> and unknown inline elements are unwrapped, keeping
		// the formatting their style carries: Google Docs marks bold and
		// italics only that way.
		p.convertChildren(styledWrappers(dst, attr(n, "style")), n)
	}
}

// wrap appends an element named tag, without attributes, holding the
// converted content of n.
func (p *Policy) wrap(dst, n *html.Node, tag string) {
	el := newElement(tag)
	dst.AppendChild(el)
	p.convertChildren(el, n)
}

// block is wrap for paragraphs and headings, which keep their alignment.
func (p *Policy) block(dst, n *html.Node, tag string) {
	el := newElement(tag)
	if c := alignClass(n); c != "" {
		setAttr(el, "class", c)
	}
	dst.AppendChild(el)
	p.convertChildren(el, n)
}

// styledWrappers appends to dst the formatting elements that an inline style
// stands for and returns the innermost one (dst itself if there are none).
func styledWrappers(dst *html.Node, style string) *html.Node {
	if style == "" {
		return dst
	}
	var tags []string
	switch styleValue(style, "font-weight") {
	case "bold", "bolder", "600", "700", "800", "900":
		tags = append(tags, "strong")
	}
	switch styleValue(style, "font-style") {
	case "italic", "oblique":
		tags = append(tags, "em")
	}
	deco := styleValue(style, "text-decoration") + " " + styleValue(style, "text-decoration-line")
	if strings.Contains(deco, "underline") {
		tags = append(tags, "u")
	}
	if strings.Contains(deco, "line-through") {
		tags = append(tags, "s")
	}
	switch styleValue(style, "vertical-align") {
	case "super":
		tags = append(tags, "sup")
	case "sub":
		tags = append(tags, "sub")
	}
	for _, tag := range tags {
		el := newElement(tag)
		dst.AppendChild(el)
		dst = el
	}
	return dst
}

// alignClass maps centred or right alignment, however the source wrote it,
// to one of our two classes. Left and justified text is the default look and
// gets no class.
func alignClass(n *html.Node) string {
	v := styleValue(attr(n, "style"), "text-align")
	if v == "" {
		v = strings.ToLower(strings.TrimSpace(attr(n, "align")))
	}
	switch v {
	case "center", "middle":
		return classCenter
	case "right", "end":
		return classRight
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == classCenter || c == classRight {
			return c
		}
	}
	return ""
}

func (p *Policy) convertImg(dst, n *html.Node) {
	src, ok := p.mediaSrc(norm.NFC.String(attr(n, "src")))
	if !ok {
		// Not our media (another host, a data: URL, Word's file:///C:/...):
		// the image goes, and the editor asks for an upload instead.
		return
	}
	el := newElement("img")
	setAttr(el, "src", src)
	if hasAttr(n, "alt") {
		setAttr(el, "alt", cleanAttrText(attr(n, "alt")))
	}
	for _, key := range []string{"width", "height"} {
		if v, err := strconv.Atoi(strings.TrimSpace(attr(n, key))); err == nil && v > 0 && v < 10000 {
			setAttr(el, key, strconv.Itoa(v))
		}
	}
	dst.AppendChild(el)
}

func (p *Policy) convertLink(dst, n *html.Node) {
	href, external, ok := linkHref(norm.NFC.String(attr(n, "href")))
	if !ok {
		// A bookmark (<a name>), an empty or a refused href: keep the text.
		p.convertChildren(dst, n)
		return
	}
	el := newElement("a")
	setAttr(el, "href", href)
	if external {
		setAttr(el, "rel", externalRel)
		if strings.EqualFold(strings.TrimSpace(attr(n, "target")), "_blank") {
			setAttr(el, "target", "_blank")
		}
	}
	dst.AppendChild(el)
	p.convertChildren(el, n)
}

// cleanText drops characters that have no business in a body: control
// characters other than whitespace, and the byte-order mark.
func cleanText(s string) string {
	clean := true
	for _, r := range s {
		if dropRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if dropRune(r) {
			return -1
		}
		return r
	}, s)
}

func dropRune(r rune) bool {
	switch r {
	case '\t', '\n', '\f', '\r':
		return false
	case '\uFEFF':
		return true
	}
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// cleanAttrText normalises a text attribute (alt): no control characters,
// single spaces, NFC.
func cleanAttrText(s string) string {
	s = strings.Join(strings.FieldsFunc(cleanText(s), isSpace), " ")
	return norm.NFC.String(s)
}

// isSpace reports the characters that Clean treats as spacing: HTML's
// whitespace plus the no-break space, which Word uses for plain spaces.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\f', '\r', '\u00a0':
		return true
	}
	return false
}
