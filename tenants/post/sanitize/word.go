package sanitize

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// Word does not write lists as lists. Each item is a paragraph such as
//
//	<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>
//	<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span
//	style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>
//	<span lang=VI>Text of the item<o:p></o:p></span></p>
//
// where the bullet ("·" in the Symbol font, "o" in Courier New, "§" in
// Wingdings) or the number is ordinary text. fixWordLists finds runs of such
// paragraphs, takes the markers out and puts the items into real, nested
// <ul>/<ol> elements. It runs before convert because it needs the class and
// style attributes that convert throws away.

var (
	// msoListStyle matches the mso-list declaration of a list paragraph
	// (not the "mso-list:Ignore" of the marker span).
	msoListStyle = regexp.MustCompile(`(?i)mso-list:\s*l\d+\s+level(\d+)`)
	msoIgnore    = regexp.MustCompile(`(?i)mso-list:\s*ignore`)
	// textMarker matches a marker written as plain text at the start of the
	// item, as LibreOffice and some clipboard converters leave it: a bullet
	// or a number, then a tab or spaces.
	textMarker = regexp.MustCompile(`^[\s\x{a0}]*([·•▪■□◦●○o§\-–—*Øüv➢➤✓❖]|\(?\d{1,3}(?:\.\d{1,3})*[.)]|\(?(?:[A-Za-z]|[ivxlcdmIVXLCDM]{1,6})[.)])[\t\x{a0} ]+`)
	// orderedMarker tells numbers ("1.", "2)", "a.", "iv.", "(3)", "1.2.")
	// from bullets. A bare letter is a bullet: Word's "o" and "v" are.
	orderedMarker = regexp.MustCompile(`^\(?(?:\d+(?:\.\d+)*[.)]?|(?:[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)])$`)
)

type wordItem struct {
	level   int
	ordered bool
}

// fixWordLists rewrites Word list paragraphs below n into lists.
func fixWordLists(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		if item, ok := takeWordItem(c); ok {
			c = buildWordList(n, c, item)
			continue
		}
		fixWordLists(c)
		c = c.NextSibling
	}
}

// takeWordItem reports whether n is a Word list paragraph and, if it is,
// removes its marker.
func takeWordItem(n *html.Node) (wordItem, bool) {
	if !isElement(n, "p") {
		return wordItem{}, false
	}
	class := strings.ToLower(attr(n, "class"))
	m := msoListStyle.FindStringSubmatch(attr(n, "style"))
	if m == nil && !strings.HasPrefix(class, "msolistparagraph") {
		return wordItem{}, false
	}
	marker, ok := takeMarker(n)
	if !ok {
		// An indented "List Paragraph" without a bullet is a paragraph.
		return wordItem{}, false
	}
	item := wordItem{level: 1, ordered: orderedMarker.MatchString(marker)}
	if m != nil {
		if lvl, err := strconv.Atoi(m[1]); err == nil && lvl >= 1 && lvl <= 9 {
			item.level = lvl
		}
	}
	return item, true
}

// takeMarker removes the list marker from a list paragraph and returns it,
// trimmed.
func takeMarker(p *html.Node) (string, bool) {
	// Word's clipboard: the marker sits between <![if !supportLists]> and
	// <![endif]> (browsers may turn them into <!--[if ...]--> comments).
	if start := findNode(p, func(n *html.Node) bool {
		return n.Type == html.CommentNode && strings.HasPrefix(strings.ToLower(strings.TrimSpace(n.Data)), "[if !supportlists]")
	}); start != nil {
		end := start.NextSibling
		for end != nil && !(end.Type == html.CommentNode && strings.Contains(strings.ToLower(end.Data), "endif")) {
			end = end.NextSibling
		}
		// Without its <![endif]> the range is not Word's; leave the text.
		if end != nil {
			var marker strings.Builder
			parent := start.Parent
			for c := start; c != end; {
				next := c.NextSibling
				marker.WriteString(textContent(c))
				parent.RemoveChild(c)
				c = next
			}
			parent.RemoveChild(end)
			return trimMarker(marker.String()), true
		}
	}
	// Without the comments the marker is still in its mso-list:Ignore span.
	if span := findNode(p, func(n *html.Node) bool {
		return n.Type == html.ElementNode && msoIgnore.MatchString(attr(n, "style"))
	}); span != nil {
		marker := textContent(span)
		span.Parent.RemoveChild(span)
		return trimMarker(marker), true
	}
	// Otherwise it may be plain text: "·<tab>Item".
	if t := findNode(p, func(n *html.Node) bool {
		return n.Type == html.TextNode && strings.TrimSpace(strings.ReplaceAll(n.Data, "\u00a0", " ")) != ""
	}); t != nil {
		if m := textMarker.FindStringSubmatchIndex(t.Data); m != nil {
			marker := t.Data[m[2]:m[3]]
			t.Data = t.Data[m[1]:]
			return marker, true
		}
	}
	return "", false
}

func trimMarker(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
}

// findNode returns the first node below n, in document order, for which
// match is true.
func findNode(n *html.Node, match func(*html.Node) bool) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if match(c) {
			return c
		}
		if found := findNode(c, match); found != nil {
			return found
		}
	}
	return nil
}

// buildWordList replaces the run of list paragraphs starting at first with a
// list, nesting items by their mso-list level, and returns the node after the
// run.
func buildWordList(parent, first *html.Node, item wordItem) *html.Node {
	type open struct {
		level int
		list  *html.Node
	}
	root := newElement(listTag(item.ordered))
	parent.InsertBefore(root, first)
	stack := []open{{item.level, root}}

	for c := first; ; {
		for len(stack) > 1 && item.level < stack[len(stack)-1].level {
			if stack[len(stack)-2].level < item.level {
				// Back from a level that skipped this one (1, 3, 2):
				// the open list becomes this level's list.
				stack[len(stack)-1].level = item.level
				break
			}
			stack = stack[:len(stack)-1]
		}
		top := stack[len(stack)-1]
		if item.level > top.level {
			// A deeper item opens a list inside the last item.
			li := top.list.LastChild
			if li == nil {
				li = newElement("li")
				top.list.AppendChild(li)
			}
			sub := newElement(listTag(item.ordered))
			li.AppendChild(sub)
			top = open{item.level, sub}
			stack = append(stack, top)
		}
		li := newElement("li")
		moveChildren(li, c)
		top.list.AppendChild(li)

		next := nextNonBlank(c)
		parent.RemoveChild(c)
		for {
			if next == nil {
				return nil
			}
			nextItem, ok := takeWordItem(next)
			if ok {
				c, item = next, nextItem
				break
			}
			if !isListContinuation(next) {
				return next
			}
			// A second paragraph of the same item.
			para := newElement("p")
			moveChildren(para, next)
			li.AppendChild(para)
			after := nextNonBlank(next)
			parent.RemoveChild(next)
			next = after
		}
	}
}

// nextNonBlank returns the sibling after n, skipping the whitespace and
// comments of Word's source formatting.
func nextNonBlank(n *html.Node) *html.Node {
	next := n.NextSibling
	for next != nil && isBlank(next) {
		next = next.NextSibling
	}
	return next
}

// isListContinuation reports a paragraph that Word styles as the middle or
// end of a group of list paragraphs but that has no marker: the continuation
// of the item before it.
func isListContinuation(n *html.Node) bool {
	if !isElement(n, "p") {
		return false
	}
	class := strings.ToLower(attr(n, "class"))
	return class == "msolistparagraphcxspmiddle" || class == "msolistparagraphcxsplast"
}

func listTag(ordered bool) string {
	if ordered {
		return "ol"
	}
	return "ul"
}

// isBlank reports whether n is a comment or whitespace-only text.
func isBlank(n *html.Node) bool {
	switch n.Type {
	case html.CommentNode:
		return true
	case html.TextNode:
		return strings.TrimSpace(n.Data) == ""
	}
	return false
}
