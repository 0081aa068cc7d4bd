package sanitize

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Small helpers over golang.org/x/net/html trees.

func newElement(tag string) *html.Node {
	return &html.Node{Type: html.ElementNode, Data: tag, DataAtom: atom.Lookup([]byte(tag))}
}

func isElement(n *html.Node, tag string) bool {
	return n != nil && n.Type == html.ElementNode && n.Data == tag
}

// attr returns the value of n's attribute key ("" when absent).
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}

func setAttr(n *html.Node, key, val string) {
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

// detachChildren removes n's children and returns them in order.
func detachChildren(n *html.Node) []*html.Node {
	var kids []*html.Node
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		kids = append(kids, c)
		c = next
	}
	return kids
}

// moveChildren appends src's children to dst.
func moveChildren(dst, src *html.Node) {
	for c := src.FirstChild; c != nil; c = src.FirstChild {
		src.RemoveChild(c)
		dst.AppendChild(c)
	}
}

// unwrap replaces n with its children.
func unwrap(n *html.Node) {
	parent := n.Parent
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
		parent.InsertBefore(c, n)
	}
	parent.RemoveChild(n)
}

// shallowClone copies n without its children.
func shallowClone(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, Data: n.Data, DataAtom: n.DataAtom}
	c.Attr = append([]html.Attribute(nil), n.Attr...)
	return c
}

func rename(n *html.Node, tag string) {
	n.Data = tag
	n.DataAtom = atom.Lookup([]byte(tag))
}

// appendText appends s to dst as a text node. Adjacent text nodes are
// joined later, once, by joinTexts: joining here would copy the text again for
// every removed wrapper, which is quadratic on "a<span></span>a<span>...".
func appendText(dst *html.Node, s string) {
	if s == "" {
		return
	}
	dst.AppendChild(&html.Node{Type: html.TextNode, Data: s})
}

// joinTexts merges runs of adjacent text nodes below n.
func joinTexts(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			joinText(c)
		} else {
			joinTexts(c)
		}
	}
}

// joinText merges the text nodes that directly follow t into t.
func joinText(t *html.Node) {
	next := t.NextSibling
	if next == nil || next.Type != html.TextNode {
		return
	}
	var b strings.Builder
	b.WriteString(t.Data)
	for next != nil && next.Type == html.TextNode {
		b.WriteString(next.Data)
		t.Parent.RemoveChild(next)
		next = t.NextSibling
	}
	t.Data = b.String()
}

// textContent returns the concatenated text below n.
func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// styleValue returns the lower-cased value of property prop in an inline
// style attribute, without any !important, or "" when it is not set. It is
// deliberately simple: it is only used to read what office suites write
// (font-weight, text-align...), never to pass CSS through.
func styleValue(style, prop string) string {
	for decl := range strings.SplitSeq(style, ";") {
		name, val, ok := strings.Cut(decl, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), prop) {
			continue
		}
		val = strings.ToLower(strings.TrimSpace(val))
		val = strings.TrimSpace(strings.TrimSuffix(val, "!important"))
		return val
	}
	return ""
}

// hasControl reports whether s holds an ASCII or C1 control character.
func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			return true
		}
	}
	return false
}
