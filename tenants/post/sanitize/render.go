package sanitize

import (
	"strings"

	"golang.org/x/net/html"
)

// renderChildren serialises the children of n. It handles only what the
// cleaned tree can hold (allowed elements, attributes and text), which is
// why it can be this simple: no raw-text elements, no foreign content. Each
// block ends a line, so that comparing two revisions line by line is useful;
// the line breaks are whitespace between blocks, which Clean drops and
// writes again.
func renderChildren(b *strings.Builder, n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		renderNode(b, c)
	}
}

func renderNode(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		escape(b, n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	b.WriteByte('<')
	b.WriteString(n.Data)
	for _, a := range n.Attr {
		b.WriteByte(' ')
		b.WriteString(a.Key)
		b.WriteString(`="`)
		escape(b, a.Val)
		b.WriteByte('"')
	}
	b.WriteByte('>')
	switch n.Data {
	case "br", "img":
		return
	case "hr":
		b.WriteByte('\n')
		return
	case "ul", "ol", "blockquote", "table", "thead", "tbody", "tfoot", "tr", "figure":
		b.WriteByte('\n')
	}
	renderChildren(b, n)
	b.WriteString("</")
	b.WriteString(n.Data)
	b.WriteByte('>')
	if isBlock(n) {
		b.WriteByte('\n')
	}
}

// escape writes s with the five characters that matter in HTML text and in
// double-quoted attribute values escaped, as html.EscapeString does.
func escape(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
