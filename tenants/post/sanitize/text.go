package sanitize

import (
	"strings"

	"golang.org/x/net/html"
)

// PlainText returns the text a reader sees in body: block elements (and
// <br>) end a line, runs of HTML whitespace are one space, lines are trimmed
// and empty lines dropped. No-break spaces are kept as they are, and the text
// is not normalised, so that the presentation lint can still report double
// spaces made of &nbsp; and text that is not NFC. Image alt text is not
// included; the content of scripts, styles and the like is not text.
func PlainText(body string) string {
	var w textWriter
	for c := parseBody(body).FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	w.endLine()
	return strings.Join(w.lines, "\n")
}

type textWriter struct {
	lines []string
	line  strings.Builder
	space bool // a collapsed space is pending
}

func (w *textWriter) node(n *html.Node) {
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
	if n.Data == "br" {
		w.endLine()
		return
	}
	block := textBlock(n.Data)
	if block {
		w.endLine()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if block {
		w.endLine()
	}
}

func (w *textWriter) text(s string) {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\f', '\r':
			w.space = true
			continue
		}
		if w.space && w.line.Len() > 0 {
			w.line.WriteByte(' ')
		}
		w.space = false
		w.line.WriteRune(r)
	}
}

func (w *textWriter) endLine() {
	if strings.TrimSpace(w.line.String()) != "" {
		w.lines = append(w.lines, w.line.String())
	}
	w.line.Reset()
	w.space = false
}

// textBlock reports the elements that start and end a line of text: every
// block of the cleaned body, and those of raw HTML.
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

// Images returns the src of every image in body, once each, in order of
// first appearance. Used on a cleaned body, these are the media files the
// item uses.
func Images(body string) []string {
	var srcs []string
	seen := map[string]bool{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Namespace == "" && n.Data == "img" {
			if src := strings.TrimSpace(attr(n, "src")); src != "" && !seen[src] {
				seen[src] = true
				srcs = append(srcs, src)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(parseBody(body))
	return srcs
}
